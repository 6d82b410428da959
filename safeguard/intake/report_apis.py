"""``/api/v1/reports`` and ``/api/v1/escalations``: triage and escalation for integrators.

Thin views over the same access rules and services as the report pages (``views.triage``,
``views.escalation``): a missing permission is 403, a report outside the caller's reach 404,
bad input 400 in the API's one error format. The reporter's contact details are in a report's
detail only for those the report page shows them to (``access.may_see_contact``); every view
of a report is audited as on the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.core.audit import audit_record
from safeguard.core.pagination import BoundedCursorPagination
from safeguard.core.validation import TEXT_MAX, no_control_characters
from safeguard.intake import access, selectors
from safeguard.intake.apis import PublicReportSerializer
from safeguard.intake.choices import OPERATOR_CHANNELS, EscalationOutcome, Outcome, Status, Urgency
from safeguard.intake.models import Escalation, Report
from safeguard.intake.services import escalation as escalation_services
from safeguard.intake.services import routing, submission, triage

REPORT_TAGS = ["reports"]
ESCALATION_TAGS = ["escalations"]

# ``?sort=``: the queue's order (most urgent, then oldest) or by arrival.
SORTS: dict[str, tuple[str, ...]] = {
    "queue": ("-urgency", "created_at", "id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
}
QUEUE_STATUSES = ["open", "overdue", "offered", "all", *Status.values]

# Fictional data for the schema's examples (``api.schema.body_examples``).
REPORT_SUMMARY_EXAMPLE = {
    "id": 41,
    "reference": "SG-7K2M9QXD",
    "organisation_id": 2,
    "channel": "phone",
    "status": "in_triage",
    "outcome": "",
    "urgency": 3,
    "country": "GB",
    "subdivision": "GB-MAN",
    "children_count": 1,
    "child_in_danger": "unsure",
    "exploitation_types": ["ChildLabour"],
    "assigned_to": 7,
    "created_at": "2026-03-02T08:15:00Z",
    "due_at": "2026-03-02T20:15:00Z",
    "triaged_at": "2026-03-02T09:01:00Z",
    "closed_at": None,
    "duplicate_of": None,
}
REPORT_NOTE_EXAMPLE = {
    "id": 88,
    "body": "Called the school: the girl has not attended for two weeks.",
    "author": "Amina Operator",
    "organisation_id": 2,
    "created_at": "2026-03-02T09:20:00Z",
}
REPORT_QUESTION_EXAMPLE = {
    "id": 19,
    "direction": "question",
    "body": "Do you know which street the car waits in?",
    "author": "Amina Operator",
    "created_at": "2026-03-02T09:25:00Z",
}
ROUTE_EXAMPLE = {"id": 6, "organisation_id": 3, "status": "offered", "created_at": "2026-03-02T10:00:00Z"}
ESCALATION_REF_EXAMPLE = {
    "id": 9,
    "organisation_id": 4,
    "outcome": "pending",
    "created_at": "2026-03-02T10:30:00Z",
}
REPORT_DETAIL_EXAMPLE = {
    **REPORT_SUMMARY_EXAMPLE,
    "narrative": "A girl of about 13 sells flowers at the station late every night; a man collects the money.",
    "place": "Near the north entrance of the central station",
    "occurred": "this_week",
    "language": "en",
    "children": [{"age": 13, "gender": "Feminine", "description": "Red coat, speaks little English"}],
    "suspects": [{"description": "Man in his forties, grey van", "names": "Called 'Uncle'"}],
    "indicators": ["out_of_school", "unrelated_adult_speaks"],
    "relation": "witness",
    "contact_consent": True,
    "contact": {
        "name": "Fictional Caller",
        "phone": "+447700900123",
        "phone_e164": "+447700900123",
        "phone_parsed": True,
    },
    "identifiers": [
        {"kind": "plate", "value": "FX12 ABC", "normalised": "FX12ABC", "parsed": True},
    ],
    "notes": [REPORT_NOTE_EXAMPLE],
    "messages": [REPORT_QUESTION_EXAMPLE],
    "routes": [],
    "escalations": [],
}
ESCALATION_EXAMPLE = {
    "id": 9,
    "report_id": 41,
    "report_reference": "SG-7K2M9QXD",
    "from_organisation": "Northwind Hotline",
    "created_at": "2026-03-02T10:30:00Z",
    "summary": "Girl of about 13 made to sell at the station at night; van plate known.",
    "outcome": "pending",
    "outcome_note": "",
    "outcome_at": None,
}


class ReportSummarySerializer(serializers.Serializer):
    """What a list row shows: no narrative, no people, no contact."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    organisation_id = serializers.IntegerField(allow_null=True)
    channel = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    outcome = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    country = serializers.CharField()
    subdivision = serializers.CharField()
    children_count = serializers.IntegerField()
    child_in_danger = serializers.CharField()
    exploitation_types = serializers.ListField(child=serializers.CharField())
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    triaged_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)


