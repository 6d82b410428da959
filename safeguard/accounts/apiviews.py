"""The base of every staff API view: ``self.actor`` is the caller acting in their organisation."""

from __future__ import annotations

from typing import Any, Protocol

from rest_framework.request import Request
from rest_framework.response import Response
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
    """An ``APIView`` whose handlers read ``self.actor`` instead of reaching into the request.

    Every write takes an ``Idempotency-Key`` header (``safeguard.api.idempotency``).
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        from safeguard.api import idempotency

        super().initial(request, *args, **kwargs)
        self.idempotent_request = idempotency.claim(request)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        from safeguard.api import idempotency

        row = getattr(self, "idempotent_request", None)
        if row is not None:
            self.idempotent_request = None
            idempotency.finish(row, response)
        return super().finalize_response(request, response, *args, **kwargs)
