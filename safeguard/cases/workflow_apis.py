"""The rest of the case page's steps in ``/api/v1/``: person edit, perpetrators, the assessment,
care plans and their approval, transfers, documents and the closure checklist.

Each view loads its object through ``cases.access`` (404 outside the caller's reach, 403 without
the role) and calls the one service the web page calls, so the API is no second path to a case:
the same checks, the same events on the timeline, the same audit records.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.accounts.models import Organisation
from safeguard.api.schema import body_examples
from safeguard.cases import choices
from safeguard.cases.access import case_for, case_view_for, plan_for_approver, transfer_for_receiver
from safeguard.cases.apis import CaseSerializer, PersonSerializer, case_step, validated
from safeguard.cases.models import (
    ASSESSMENT_DOMAINS,
    CaseNote,
    ClosureChecklistItem,
    PlanStatus,
    Rating,
    TransferStatus,
)
from safeguard.cases.selectors import person_details, transfers_offered
from safeguard.cases.services import transfers
from safeguard.cases.services.assessment import assessment_record
from safeguard.cases.services.checklist import checklist_item_add, checklist_item_retire
from safeguard.cases.services.documents import document_add, document_download, document_max_bytes
from safeguard.cases.services.perpetrators import perpetrator_add
from safeguard.cases.services.person import case_update_context, person_update
from safeguard.cases.services.plans import PlanItemInput, care_plan_decide, care_plan_submit
from safeguard.cases.services.registration import CONTEXT_FIELDS
from safeguard.core.pagination import BoundedCursorPagination
from safeguard.directory.models import ServiceKind

CASE_TAGS = ["cases"]

CASE_EXAMPLE = {
    "id": 12,
    "reference": "C-2026-4F2A9C1B",
    "status": "open",
    "stage": "assessed",
    "htcds_status": "Open",
    "risk_level": "high",
    "owner": "Cara Caseworker",
    "registered_at": "2026-01-04T09:30:00Z",
    "first_name": "Testa",
    "second_name": "Fictionalia",
    "aliases": ["Tess"],
    "birth_year": 2012,
    "gender": "Feminine",
    "citizenships": ["NG"],
    "trafficking_status": "PossibleVictimOfTrafficking",
    "exploitation_types": ["ChildLabour"],
    "custom_fields": {},
    "report": 7,
}
TRANSFER_EXAMPLE = {
    "id": 5,
    "case": 12,
    "case_reference": "C-2026-4F2A9C1B",
    "from_organisation": "Alpha Helpline",
    "to_organisation": 3,
    "reason": "The family moved to the other organisation's area.",
    "override_reason": "",
    "status": "pending",
    "requested_at": "2026-02-01T10:00:00Z",
    "responded_at": None,
}
DOCUMENT_EXAMPLE = {
    "id": 31,
    "name": "school-report.pdf",
    "content_type": "application/pdf",
    "type_label": "PDF",
    "size": 48213,
    "scan_status": "not_scanned",
    "note": None,
    "uploaded_at": "2026-02-03T14:12:00Z",
}
PLAN_EXAMPLE = {
    "goals": "A safe place to live and a return to school.",
    "support_type": "",
    "planned_end": "2026-09-30",
    "items": [{"need": "education", "action": "Enrol at the local school", "due_on": "2026-03-01"}],
}
RATINGS_EXAMPLE = {
    "immediate_safety": 2,
    "medical": 1,
    "psychological": 2,
    "legal": 1,
    "shelter": 3,
    "education": 2,
    "family_tracing": 1,
}
CHECKLIST_EXAMPLE = {"id": 1, "text": "Child told of the closure."}


# --- the child's details -------------------------------------------------------------------


class PersonEditSerializer(PersonSerializer):
    """Only the fields sent change (``PATCH``); the identity number stays as registered."""

    secondary_language = serializers.CharField(max_length=3, required=False, allow_blank=True)
    subdivision = serializers.CharField(max_length=6, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    guardian_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    guardian_relationship = serializers.CharField(max_length=100, required=False, allow_blank=True)
    guardian_phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    trafficking_status = serializers.ChoiceField(choices=choices.TraffickingStatus.choices, required=False)
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.ExploitationType.choices), required=False
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        return data  # the service checks the names of the record as it will be


class CasePersonApi(StaffAPIView):
    @extend_schema(
        request=PersonEditSerializer,
        responses=CaseSerializer,
        tags=CASE_TAGS,
        examples=body_examples(
            "A new phone and the exploitation found",
            request={"phone": "+447700900999", "exploitation_types": ["ChildLabour"]},
            answer=CASE_EXAMPLE,
        ),
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Correct the child's details or the victim context: the fields sent change, others stay."""
        actor = self.actor
        case = case_for(actor, pk, action="case.edit")
        serializer = PersonEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        sent = dict(serializer.validated_data)
        context = {name: getattr(case, name) for name in CONTEXT_FIELDS}
        context.update({name: sent.pop(name) for name in CONTEXT_FIELDS if name in sent})
        with transaction.atomic():
            person_update(actor=actor, case=case, person=dataclasses.replace(person_details(case), **sent))
            case = case_update_context(actor=actor, case=case, **context)
        return Response(CaseSerializer(case, context={"actor": actor}).data)


class PerpetratorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    identifiers = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, help_text="Phones, handles"
    )
    roles = serializers.ListField(child=serializers.ChoiceField(choices=choices.PerpetratorRole.choices))
    role_details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    gender = serializers.ChoiceField(
        choices=choices.Gender.choices, required=False, allow_blank=True, default=""
    )
    citizenships = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, default=list
    )

    validate_citizenships = PersonSerializer.validate_citizenships


class CasePerpetratorsApi(StaffAPIView):
    @extend_schema(
        request=PerpetratorSerializer,
        responses={201: PerpetratorSerializer},
        tags=CASE_TAGS,
        examples=body_examples(
            "A recruiter",
            request={
                "name": "Fictional Suspect",
                "identifiers": ["+447700900555"],
                "roles": ["RecruiterOrIntermediary"],
            },
            answer={
                "id": 4,
                "name": "Fictional Suspect",
                "identifiers": ["+447700900555"],
                "roles": ["RecruiterOrIntermediary"],
                "role_details": "",
                "gender": "",
                "citizenships": [],
            },
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record a person suspected of trafficking the child (HTCDS ``per_``)."""
        return case_step(
            self,
            request,
            pk,
            body=PerpetratorSerializer,
            service=perpetrator_add,
            answer=PerpetratorSerializer,
        )


# --- assessment and care plans -------------------------------------------------------------


class AssessmentSerializer(serializers.Serializer):
    """A rating of every domain (0 no concern … 4 urgent), with optional notes per domain."""

    id = serializers.IntegerField(read_only=True)
    ratings = serializers.DictField(child=serializers.ChoiceField(choices=Rating.choices))
    notes = serializers.DictField(
        child=serializers.CharField(max_length=20000, allow_blank=True), required=False, default=dict
    )
    risk_level = serializers.CharField(source="case.risk_level", read_only=True)
    assessed_at = serializers.DateTimeField(read_only=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        domains = {name for name, _label in ASSESSMENT_DOMAINS}
        for name in ("ratings", "notes"):
            unknown = sorted(set(data.get(name, {})) - domains)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Not an assessment domain: %(names)s") % {"names": ", ".join(unknown)}]}
                )
        return data

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return super().to_representation(
            {
                "id": instance.pk,
                "ratings": {name: getattr(instance, name) for name, _label in ASSESSMENT_DOMAINS},
                "notes": instance.notes or {},
                "case": instance.case,
                "assessed_at": instance.assessed_at,
            }
        )


class CaseAssessmentsApi(StaffAPIView):
    @extend_schema(
        request=AssessmentSerializer,
        responses={201: AssessmentSerializer},
        tags=CASE_TAGS,
        examples=body_examples(
            "No safe place to stay",
            request={"ratings": RATINGS_EXAMPLE, "notes": {"shelter": "Sleeping at a friend's, not safe."}},
            answer={
                "id": 9,
                "ratings": RATINGS_EXAMPLE,
                "notes": {"shelter": "Sleeping at a friend's, not safe."},
                "risk_level": "high",
                "assessed_at": "2026-01-06T11:00:00Z",
            },
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record the initial (or a repeat) assessment; the case's risk level follows the highest rating."""
        return case_step(
            self,
            request,
            pk,
            body=AssessmentSerializer,
            service=assessment_record,
            answer=AssessmentSerializer,
        )


class PlanItemSerializer(serializers.Serializer):
    need = serializers.ChoiceField(choices=ServiceKind.choices)
    action = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


class CarePlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    goals = serializers.CharField(max_length=20000)
    support_type = serializers.ChoiceField(
        choices=choices.SupportPlanType.choices, required=False, allow_blank=True, default=""
    )
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)
    items = PlanItemSerializer(many=True, allow_empty=False)
    status = serializers.ChoiceField(choices=PlanStatus.choices, read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        answer = super().to_representation(instance)
        answer["items"] = PlanItemSerializer(instance.items.all(), many=True).data
        return answer


def _plan_submit(*, items: list[dict[str, Any]], **values: Any) -> Any:
    return care_plan_submit(items=[PlanItemInput(**item) for item in items], **values)


class CaseCarePlansApi(StaffAPIView):
    @extend_schema(
        request=CarePlanSerializer,
        responses={201: CarePlanSerializer},
        tags=CASE_TAGS,
        examples=body_examples(
            "School and shelter",
            request=PLAN_EXAMPLE,
            answer={
                "id": 7,
                **PLAN_EXAMPLE,
                "status": "submitted",
                "submitted_at": "2026-01-08T09:00:00Z",
                "decided_at": None,
                "decision_note": "",
            },
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Submit a care plan (after the assessment) for a supervisor other than its author to approve."""
        return case_step(
            self, request, pk, body=CarePlanSerializer, service=_plan_submit, answer=CarePlanSerializer
        )


class CarePlanDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Needed to return a plan."
    )


class CarePlanDecisionApi(StaffAPIView):
    @extend_schema(
        request=CarePlanDecisionSerializer,
        responses=CarePlanSerializer,
        tags=CASE_TAGS,
        examples=body_examples(
            "Approved",
            request={"approve": True, "note": ""},
            answer={
                "id": 7,
                **PLAN_EXAMPLE,
                "status": "approved",
                "submitted_at": "2026-01-08T09:00:00Z",
                "decided_at": "2026-01-09T16:30:00Z",
                "decision_note": "",
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Approve a submitted care plan (its actions become tasks) or return it with a note."""
        actor = self.actor
        plan = care_plan_decide(
            actor=actor, plan=plan_for_approver(actor, pk), **validated(CarePlanDecisionSerializer, request)
        )
        return Response(CarePlanSerializer(plan).data)


# --- transfers -----------------------------------------------------------------------------


class TransferSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    from_organisation = serializers.CharField(source="from_organisation.name", read_only=True)
    to_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    reason = serializers.CharField(max_length=2000)
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="A supervisor's reason for transferring without the child's consent naming the organisation.",
    )
    status = serializers.ChoiceField(choices=TransferStatus.choices, read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    responded_at = serializers.DateTimeField(read_only=True, allow_null=True)


class TransferAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CaseTransfersApi(StaffAPIView):
    @extend_schema(
        request=TransferSerializer,
        responses={201: TransferSerializer},
        tags=CASE_TAGS,
        examples=body_examples(
            "The family moved",
            request={"to_organisation": 3, "reason": "The family moved to the other organisation's area."},
            answer=TRANSFER_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Offer the whole case to another organisation; it moves once a supervisor there accepts."""
        return case_step(
            self,
            request,
            pk,
            body=TransferSerializer,
            service=transfers.transfer_request,
            answer=TransferSerializer,
        )


class TransferListApi(StaffAPIView):
    pagination_class = BoundedCursorPagination

    @extend_schema(
        responses=TransferSerializer(many=True),
        tags=CASE_TAGS,
        examples=body_examples("One offer", answer=TRANSFER_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Transfers offered to the caller's organisation and still awaiting an answer, oldest first."""
        actor = self.actor
        actor.require("case.approve")
        offered = transfers_offered(actor)
        paginator = self.pagination_class()
        paginator.ordering = ("requested_at", "id")
        page = paginator.paginate_queryset(offered, request, view=self) or []
        return paginator.get_paginated_response(TransferSerializer(page, many=True).data)


class TransferAnswerApi(StaffAPIView):
    @extend_schema(
        request=TransferAnswerSerializer,
        responses=TransferSerializer,
        tags=CASE_TAGS,
        examples=body_examples(
            "Accepted",
            request={"accept": True, "note": "We take the case."},
            answer={**TRANSFER_EXAMPLE, "status": "accepted", "responded_at": "2026-02-02T08:45:00Z"},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Accept a transfer offered to the caller's organisation (the case becomes the caller's) or
        decline it."""
        actor = self.actor
        transfer = transfers.transfer_respond(
            actor=actor,
            transfer=transfer_for_receiver(actor, pk),
            **validated(TransferAnswerSerializer, request),
        )
        return Response(TransferSerializer(transfer).data)


# --- documents -----------------------------------------------------------------------------


class DocumentBodyParser(BaseParser):
    """The file itself as the body, read up to the document limit and kept in memory: no
    temporary file of a child's document ever reaches the disk, and the JSON body limit does not
    apply to it (the document limit does)."""

    media_type = "application/octet-stream"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        if stream is None:
            return b""
        limit = document_max_bytes()
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise exceptions.ValidationError(
                {
                    "file": [
                        _("The file is larger than %(megabytes)s MB.")
                        % {"megabytes": round(limit / 1_048_576, 1)}
                    ]
                }
            )
        return bytes(data)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField(help_text="Found from the content, not from what the client said")
    type_label = serializers.CharField()
    size = serializers.IntegerField()
    scan_status = serializers.CharField()
    note = serializers.IntegerField(source="note_id", allow_null=True)
    uploaded_at = serializers.DateTimeField()


class CaseDocumentsApi(StaffAPIView):
    parser_classes = [DocumentBodyParser]
    pagination_class = BoundedCursorPagination

    @extend_schema(
        responses=DocumentSerializer(many=True),
        tags=CASE_TAGS,
        examples=body_examples("One document", answer=DOCUMENT_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The case's documents (their names and types, not their content), newest first."""
        case = case_view_for(self.actor, pk)
        paginator = self.pagination_class()
        paginator.ordering = ("-uploaded_at", "-id")
        documents = case.documents.defer("content")
        page = paginator.paginate_queryset(documents, request, view=self) or []
        return paginator.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "filename", str, required=True, description="The file's name, with its extension"
            ),
            OpenApiParameter("note", int, description="A note of this case the document belongs to"),
        ],
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={201: DocumentSerializer},
        tags=CASE_TAGS,
        examples=body_examples(
            "A school report",
            request="Fictional school report: attends every day.",
            answer=DOCUMENT_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Attach a document, sent as the body: PDF, office documents or plain text. Its type is found
        from its content and must agree with its name; images, audio and video are refused."""
        actor = self.actor
        case = case_for(actor, pk, action="case.edit")
        filename = request.query_params.get("filename", "").strip()
        if not filename:
            raise exceptions.ValidationError({"filename": [_("Give the file's name.")]})
        note = None
        if request.query_params.get("note"):
            raw = request.query_params["note"]
            note = CaseNote.objects.filter(pk=int(raw), case=case).first() if raw.isdigit() else None
            if note is None:
                raise exceptions.ValidationError({"note": [_("No note of this case has this id.")]})
        data = request.data if isinstance(request.data, bytes) else b""
        document = document_add(actor=actor, case=case, filename=filename, data=data, note=note)
        return Response(DocumentSerializer(document).data, status=201)


class DocumentRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/octet-stream``; the view answers the bytes itself."""

    media_type = "application/octet-stream"
    format = "bin"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class DocumentDownloadApi(StaffAPIView):
    renderer_classes = [JSONRenderer, DocumentRenderer]  # errors answer in JSON (``api.errors``)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        tags=CASE_TAGS,
        examples=body_examples("A text document", answer="Fictional school report: attends every day."),
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        """The document's bytes, for those who may see its case; every download is audited."""
        document, data = document_download(actor=self.actor, document_id=pk)
        response = HttpResponse(data, content_type=document.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=document.name
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- the closure checklist -----------------------------------------------------------------


class ChecklistItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=200)


class ChecklistApi(StaffAPIView):
    @extend_schema(
        responses=ChecklistItemSerializer(many=True),
        tags=CASE_TAGS,
        examples=body_examples("One item", answer=CHECKLIST_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """The organisation's closure checklist: the ids ``POST /cases/{id}/closure`` confirms."""
        actor = self.actor
        actor.require("case.view")
        items = ClosureChecklistItem.objects.filter(organisation=actor.organisation, active=True)
        return Response(ChecklistItemSerializer(items, many=True).data)

    @extend_schema(
        request=ChecklistItemSerializer,
        responses={201: ChecklistItemSerializer},
        tags=CASE_TAGS,
        examples=body_examples(
            "A new item",
            request={"text": "Child told of the closure."},
            answer=CHECKLIST_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        """Add an item to the checklist (those who manage teams)."""
        actor = self.actor
        item = checklist_item_add(actor=actor, **validated(ChecklistItemSerializer, request))
        return Response(ChecklistItemSerializer(item).data, status=201)


class ChecklistRetireApi(StaffAPIView):
    @extend_schema(
        request=None,
        responses=ChecklistItemSerializer,
        tags=CASE_TAGS,
        examples=body_examples("Retired", answer=CHECKLIST_EXAMPLE),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Take an item off the checklist; closures that confirmed it keep their copy of its text."""
        actor = self.actor
        actor.require("team.manage")
        item = ClosureChecklistItem.objects.filter(
            pk=pk, organisation=actor.organisation, active=True
        ).first()
        if item is None:
            raise exceptions.NotFound()
        return Response(ChecklistItemSerializer(checklist_item_retire(actor=actor, item=item)).data)