class IdentifierOutSerializer(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.CharField()
    normalised = serializers.CharField()
    parsed = serializers.BooleanField(source="is_valid", help_text="Whether the value parsed as its kind")


@extend_schema_serializer(component_name="ReportNote")
class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    author = serializers.CharField(source="author.name", default="")
    organisation_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    direction = serializers.CharField()
    body = serializers.CharField()
    author = serializers.CharField(source="shown_author", default="")
    created_at = serializers.DateTimeField()


class RouteOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation_id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class EscalationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation_id = serializers.IntegerField()
    outcome = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReportDetailSerializer(ReportSummarySerializer):
    narrative = serializers.CharField()
    place = serializers.CharField()
    occurred = serializers.CharField()
    language = serializers.CharField()
    children = serializers.ListField(child=serializers.DictField())
    suspects = serializers.ListField(child=serializers.DictField())
    indicators = serializers.ListField(child=serializers.CharField())
    relation = serializers.CharField()
    contact_consent = serializers.BooleanField()
    contact = serializers.DictField(
        allow_null=True, help_text="Only for operators and supervisors of the receiving organisation."
    )
    identifiers = IdentifierOutSerializer(many=True)
    notes = NoteSerializer(many=True)
    messages = MessageSerializer(many=True)
    routes = RouteOutSerializer(many=True)
    escalations = EscalationRefSerializer(many=True)


def report_detail_data(actor: Any, report: Report) -> dict[str, Any]:
    """The report page's content for ``actor`` (its notes filter and contact rule)."""
    show_contact = access.may_see_contact(actor, report)
    own = {pk for pk in (report.organisation_id, getattr(actor.organisation, "pk", None)) if pk is not None}
    return {
        **ReportSummarySerializer(report).data,
        "narrative": report.narrative,
        "place": report.place,
        "occurred": report.occurred,
        "language": report.language,
        "children": report.children,
        "suspects": report.suspects,
        "indicators": report.indicators,
        "relation": report.relation,
        "contact_consent": report.contact_consent,
        "contact": report.contact if show_contact else None,
        "identifiers": IdentifierOutSerializer(report.identifiers.all(), many=True).data,
        "notes": NoteSerializer(
            report.notes.filter(organisation_id__in=own).select_related("author"), many=True
        ).data,
        "messages": MessageSerializer(selectors.report_thread(report, actor.organisation), many=True).data,
        "routes": RouteOutSerializer(report.routes.all(), many=True).data,
        "escalations": EscalationRefSerializer(report.escalations.all(), many=True).data,
    }


class ReportFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=QUEUE_STATUSES, default="all")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    mine = serializers.BooleanField(required=False, default=False)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
    channel = serializers.ChoiceField(
        choices=[c for c in Report._meta.get_field("channel").choices or []], required=False
    )
    created_after = serializers.DateTimeField(required=False)
    created_before = serializers.DateTimeField(required=False)
    sort = serializers.ChoiceField(choices=list(SORTS), default="queue")


FILTER_PARAMETERS = [
    OpenApiParameter(
        "status",
        str,
        enum=QUEUE_STATUSES,
        description="`open` (the queue), `overdue`, `offered`, `all` (default) or a status",
    ),
    OpenApiParameter("urgency", int, enum=[int(level) for level in Urgency.values]),
    OpenApiParameter("mine", bool, description="Only the caller's reports"),
    OpenApiParameter("country", str, pattern="^[A-Za-z]{2}$"),
    OpenApiParameter(
        "channel", str, enum=[str(value) for value, _label in Report._meta.get_field("channel").choices or []]
    ),
    OpenApiParameter("created_after", OpenApiTypes.DATETIME),
    OpenApiParameter("created_before", OpenApiTypes.DATETIME),
    OpenApiParameter(
        "sort", str, enum=list(SORTS), description="`queue` (default: most urgent, then oldest) or by arrival"
    ),
]


