from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.api.serializers import MeSerializer


class MeView(StaffAPIView):
    """Who the caller is, which organisation they act in, and their roles there."""

    @extend_schema(
        responses=MeSerializer,
        tags=["account"],
        examples=body_examples(
            "An operator of a hotline",
            answer={
                "id": 7,
                "email": "bob@alpha.example",
                "name": "Bob Operator",
                "organisation": {"id": 1, "name": "Alpha Helpline", "kind": "hotline"},
                "roles": ["operator"],
            },
        ),
    )
    def get(self, request: Request) -> Response:
        actor = self.actor
        organisation = actor.organisation
        data = {
            "id": actor.user.pk,
            "email": actor.user.email,
            "name": actor.user.name,
            "organisation": (
                {"id": organisation.pk, "name": organisation.name, "kind": organisation.kind}
                if organisation
                else None
            ),
            "roles": sorted(actor.roles),
        }
        return Response(MeSerializer(data).data)
