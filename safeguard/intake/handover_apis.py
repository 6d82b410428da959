"""``/api/v1/handovers``: hand-overs of routed reports, for both sides, over the same access
rules and services as the report page. Outside reach is 404, a wrong role 403, bad input 400.

The sending organisation reads the steps and the outcome of its hand-overs (who accepted it is
named by organisation only); nothing of the receiving organisation's case is in the answer.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.core.validation import TEXT_MAX, no_control_characters
from safeguard.intake import access
from safeguard.intake.choices import HandoverOutcome, HandoverStatus
from safeguard.intake.models import ReportRoute
from safeguard.intake.services import handover

TAGS = ["handovers"]

# Fictional data for the schema's examples (``api.schema.body_examples``).
HANDOVER_EXAMPLE = {
    "id": 6,
    "report_id": 41,
    "report_reference": "SG-7K2M9QXD",
    "from_organisation": "Northwind Hotline",
    "to_organisation": "Harbour Light",
    "direction": "incoming",
    "status": "offered",
    "offered_at": "2026-03-02T10:00:00Z",
    "responded_at": None,
    "decline_reason": "",
    "case_opened_at": None,
    "closed_at": None,
    "outcome": "",
}
ACCEPTED_EXAMPLE = {**HANDOVER_EXAMPLE, "status": "accepted", "responded_at": "2026-03-02T11:00:00Z"}


class HandoverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report_id = serializers.IntegerField()
    report_reference = serializers.CharField(source="report.reference")
    from_organisation = serializers.CharField(source="report.organisation.name", default="")
    to_organisation = serializers.CharField(source="organisation.name")
    direction = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=HandoverStatus.choices)
    offered_at = serializers.DateTimeField(source="created_at")
    responded_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    case_opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()

    def get_direction(self, route: ReportRoute) -> str:
        organisation = self.context["organisation"]
        return "incoming" if route.organisation_id == getattr(organisation, "pk", None) else "outgoing"


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, validators=[no_control_characters])


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=HandoverOutcome.choices)


class _HandoverView(StaffAPIView):
    def incoming(self, pk: int, serializer: serializers.Serializer) -> tuple[ReportRoute, dict[str, Any]]:
        """The hand-over to the caller's organisation (404 otherwise) and the checked body."""
        route = access.incoming_handover_for(self.actor, pk)
        serializer.is_valid(raise_exception=True)
        return route, dict(serializer.validated_data)

    def answer(self, route: ReportRoute) -> Response:
        route.refresh_from_db()
        return Response(HandoverSerializer(route, context={"organisation": self.actor.organisation}).data)


class HandoverListApi(_HandoverView):
    @extend_schema(
        responses=HandoverSerializer(many=True),
        tags=TAGS,
        examples=body_examples("A hand-over offered to the caller", answer=HANDOVER_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Hand-overs sent by the caller's organisation and those offered to it (``?direction=``
        ``incoming`` or ``outgoing``; ``?status=`` one of the hand-over statuses)."""
        routes: Any = access.handovers_for(self.actor)
        direction = request.query_params.get("direction", "")
        if direction == "incoming":
            routes = routes.filter(organisation=self.actor.organisation)
        elif direction == "outgoing":
            routes = routes.filter(report__organisation=self.actor.organisation)
        elif direction:
            raise serializers.ValidationError({"direction": ["Use incoming or outgoing."]})
        status = request.query_params.get("status", "")
        if status and status not in HandoverStatus.values:
            raise serializers.ValidationError({"status": ["Not a hand-over status."]})
        if status:
            routes = routes.filter(status=status)
        context = {"organisation": self.actor.organisation}
        return Response(
            HandoverSerializer(routes.order_by("-created_at", "-id")[:200], many=True, context=context).data
        )


class HandoverDetailApi(_HandoverView):
    @extend_schema(
        responses=HandoverSerializer, tags=TAGS, examples=body_examples("Offered", answer=HANDOVER_EXAMPLE)
    )
    def get(self, request: Request, pk: int) -> Response:
        route = access.handovers_for(self.actor).filter(pk=pk).first()
        if route is None:
            raise Http404("hand-over")
        return self.answer(route)


class HandoverAcceptApi(_HandoverView):
    @extend_schema(
        request=None,
        responses=HandoverSerializer,
        tags=TAGS,
        examples=body_examples("Accepted", answer=ACCEPTED_EXAMPLE),
    )
    def post(self, request: Request, pk: int) -> Response:
        """The receiving organisation accepts an offered hand-over."""
        route = access.incoming_handover_for(self.actor, pk)
        return self.answer(handover.handover_accept(route=route, actor=self.actor))


class HandoverDeclineApi(_HandoverView):
    @extend_schema(
        request=DeclineSerializer,
        responses=HandoverSerializer,
        tags=TAGS,
        examples=body_examples(
            "Outside the area served",
            request={
                "reason": "We work only in the north of the region; Northwind knows who serves the south."
            },
            answer={
                **HANDOVER_EXAMPLE,
                "status": "declined",
                "responded_at": "2026-03-02T11:00:00Z",
                "decline_reason": "We work only in the north of the region; Northwind knows who serves the south.",
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """The receiving organisation returns the report to its sender with a reason."""
        route, data = self.incoming(pk, DeclineSerializer(data=request.data))
        return self.answer(handover.handover_decline(route=route, reason=data["reason"], actor=self.actor))


class HandoverCloseApi(_HandoverView):
    @extend_schema(
        request=CloseSerializer,
        responses=HandoverSerializer,
        tags=TAGS,
        examples=body_examples(
            "Handled without a case",
            request={"outcome": "handled"},
            answer={
                **ACCEPTED_EXAMPLE,
                "status": "closed",
                "closed_at": "2026-03-09T17:00:00Z",
                "outcome": "handled",
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """The receiving organisation ends an accepted hand-over with an outcome."""
        route, data = self.incoming(pk, CloseSerializer(data=request.data))
        return self.answer(handover.handover_close(route=route, outcome=data["outcome"], actor=self.actor))