def reports_filtered(actor: Any, params: Any) -> tuple[QuerySet[Report], tuple[str, ...]]:
    """The queue's selector with the list's filters; the same rows the triage queue shows."""
    filters = ReportFilterSerializer(data=params)
    filters.is_valid(raise_exception=True)
    data = filters.validated_data
    reports = selectors.triage_queue(
        actor,
        status=data["status"],
        urgency=int(data["urgency"]) if data.get("urgency") else None,
        mine=data["mine"],
    )
    if data.get("country"):
        reports = reports.filter(country=data["country"].upper())
    if data.get("channel"):
        reports = reports.filter(channel=data["channel"])
    if data.get("created_after"):
        reports = reports.filter(created_at__gte=data["created_after"])
    if data.get("created_before"):
        reports = reports.filter(created_at__lt=data["created_before"])
    return reports, SORTS[data["sort"]]


class OperatorReportSerializer(PublicReportSerializer):
    """The public report's fields, and the channel the operator heard it on."""

    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in OPERATOR_CHANNELS])
    proof_of_work = None  # type: ignore[assignment]


class OperatorReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    receipt = serializers.CharField(help_text="Read it to the reporter: it opens the follow-up")


class ReportListApi(StaffAPIView):
    pagination_class = BoundedCursorPagination

    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses=ReportSummarySerializer(many=True),
        tags=REPORT_TAGS,
        examples=body_examples("A report in triage", answer=REPORT_SUMMARY_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Reports the caller's organisation receives or was handed, with the queue's filters;
        pages follow ``next`` (a cursor), stable while reports arrive."""
        actor = self.actor
        actor.require("report.view")
        reports, ordering = reports_filtered(actor, request.query_params)
        paginator = self.pagination_class()
        paginator.ordering = ordering
        page = paginator.paginate_queryset(reports, request, view=self) or []
        audit_record(
            action="report.list_viewed",
            actor=actor.user,
            organisation=actor.organisation,
            detail={"report_ids": [report.pk for report in page]},
        )
        return paginator.get_paginated_response(ReportSummarySerializer(page, many=True).data)

    @extend_schema(
        request=OperatorReportSerializer,
        responses={201: OperatorReceiptSerializer},
        tags=REPORT_TAGS,
        summary="Record a report told by phone, SMS, e-mail, in person or by a partner (operator intake)",
        examples=body_examples(
            "A call about a child selling at the station",
            request={
                "channel": "phone",
                "narrative": "A girl of about 13 sells flowers at the station late every night.",
                "country": "GB",
                "subdivision": "GB-MAN",
                "place": "Near the north entrance of the central station",
                "occurred": "this_week",
                "children": [{"age": 13, "gender": "Feminine", "description": "Red coat"}],
                "identifiers": [{"kind": "plate", "value": "FX12 ABC"}],
                "indicators": ["out_of_school"],
                "exploitation_types": ["ChildLabour"],
                "child_in_danger": None,
                "relation": "witness",
                "contact": {"name": "Fictional Caller", "phone": "+447700900123", "consent": True},
                "language": "en",
            },
            answer={"id": 41, "reference": "SG-7K2M9QXD", "receipt": "M3PZ-T6QA-4HTR-8WPA-3NVE-6ZCJ"},
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        actor = self.actor
        actor.require("report.intake")
        serializer = OperatorReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entered = submission.report_enter(
            data=serializer.to_input(), channel=serializer.validated_data["channel"], actor=actor
        )
        return Response(
            {"id": entered.report.pk, "reference": entered.report.reference, "receipt": entered.receipt},
            status=status.HTTP_201_CREATED,
        )


class ReportDetailApi(StaffAPIView):
    @extend_schema(
        responses=ReportDetailSerializer,
        tags=REPORT_TAGS,
        examples=body_examples("A report as its page shows it", answer=REPORT_DETAIL_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """A report as its page shows it to the caller; the view is audited."""
        actor = self.actor
        actor.require("report.view")
        report = access.report_for(actor, pk)
        audit_record(
            action="report.viewed",
            actor=actor.user,
            organisation=actor.organisation,
            target=report,
            detail={
                "contact_shown": access.may_see_contact(actor, report) and bool(report.contact),
                "via": "api",
            },
        )
        return Response(report_detail_data(actor, report))


def _summary(report: Report) -> Response:
    report.refresh_from_db()
    return Response(ReportSummarySerializer(report).data)


class _ReportAction(StaffAPIView):
    """A triage action on a report of the caller's organisation (``access.report_for``)."""

    action = "report.triage"

    def report(self, pk: int) -> Report:
        self.actor.require(self.action)
        return access.report_for(self.actor, pk, action=self.action)

    def body(self, serializer: serializers.Serializer) -> dict[str, Any]:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        allow_null=True, min_value=1, help_text="A user id, or null for nobody"
    )


