"""Flags on a report in ``/api/v1/``: list them, raise one, resolve one.

The same path as the report page (``views.triage``): each organisation sees only the flags it
raised, on a report it may see (``access.report_for``); it raises and resolves them on a report
it works on, its own or a hand-over it accepted (``access.report_to_handle``,
``access.report_flag_for``), through ``services.flags``, which puts the change on the report's
timeline and in the audit log. Without ``report.triage`` a write is 403; a report or flag
outside the caller's reach is 404.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.core.audit import audit_record
from safeguard.core.flag_serializers import (
    FLAG_EXAMPLE,
    FLAG_RAISE_EXAMPLE,
    FLAG_RESOLVED_EXAMPLE,
    FlagRaiseSerializer,
    FlagResolveSerializer,
    FlagSerializer,
)
from safeguard.core.pagination import BoundedCursorPagination
from safeguard.intake import access
from safeguard.intake.services import flags

REPORT_TAGS = ["reports"]

REPORT_FLAG_EXAMPLE = {
    **FLAG_EXAMPLE,
    "note": "The caller sounded scared and hung up (fictional).",
    "raised_by": "Bob Operator",
}
REPORT_FLAG_RESOLVED_EXAMPLE = {
    **FLAG_RESOLVED_EXAMPLE,
    "note": REPORT_FLAG_EXAMPLE["note"],
    "raised_by": "Bob Operator",
    "resolution_note": "Called back; the child is safe (fictional).",
}


class ReportFlagsApi(StaffAPIView):
    pagination_class = BoundedCursorPagination

    @extend_schema(
        responses=FlagSerializer(many=True),
        tags=REPORT_TAGS,
        examples=body_examples("One open flag", answer=REPORT_FLAG_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The flags the caller's organisation raised on the report, open and resolved, newest
        first (the report page's flags); audited as a view of the report."""
        actor = self.actor
        actor.require("report.view")
        report = access.report_for(actor, pk)
        audit_record(
            action="report.viewed",
            actor=actor.user,
            organisation=actor.organisation,
            target=report,
            detail={"contact_shown": False, "via": "api", "part": "flags"},
        )
        paginator = self.pagination_class()
        paginator.ordering = ("-raised_at", "-id")
        own = report.flags.filter(organisation=actor.organisation).select_related("raised_by", "resolved_by")
        page = paginator.paginate_queryset(own, request, view=self) or []
        return paginator.get_paginated_response(FlagSerializer(page, many=True).data)

    @extend_schema(
        request=FlagRaiseSerializer,
        responses={201: FlagSerializer},
        tags=REPORT_TAGS,
        examples=body_examples(
            "A safety concern",
            request={**FLAG_RAISE_EXAMPLE, "note": REPORT_FLAG_EXAMPLE["note"]},
            answer=REPORT_FLAG_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Flag the report for the caller's organisation (its own report, or a hand-over it accepted),
        with a reason and an optional note; only that organisation sees the flag."""
        actor = self.actor
        actor.require("report.triage")
        report = access.report_to_handle(actor, pk)
        serializer = FlagRaiseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flag = flags.report_flag_raise(actor=actor, report=report, **serializer.validated_data)
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


class ReportFlagResolveApi(StaffAPIView):
    @extend_schema(
        request=FlagResolveSerializer,
        responses=FlagSerializer,
        tags=REPORT_TAGS,
        examples=body_examples(
            "Resolved",
            request={"note": REPORT_FLAG_RESOLVED_EXAMPLE["resolution_note"]},
            answer=REPORT_FLAG_RESOLVED_EXAMPLE,
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Resolve an open flag of the caller's organisation, saying how; a resolved flag cannot be
        resolved again (400)."""
        actor = self.actor
        actor.require("report.triage")
        flag = access.report_flag_for(actor, pk)
        serializer = FlagResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flag = flags.report_flag_resolve(actor=actor, flag=flag, note=serializer.validated_data["note"])
        return Response(FlagSerializer(flag).data)
