"""HTCDS v2.0 exchange in ``/api/v1/``: a case, or the case list, as HTCDS rows; rows imported.

The same code as the export and import pages (``cases.htcds``), the same roles (``htcds.export``,
``htcds.import``), the same reach (the cases the caller may see) and the same audit records.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.access import Actor
from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.cases import htcds
from safeguard.cases.access import case_for
from safeguard.cases.apis import validated
from safeguard.cases.models import Case, CaseStatus
from safeguard.cases.selectors import case_list
from safeguard.core.audit import audit_record
from safeguard.core.pagination import BoundedCursorPagination

HTCDS_TAGS = ["htcds"]
MAX_IMPORT_ROWS = 1000

ROW_EXAMPLE = {
    "id": 12,
    "reference": "C-2026-4F2A9C1B",
    "htcds": {
        "prs_FirstName": "Testa",
        "prs_SecondName": "Fictionalia",
        "prs_Birthdate": "2012-05-01",
        "prs_Gender": "Feminine",
        "prs_Citizenship": "NG",
        "vic_TypeOfExploitation": "ChildLabour",
        "vic_AgreementToManagePersonalData": "false",
        "cas_Status": "Open",
    },
}
IMPORT_EXAMPLE = {
    "rows": [
        {
            "prs_FirstName": "Kamo",
            "prs_SecondName": "Zeluta",
            "prs_Gender": "Feminine",
            "prs_Citizenship": "NG",
        }
    ],
    "import_valid_rows": False,
}

DEIDENTIFIED = OpenApiParameter(
    "deidentified",
    bool,
    description="Leave out names and contact details; birth dates and ages coarsened (as the export page)",
)


class HtcdsRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    reference = serializers.CharField(source="case.reference")
    htcds = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="The HTCDS v2.0 fields, by their names"
    )


def _deidentified(request: Request) -> bool:
    raw = request.query_params.get("deidentified", "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise serializers.ValidationError({"deidentified": [_("Use true or false.")]})
    return raw in ("true", "1")


def _rows(actor: Actor, cases: list[Case], *, deidentified: bool) -> list[dict[str, Any]]:
    audit_record(
        action="htcds.exported",
        actor=actor.user,
        organisation=actor.organisation,
        detail={
            "cases": len(cases),
            "case_ids": [case.pk for case in cases],
            "deidentified": deidentified,
            "format": "api",
        },
    )
    return [{"case": case, "htcds": htcds.case_row(case, deidentified=deidentified)} for case in cases]


class CaseHtcdsApi(StaffAPIView):
    @extend_schema(
        parameters=[DEIDENTIFIED],
        responses=HtcdsRowSerializer,
        tags=HTCDS_TAGS,
        examples=body_examples("A case", answer=ROW_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """One case as an HTCDS row; audited as an export."""
        actor = self.actor
        actor.require("htcds.export")
        case = case_for(actor, pk)
        rows = _rows(actor, [case], deidentified=_deidentified(request))
        return Response(HtcdsRowSerializer(rows[0]).data)


class HtcdsExportApi(StaffAPIView):
    pagination_class = BoundedCursorPagination

    @extend_schema(
        parameters=[DEIDENTIFIED, OpenApiParameter("status", str, description="As the case list's filter")],
        responses=HtcdsRowSerializer(many=True),
        tags=HTCDS_TAGS,
        examples=body_examples("One page", answer=ROW_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """The cases the caller may see as HTCDS rows, oldest first (merged cases left out); each
        page is audited as an export. ``?format=csv`` gives the rows as CSV."""
        actor = self.actor
        actor.require("htcds.export")
        deidentified = _deidentified(request)
        cases = case_list(actor, status=request.query_params.get("status", ""))
        cases = cases.exclude(status=CaseStatus.MERGED).prefetch_related("consents")
        paginator = self.pagination_class()
        paginator.ordering = ("registered_at", "id")
        page = paginator.paginate_queryset(cases, request, view=self) or []
        rows = _rows(actor, list(page), deidentified=deidentified)
        return paginator.get_paginated_response(HtcdsRowSerializer(rows, many=True).data)


class HtcdsImportSerializer(serializers.Serializer):
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000)),
        allow_empty=False,
        max_length=MAX_IMPORT_ROWS,
        help_text="HTCDS rows: field name → text, as the columns of an HTCDS CSV file",
    )
    import_valid_rows = serializers.BooleanField(
        default=False, help_text="Import the valid rows even if others have errors"
    )


class FieldErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="As a spreadsheet numbers it: the first row sent is 2")
    field = serializers.CharField()
    reason = serializers.CharField()


class HtcdsImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    imported = serializers.ListField(child=serializers.CharField(), help_text="References of the new cases")
    closure_requested = serializers.ListField(
        child=serializers.CharField(), help_text="New cases the rows gave as closed: a supervisor decides"
    )
    row_errors = FieldErrorSerializer(
        many=True, help_text="The rows not imported, with their fields and reasons"
    )
    unknown_columns = serializers.ListField(child=serializers.CharField())


class HtcdsImportApi(StaffAPIView):
    @extend_schema(
        request=HtcdsImportSerializer,
        responses={201: HtcdsImportResultSerializer},
        tags=HTCDS_TAGS,
        examples=body_examples(
            "One child",
            request=IMPORT_EXAMPLE,
            answer={
                "rows": 1,
                "imported": ["C-2026-7D3E0A12"],
                "closure_requested": [],
                "row_errors": [],
                "unknown_columns": [],
            },
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        """Open a case per valid row, all in one transaction. With any error (and without
        ``import_valid_rows``) nothing is imported and the 400 names every row and field."""
        actor = self.actor
        actor.require("htcds.import")
        data = validated(HtcdsImportSerializer, request)
        report = htcds.validate_rows([{str(k): str(v) for k, v in row.items()} for row in data["rows"]])
        if report.errors and not data["import_valid_rows"]:
            raise serializers.ValidationError(
                {"rows": [f"row {error.row}, {error.field}: {error.reason}" for error in report.errors]}
            )
        htcds.import_rows(actor=actor, report=report, import_valid_rows=data["import_valid_rows"])
        answer = {
            "rows": report.rows,
            "imported": [case.reference for case in report.imported],
            "closure_requested": [case.reference for case in report.closure_requested],
            "row_errors": [dataclasses.asdict(error) for error in report.errors],
            "unknown_columns": report.unknown_columns,
        }
        return Response(HtcdsImportResultSerializer(answer).data, status=201)