class ReportAssignApi(_ReportAction):
    @extend_schema(
        request=AssignSerializer,
        responses=ReportSummarySerializer,
        tags=REPORT_TAGS,
        examples=body_examples("To an operator", request={"assignee": 7}, answer=REPORT_SUMMARY_EXAMPLE),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Give the report to an operator or supervisor of the organisation, or to nobody."""
        report = self.report(pk)
        data = self.body(AssignSerializer(data=request.data))
        users = selectors.assignable_users(report.organisation) if report.organisation else []
        assignee = next((user for user in users if user.pk == data["assignee"]), None)
        if data["assignee"] is not None and assignee is None:
            raise serializers.ValidationError(
                {"assignee": ["Choose an operator or supervisor of your organisation."]}
            )
        triage.report_assign(report=report, assignee=assignee, actor=self.actor)
        return _summary(report)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")


class ReportStatusApi(_ReportAction):
    @extend_schema(
        request=StatusSerializer,
        responses=ReportSummarySerializer,
        tags=REPORT_TAGS,
        examples=body_examples(
            "Closed as actionable",
            request={"status": "closed", "outcome": "actionable"},
            answer={
                **REPORT_SUMMARY_EXAMPLE,
                "status": "closed",
                "outcome": "actionable",
                "closed_at": "2026-03-03T16:40:00Z",
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Move the report along the workflow; closing needs an outcome."""
        report = self.report(pk)
        data = self.body(StatusSerializer(data=request.data))
        triage.report_change_status(
            report=report, status=data["status"], outcome=data["outcome"], actor=self.actor
        )
        return _summary(report)


class TextSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=TEXT_MAX, validators=[no_control_characters])


