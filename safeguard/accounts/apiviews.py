"""The base of every staff API view: ``self.actor`` is the caller acting in their organisation."""

from __future__ import annotations

from rest_framework.views import APIView

from safeguard.accounts.access import Actor, actor_for


class ActorMixin:
    """Gives DRF views (``APIView``, generic views, viewsets) the acting ``Actor``."""

    request: object

    @property
    def actor(self) -> Actor:
        return actor_for(self.request)


class StaffAPIView(ActorMixin, APIView):
    """An ``APIView`` whose handlers read ``self.actor`` instead of reaching into the request."""
