"""The base of every staff API view: ``self.actor`` is the caller acting in their organisation."""

from __future__ import annotations

from typing import Any, Protocol

from rest_framework.views import APIView

from safeguard.accounts.access import Actor, actor_for


class _HasRequest(Protocol):
    request: Any


class ActorMixin:
    """Gives DRF views (``APIView``, generic views, viewsets) the acting ``Actor``."""

    @property
    def actor(self: _HasRequest) -> Actor:
        return actor_for(self.request)


class StaffAPIView(ActorMixin, APIView):
    """An ``APIView`` whose handlers read ``self.actor`` instead of reaching into the request."""