class ReportNoteApi(_ReportAction):
    @extend_schema(
        request=TextSerializer,
        responses={201: NoteSerializer},
        tags=REPORT_TAGS,
        examples=body_examples(
            "What the school said",
            request={"body": REPORT_NOTE_EXAMPLE["body"]},
            answer=REPORT_NOTE_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """An internal note (never shown to the reporter); also by an organisation that accepted a hand-over."""
        self.actor.require(self.action)
        report = access.report_to_handle(self.actor, pk)
        data = self.body(TextSerializer(data=request.data))
        note = triage.report_add_note(report=report, body=data["body"], actor=self.actor)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class ReportQuestionApi(_ReportAction):
    @extend_schema(
        request=TextSerializer,
        responses={201: MessageSerializer},
        tags=REPORT_TAGS,
        examples=body_examples(
            "Where the car waits",
            request={"body": REPORT_QUESTION_EXAMPLE["body"]},
            answer=REPORT_QUESTION_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """A question the reporter reads when they follow up with their receipt."""
        self.actor.require(self.action)
        report = access.report_to_handle(self.actor, pk)
        data = self.body(TextSerializer(data=request.data))
        message = triage.report_ask_reporter(report=report, body=data["body"], actor=self.actor)
        message.shown_author = self.actor.user.name  # type: ignore[attr-defined]
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class OrganisationSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1)


class ReportRouteApi(_ReportAction):
    @extend_schema(
        request=OrganisationSerializer,
        responses={201: RouteOutSerializer},
        tags=REPORT_TAGS,
        examples=body_examples(
            "Offered to Harbour Light", request={"organisation": 3}, answer=ROUTE_EXAMPLE, status="201"
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Hand the report over to another active organisation (it is offered to it)."""
        report = self.report(pk)
        data = self.body(OrganisationSerializer(data=request.data))
        organisation = selectors.route_destinations(self.actor).filter(pk=data["organisation"]).first()
        if organisation is None:
            raise serializers.ValidationError({"organisation": ["Choose another active organisation."]})
        route = routing.report_route(report=report, organisation=organisation, actor=self.actor)
        return Response(RouteOutSerializer(route).data, status=status.HTTP_201_CREATED)


class EscalateSerializer(OrganisationSerializer):
    summary = serializers.CharField(max_length=TEXT_MAX, validators=[no_control_characters])


class ReportEscalateApi(_ReportAction):
    action = "report.escalate"

    @extend_schema(
        request=EscalateSerializer,
        responses={201: EscalationRefSerializer},
        tags=REPORT_TAGS,
        examples=body_examples(
            "To the police liaison",
            request={"organisation": 4, "summary": ESCALATION_EXAMPLE["summary"]},
            answer=ESCALATION_REF_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Escalate to a law-enforcement organisation with a package frozen now."""
        report = self.report(pk)
        data = self.body(EscalateSerializer(data=request.data))
        organisation = selectors.law_enforcement_organisations().filter(pk=data["organisation"]).first()
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": ["Choose an active law-enforcement organisation."]}
            )
        escalation = escalation_services.report_escalate(
            report=report, organisation=organisation, summary=data["summary"], actor=self.actor
        )
        return Response(EscalationRefSerializer(escalation).data, status=status.HTTP_201_CREATED)


class MergeSerializer(serializers.Serializer):
    original = serializers.CharField(max_length=16, help_text="The reference of the original report")


class ReportMergeApi(_ReportAction):
    @extend_schema(
        request=MergeSerializer,
        responses=ReportSummarySerializer,
        tags=REPORT_TAGS,
        examples=body_examples(
            "A second call about the same girl",
            request={"original": "SG-3QHV8N2D"},
            answer={
                **REPORT_SUMMARY_EXAMPLE,
                "id": 44,
                "reference": "SG-9TBW4F6K",
                "status": "closed",
                "outcome": "duplicate",
                "closed_at": "2026-03-02T11:05:00Z",
                "duplicate_of": 38,
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Close this report as a duplicate of ``original`` (same organisation) and merge it in."""
        report = self.report(pk)
        data = self.body(MergeSerializer(data=request.data))
        original = access.own_report_by_reference(self.actor, data["original"].strip().upper())
        if original is None:
            raise serializers.ValidationError(
                {"original": ["No report of your organisation has this reference."]}
            )
        triage.report_merge_duplicate(duplicate=report, original=original, actor=self.actor)
        return _summary(report)


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report_id = serializers.IntegerField()
    report_reference = serializers.CharField(source="report.reference")
    from_organisation = serializers.CharField(source="from_organisation.name")
    created_at = serializers.DateTimeField()
    summary = serializers.CharField()
    outcome = serializers.ChoiceField(choices=EscalationOutcome.choices)
    outcome_note = serializers.CharField()
    outcome_at = serializers.DateTimeField(allow_null=True)


class EscalationDetailSerializer(EscalationSerializer):
    package = serializers.DictField(help_text="The package frozen when the report was escalated")


class EscalationListApi(StaffAPIView):
    pagination_class = BoundedCursorPagination

    @extend_schema(
        parameters=[OpenApiParameter("outcome", str, enum=EscalationOutcome.values)],
        responses=EscalationSerializer(many=True),
        tags=ESCALATION_TAGS,
        examples=body_examples("An escalation awaiting its outcome", answer=ESCALATION_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Escalations sent to the caller's law-enforcement organisation (its liaisons)."""
        actor = self.actor
        actor.require("escalation.receive")
        escalations: QuerySet[Escalation] = access.escalations_for(actor)
        outcome = request.query_params.get("outcome", "")
        if outcome and outcome not in EscalationOutcome.values:
            raise serializers.ValidationError({"outcome": ["Not an escalation outcome."]})
        if outcome:
            escalations = escalations.filter(outcome=outcome)
        paginator = self.pagination_class()
        paginator.ordering = ("-created_at", "-id")
        page = paginator.paginate_queryset(escalations, request, view=self) or []
        return paginator.get_paginated_response(EscalationSerializer(page, many=True).data)


class EscalationDetailApi(StaffAPIView):
    @extend_schema(
        responses=EscalationDetailSerializer,
        tags=ESCALATION_TAGS,
        examples=body_examples(
            "An escalation and its package",
            answer={
                **ESCALATION_EXAMPLE,
                "package": {
                    "format": "safeguard.escalation/1",
                    "reference": "SG-7K2M9QXD",
                    "received_at": "2026-03-02T08:15:00+00:00",
                    "channel": "phone",
                    "from_organisation": "Northwind Hotline",
                    "to_organisation": "Harbour Police Liaison",
                    "escalated_by": "Amina Operator",
                    "escalated_at": "2026-03-02T10:30:00+00:00",
                    "summary": ESCALATION_EXAMPLE["summary"],
                    "urgency": "high",
                    "country": "GB",
                    "narrative": REPORT_DETAIL_EXAMPLE["narrative"],
                    "identifiers": [
                        {
                            "kind": "plate",
                            "value": "FX12 ABC",
                            "normalised": "FX12ABC",
                            "parsed": True,
                            "verified": True,
                        }
                    ],
                    "reporter_contact": None,
                },
            },
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        """An escalation and its package; the view is audited as on the liaison's page."""
        actor = self.actor
        actor.require("escalation.receive")
        escalation = access.escalation_for(actor, pk)
        audit_record(
            action="escalation.viewed", actor=actor.user, organisation=actor.organisation, target=escalation
        )
        return Response(EscalationDetailSerializer(escalation).data)


class EscalationOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in EscalationOutcome.choices if c[0] != EscalationOutcome.PENDING]
    )
    note = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", validators=[no_control_characters]
    )


class EscalationOutcomeApi(StaffAPIView):
    @extend_schema(
        request=EscalationOutcomeSerializer,
        responses=EscalationSerializer,
        tags=ESCALATION_TAGS,
        examples=body_examples(
            "An investigation opened",
            request={"outcome": "investigation_opened", "note": "Case 2026/114 at the city unit."},
            answer={
                **ESCALATION_EXAMPLE,
                "outcome": "investigation_opened",
                "outcome_note": "Case 2026/114 at the city unit.",
                "outcome_at": "2026-03-04T15:00:00Z",
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """The liaison returns what law enforcement did; the hotline is told."""
        actor = self.actor
        actor.require("escalation.receive")
        escalation = access.escalation_for(actor, pk)
        serializer = EscalationOutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        escalation_services.escalation_record_outcome(
            escalation=escalation, actor=actor, **serializer.validated_data
        )
        escalation.refresh_from_db()
        return Response(EscalationSerializer(escalation).data)


EXPORT_MAX = 10_000
EXPORT_COLUMNS = list(ReportSummarySerializer().fields)


def write_export(out: Any, rows: Iterable[dict[str, Any]]) -> None:
    """The export's CSV into ``out``: a header, then one line per list row (lists joined by ``|``)."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for data in rows:
        writer.writerow(
            {key: "|".join(value) if isinstance(value, list) else value for key, value in data.items()}
        )


def export_example() -> str:
    """The export of the one report of ``REPORT_SUMMARY_EXAMPLE``, as the schema shows it."""
    out = io.StringIO()
    write_export(out, [REPORT_SUMMARY_EXAMPLE])
    return out.getvalue()


class ReportExportApi(StaffAPIView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per report")},
        tags=REPORT_TAGS,
        summary="The report list as CSV, with the list's filters and order (at most 10,000 rows)",
        examples=[
            OpenApiExample("One report", value=export_example(), response_only=True, media_type="text/csv")
        ],
    )
    def get(self, request: Request) -> HttpResponse:
        """The same rows and columns as ``GET /reports`` (no narrative, people or contact); audited."""
        actor = self.actor
        actor.require("report.view")
        reports, ordering = reports_filtered(actor, request.query_params)
        rows = list(reports.order_by(*ordering)[:EXPORT_MAX])
        audit_record(
            action="report.list_exported",
            actor=actor.user,
            organisation=actor.organisation,
            detail={"report_ids": [report.pk for report in rows]},
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="reports.csv"'
        write_export(response, ReportSummarySerializer(rows, many=True).data)
        return response
