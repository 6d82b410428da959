"""``/api/v1/cases`` and ``/api/v1/referrals``: thin views over the same access rules and services.

Errors use the API's one format (``safeguard.api.errors``): validation errors name their fields,
a case outside the caller's reach is 404, a missing permission 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.accounts.models import Organisation
from safeguard.api.schema import body_examples
from safeguard.cases import choices
from safeguard.cases.access import (
    case_for,
    case_view_for,
    consent_for,
    follow_up_for,
    referral_for_provider,
    task_for,
)
from safeguard.cases.intake_link import reports_to_open_cases_from
from safeguard.cases.matching import Profile
from safeguard.cases.models import (
    CaseNoteKind,
    ClosureReason,
    ConsentGiver,
    ConsentScope,
    FollowUpOutcome,
    MilestoneKind,
    RiskLevel,
)
from safeguard.cases.selectors import (
    case_list,
    case_timeline,
    find_duplicates,
    incoming_referrals,
    my_pending_tasks,
)
from safeguard.cases.services.closure import case_decide_closure, case_reopen, case_request_closure
from safeguard.cases.services.consents import consent_record, consent_withdraw
from safeguard.cases.services.followups import follow_up_record, follow_up_schedule, milestone_record
from safeguard.cases.services.notes import note_add
from safeguard.cases.services.referrals import referral_respond
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.cases.services.tasks import task_complete
from safeguard.core.audit import audit_record
from safeguard.core.geography import is_country
from safeguard.core.pagination import BoundedLimitOffsetPagination
from safeguard.customfields.exchange import save_extensions
from safeguard.customfields.serializers import CustomFieldsField

# Fictional data for the schema's examples (``api.schema.body_examples``).
CASE_ROW_EXAMPLE = {
    "id": 12,
    "reference": "C-2026-4F2A9C1B",
    "status": "open",
    "stage": "registered",
    "htcds_status": "Active",
    "risk_level": "high",
    "owner": "Cara Caseworker",
    "registered_at": "2026-01-04T09:30:00Z",
    "first_name": "Amina",
    "second_name": "Fictionalia",
    "aliases": ["Mina"],
    "birth_year": 2012,
    "gender": "Feminine",
    "citizenships": ["NG"],
    "trafficking_status": "PossibleVictimOfTrafficking",
    "exploitation_types": ["ChildLabour"],
    "custom_fields": {},
    "report": 7,
}
CASE_NOTE_EXAMPLE = {
    "id": 51,
    "kind": "visit",
    "occurred_on": "2026-01-05",
    "text": "Home visit at the foster family; Amina is settling in and sleeps well.",
    "author": "Cara Caseworker",
    "created_at": "2026-01-05T16:10:00Z",
    "edited_at": None,
}
FOLLOW_UP_EXAMPLE = {
    "id": 8,
    "due_on": "2026-02-10",
    "purpose": "Check on school attendance.",
    "done_on": None,
    "outcome": "",
    "notes": "",
}
CONSENT_EXAMPLE = {
    "id": 4,
    "given_by": "guardian",
    "scope": "share_organisation",
    "organisation": 3,
    "given_on": "2026-01-06",
    "notes": "The aunt agreed that Harbour Light sees the case for the shelter place.",
    "withdrawn_at": None,
}
REFERRAL_EXAMPLE = {
    "id": 17,
    "service": "Harbour Light emergency shelter",
    "need": "shelter",
    "status": "pending",
    "respond_by": "2026-01-08",
    "created_at": "2026-01-06T11:00:00Z",
}
TASK_EXAMPLE = {
    "id": 23,
    "case": 12,
    "case_reference": "C-2026-4F2A9C1B",
    "kind": "follow_up",
    "title": "Check on school attendance.",
    "due_on": "2026-02-10",
    "done_at": None,
}


class PersonSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    middle_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    second_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    estimated_age = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True, default=None
    )
    gender = serializers.ChoiceField(
        choices=choices.Gender.choices, default=choices.Gender.NON_SPECIFIED_UNKNOWN
    )
    citizenships = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, default=list
    )
    primary_language = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")

    def validate_citizenships(self, value: list[str]) -> list[str]:
        wrong = [code for code in value if not is_country(code)]
        if wrong:
            raise serializers.ValidationError(f"Not ISO 3166-1 alpha-2 codes: {', '.join(wrong)}")
        return [code.upper() for code in value]

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not (data.get("first_name") or data.get("second_name") or data.get("aliases")):
            raise serializers.ValidationError({"first_name": ["Give at least a name or an alias."]})
        return data


class CaseCreateSerializer(serializers.Serializer):
    person = PersonSerializer()
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    trafficking_status = serializers.ChoiceField(
        choices=choices.TraffickingStatus.choices,
        default=choices.TraffickingStatus.POSSIBLE_VICTIM_OF_TRAFFICKING,
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.ExploitationType.choices), required=False, default=list
    )
    custom_fields = CustomFieldsField()
    report = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The id of the report this case is opened from: one the organisation received, "
        "or a hand-over it accepted. Its hand-over is then marked as having opened a case.",
    )

    def validate_report(self, value: int | None) -> Any:
        if value is None:
            return None
        report = reports_to_open_cases_from(self.context["actor"]).filter(pk=value).first()
        if report is None:
            raise serializers.ValidationError(
                _("Your organisation has no report with this id, or has not accepted it.")
            )
        return report


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    stage = serializers.CharField()
    htcds_status = serializers.CharField()
    risk_level = serializers.CharField()
    owner = serializers.CharField(source="owner.name")
    registered_at = serializers.DateTimeField()
    first_name = serializers.CharField(source="person.first_name")
    second_name = serializers.CharField(source="person.second_name")
    aliases = serializers.ListField(child=serializers.CharField(), source="person.aliases")
    birth_year = serializers.IntegerField(source="person.birth_year", allow_null=True)
    gender = serializers.CharField(source="person.gender")
    citizenships = serializers.ListField(child=serializers.CharField(), source="person.citizenships")
    trafficking_status = serializers.CharField()
    exploitation_types = serializers.ListField(child=serializers.CharField())
    custom_fields = CustomFieldsField()
    report = serializers.IntegerField(source="source_report_id", allow_null=True)


def validated(body: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request's body checked by ``body``; a 400 naming the fields otherwise."""
    serializer = body(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def case_step(
    view: StaffAPIView,
    request: Request,
    pk: int,
    *,
    body: type[serializers.Serializer],
    service: Callable[..., Any],
    answer: type[serializers.Serializer] = CaseSerializer,
    action: str = "case.edit",
    status: int = 201,
) -> Response:
    """One step of the case workflow: the case through the caller's reach for ``action`` (404
    outside it, 403 without the role), the body checked by ``body``, then the one ``service``
    the web page calls, answered with ``answer``."""
    actor = view.actor
    case = case_for(actor, pk, action=action)
    result = service(actor=actor, case=case, **validated(body, request))
    return Response(answer(result, context={"actor": actor}).data, status=status)


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    case = serializers.CharField(source="case.reference")
    actor = serializers.CharField(source="actor.name", allow_null=True, default=None)


class DuplicateSerializer(serializers.Serializer):
    case = CaseSerializer()
    score = serializers.FloatField(source="score.value")
    reasons = serializers.ListField(child=serializers.CharField(), source="score.reasons")


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = serializers.CharField(source="service.name")
    need = serializers.CharField()
    status = serializers.CharField()
    respond_by = serializers.DateField()
    created_at = serializers.DateTimeField()


class RespondSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CaseListApi(StaffAPIView):
    pagination_class = BoundedLimitOffsetPagination  # documents the list as paginated

    @extend_schema(
        responses=CaseSerializer(many=True),
        tags=["cases"],
        examples=body_examples("An open case", answer=CASE_ROW_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Cases the caller may see (own and team's; a supervisor's whole organisation)."""
        actor = self.actor
        actor.require("case.view")
        cases = case_list(actor, status=request.query_params.get("status", ""))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        audit_record(
            action="case.list_viewed",
            actor=actor.user,
            organisation=actor.organisation,
            detail={"case_ids": [case.pk for case in page]},
        )
        return paginator.get_paginated_response(
            CaseSerializer(page, many=True, context={"actor": actor}).data
        )

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseSerializer},
        tags=["cases"],
        examples=body_examples(
            "A girl found working in a market",
            request={
                "person": {
                    "first_name": "Amina",
                    "second_name": "Fictionalia",
                    "aliases": ["Mina"],
                    "birth_date": "2012-05-01",
                    "gender": "Feminine",
                    "citizenships": ["NG"],
                    "primary_language": "ha",
                    "country": "GB",
                },
                "risk_level": "high",
                "trafficking_status": "PossibleVictimOfTrafficking",
                "exploitation_types": ["ChildLabour"],
                "custom_fields": {},
            },
            answer=CASE_ROW_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        """Register a child. Check ``/cases/duplicates`` first: this endpoint does not."""
        actor = self.actor
        actor.require("case.edit")
        serializer = CaseCreateSerializer(data=request.data, context={"actor": actor})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            case = case_register(
                actor=actor,
                person=PersonDetails(**data["person"]),
                risk_level=data["risk_level"],
                source_report=data.get("report"),
                context={
                    "trafficking_status": data["trafficking_status"],
                    "exploitation_types": data["exploitation_types"],
                },
            )
            save_extensions(actor=actor, case=case, values=data.get("custom_fields", {}))
        return Response(CaseSerializer(case, context={"actor": actor}).data, status=201)


class CaseDetailApi(StaffAPIView):
    @extend_schema(
        responses=CaseSerializer,
        tags=["cases"],
        examples=body_examples("An open case", answer=CASE_ROW_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = self.actor
        case = case_view_for(actor, pk)
        return Response(CaseSerializer(case, context={"actor": actor}).data)


class CaseTimelineApi(StaffAPIView):
    @extend_schema(
        responses=EventSerializer(many=True),
        tags=["cases"],
        examples=body_examples(
            "The registration",
            answer={
                "at": "2026-01-04T09:30:00Z",
                "kind": "registered",
                "case": "C-2026-4F2A9C1B",
                "actor": "Cara Caseworker",
            },
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = self.actor
        case = case_view_for(actor, pk)
        return Response(EventSerializer(case_timeline(case)[:500], many=True).data)


class DuplicateCheckApi(StaffAPIView):
    @extend_schema(
        request=PersonSerializer,
        responses=DuplicateSerializer(many=True),
        tags=["cases"],
        examples=body_examples(
            "The same girl registered before",
            request={
                "first_name": "Amina",
                "second_name": "Fictionalia",
                "birth_date": "2012-05-01",
                "gender": "Feminine",
                "citizenships": ["NG"],
            },
            answer={"case": CASE_ROW_EXAMPLE, "score": 0.93, "reasons": ["name", "age", "gender"]},
        ),
    )
    def post(self, request: Request) -> Response:
        """Likely existing cases of the child described, among those the caller may see."""
        actor = self.actor
        actor.require("case.edit")
        data = validated(PersonSerializer, request)
        name = " ".join(
            part for part in (data["first_name"], data["middle_name"], data["second_name"]) if part
        )
        birth_year = data["birth_date"].year if data["birth_date"] else None
        estimated = False
        if birth_year is None and data["estimated_age"] is not None:
            birth_year, estimated = timezone.localdate().year - data["estimated_age"], True
        profile = Profile(
            names=[name, *data["aliases"]],
            birth_year=birth_year,
            birth_year_estimated=estimated,
            gender=data["gender"],
            citizenships=data["citizenships"],
            place=data["country"],
        )
        return Response(DuplicateSerializer(find_duplicates(actor, profile), many=True).data)


class ReferralListApi(StaffAPIView):
    pagination_class = BoundedLimitOffsetPagination  # documents the list as paginated

    @extend_schema(
        responses=ReferralSerializer(many=True),
        tags=["referrals"],
        examples=body_examples("A shelter place asked for", answer=REFERRAL_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Referrals sent to the caller's organisation (what a provider sees)."""
        actor = self.actor
        actor.require("referral.respond")
        referrals = incoming_referrals(actor, status=request.query_params.get("status", ""))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(referrals, request, view=self) or []
        return paginator.get_paginated_response(ReferralSerializer(page, many=True).data)


class ReferralRespondApi(StaffAPIView):
    @extend_schema(
        request=RespondSerializer,
        responses=ReferralSerializer,
        tags=["referrals"],
        examples=body_examples(
            "A bed is free",
            request={"accept": True, "reason": ""},
            answer={**REFERRAL_EXAMPLE, "status": "accepted"},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = self.actor
        referral = referral_for_provider(actor, pk)
        referral_respond(actor=actor, referral=referral, **validated(RespondSerializer, request))
        return Response(ReferralSerializer(referral).data)


@extend_schema_serializer(component_name="CaseNote")
class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=CaseNoteKind.choices)
    occurred_on = serializers.DateField()
    text = serializers.CharField(max_length=20000)
    author = serializers.CharField(source="author.name", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ClosureRequestSerializer(serializers.Serializer):
    reason_code = serializers.ChoiceField(choices=ClosureReason.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    confirmed = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Ids of the organisation's closure checklist items, every one of which must be confirmed.",
    )


class ClosureDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CaseNotesApi(StaffAPIView):
    pagination_class = BoundedLimitOffsetPagination  # documents the list as paginated

    @extend_schema(
        responses=NoteSerializer(many=True),
        tags=["cases"],
        examples=body_examples("A home visit", answer=CASE_NOTE_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The case's notes, newest first (the case page's notes); audited as a view of the case."""
        case = case_view_for(self.actor, pk)
        paginator = self.pagination_class()
        notes = case.notes.select_related("author")
        page = paginator.paginate_queryset(notes, request, view=self) or []
        return paginator.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        request=NoteSerializer,
        responses={201: NoteSerializer},
        tags=["cases"],
        examples=body_examples(
            "A home visit",
            request={"kind": "visit", "occurred_on": "2026-01-05", "text": CASE_NOTE_EXAMPLE["text"]},
            answer=CASE_NOTE_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Write a typed note; only a supervisor writes a ``supervision`` note."""
        return case_step(self, request, pk, body=NoteSerializer, service=note_add, answer=NoteSerializer)


class CaseClosureRequestApi(StaffAPIView):
    @extend_schema(
        request=ClosureRequestSerializer,
        responses=CaseSerializer,
        tags=["cases"],
        examples=body_examples(
            "Back with her family",
            request={
                "reason_code": "reintegrated",
                "reason": "Lives with her aunt again and attends school.",
                "confirmed": [1, 2],
            },
            answer={**CASE_ROW_EXAMPLE, "status": "closure_requested"},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Put an open case forward for closure; a supervisor other than the caller decides."""
        return case_step(
            self, request, pk, body=ClosureRequestSerializer, service=case_request_closure, status=200
        )


class CaseClosureDecisionApi(StaffAPIView):
    @extend_schema(
        request=ClosureDecisionSerializer,
        responses=CaseSerializer,
        tags=["cases"],
        examples=body_examples(
            "Closure approved",
            request={"approve": True, "note": "Follow-ups done; the school confirms attendance."},
            answer={**CASE_ROW_EXAMPLE, "status": "closed", "htcds_status": "Closed"},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """A supervisor other than the requester closes the case or keeps it open."""
        return case_step(
            self,
            request,
            pk,
            body=ClosureDecisionSerializer,
            service=case_decide_closure,
            action="case.approve",
            status=200,
        )


class CaseReopenApi(StaffAPIView):
    @extend_schema(
        request=ReopenSerializer,
        responses=CaseSerializer,
        tags=["cases"],
        examples=body_examples(
            "Seen at the market again",
            request={"reason": "The school reports she has been absent for a week."},
            answer=CASE_ROW_EXAMPLE,
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Reopen a closed case, with the reason."""
        return case_step(self, request, pk, body=ReopenSerializer, service=case_reopen, status=200)


@extend_schema_serializer(component_name="CaseFollowUp")
class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    due_on = serializers.DateField()
    purpose = serializers.CharField(max_length=200)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    outcome = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)


class FollowUpRecordSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    notes = serializers.CharField(max_length=20000)  # required, as on the page


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    reached_on = serializers.DateField()
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class CaseFollowUpsApi(StaffAPIView):
    pagination_class = BoundedLimitOffsetPagination  # documents the list as paginated

    @extend_schema(
        responses=FollowUpSerializer(many=True),
        tags=["cases"],
        examples=body_examples("A follow-up due", answer=FOLLOW_UP_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The case's follow-ups, soonest due first; audited as a view of the case."""
        case = case_view_for(self.actor, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(case.follow_ups.all(), request, view=self) or []
        return paginator.get_paginated_response(FollowUpSerializer(page, many=True).data)

    @extend_schema(
        request=FollowUpSerializer,
        responses={201: FollowUpSerializer},
        tags=["cases"],
        examples=body_examples(
            "School attendance",
            request={"due_on": "2026-02-10", "purpose": "Check on school attendance."},
            answer=FOLLOW_UP_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Schedule a follow-up of an open case (a task for the case owner comes with it)."""
        return case_step(
            self, request, pk, body=FollowUpSerializer, service=follow_up_schedule, answer=FollowUpSerializer
        )


class FollowUpRecordApi(StaffAPIView):
    @extend_schema(
        request=FollowUpRecordSerializer,
        responses=FollowUpSerializer,
        tags=["cases"],
        examples=body_examples(
            "Seen and well",
            request={"done_on": "2026-02-09", "outcome": "seen_well", "notes": "Attends every day."},
            answer={
                **FOLLOW_UP_EXAMPLE,
                "done_on": "2026-02-09",
                "outcome": "seen_well",
                "notes": "Attends every day.",
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record a follow-up as done, with its outcome; its task ends."""
        actor = self.actor
        follow_up = follow_up_for(actor, pk)
        follow_up = follow_up_record(
            actor=actor, follow_up=follow_up, **validated(FollowUpRecordSerializer, request)
        )
        return Response(FollowUpSerializer(follow_up).data)


class CaseMilestonesApi(StaffAPIView):
    @extend_schema(
        request=MilestoneSerializer,
        responses={201: MilestoneSerializer},
        tags=["cases"],
        examples=body_examples(
            "Back at school",
            request={"kind": "school_enrolment", "reached_on": "2026-01-12", "notes": "Year 8."},
            answer={"id": 3, "kind": "school_enrolment", "reached_on": "2026-01-12", "notes": "Year 8."},
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record a reintegration milestone reached."""
        return case_step(
            self, request, pk, body=MilestoneSerializer, service=milestone_record, answer=MilestoneSerializer
        )


class ConsentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices)
    scope = serializers.ChoiceField(choices=ConsentScope.choices)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="The organisation a `share_organisation` consent covers.",
    )
    given_on = serializers.DateField()
    notes = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("scope") == ConsentScope.SHARE_ORGANISATION and not data.get("organisation"):
            raise serializers.ValidationError(
                {"organisation": [_("Name the organisation this consent covers.")]}
            )
        return data


class CaseConsentsApi(StaffAPIView):
    pagination_class = BoundedLimitOffsetPagination  # documents the list as paginated

    @extend_schema(
        responses=ConsentSerializer(many=True),
        tags=["cases"],
        examples=body_examples("Sharing with the shelter", answer=CONSENT_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The consents recorded on the case, withdrawn ones included; audited as a view of the case."""
        case = case_view_for(self.actor, pk)
        paginator = self.pagination_class()
        page = (
            paginator.paginate_queryset(case.consents.order_by("-given_on", "-id"), request, view=self) or []
        )
        return paginator.get_paginated_response(ConsentSerializer(page, many=True).data)

    @extend_schema(
        request=ConsentSerializer,
        responses={201: ConsentSerializer},
        tags=["cases"],
        examples=body_examples(
            "Sharing with the shelter",
            request={
                "given_by": "guardian",
                "scope": "share_organisation",
                "organisation": 3,
                "given_on": "2026-01-06",
                "notes": CONSENT_EXAMPLE["notes"],
            },
            answer=CONSENT_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record a consent given by the child or a guardian."""
        return case_step(
            self, request, pk, body=ConsentSerializer, service=consent_record, answer=ConsentSerializer
        )


class ConsentWithdrawApi(StaffAPIView):
    @extend_schema(
        request=None,
        responses=ConsentSerializer,
        tags=["cases"],
        examples=body_examples(
            "Withdrawn", answer={**CONSENT_EXAMPLE, "withdrawn_at": "2026-03-01T10:00:00Z"}
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Withdraw a consent: from now on nothing it covered is shared."""
        actor = self.actor
        consent = consent_withdraw(actor=actor, consent=consent_for(actor, pk))
        return Response(ConsentSerializer(consent).data)


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    kind = serializers.CharField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    done_at = serializers.DateTimeField(allow_null=True)


class TaskListApi(StaffAPIView):
    pagination_class = BoundedLimitOffsetPagination  # documents the list as paginated

    @extend_schema(
        responses=TaskSerializer(many=True),
        tags=["cases"],
        examples=body_examples("A follow-up to make", answer=TASK_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """The caller's own pending tasks in their organisation, soonest due first (the cases home page)."""
        actor = self.actor
        actor.require("case.view")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(my_pending_tasks(actor), request, view=self) or []
        return paginator.get_paginated_response(TaskSerializer(page, many=True).data)


class TaskDoneApi(StaffAPIView):
    @extend_schema(
        request=None,
        responses=TaskSerializer,
        tags=["cases"],
        examples=body_examples("Done", answer={**TASK_EXAMPLE, "done_at": "2026-02-09T15:30:00Z"}),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Mark one of the caller's tasks done (a task already done stays as it was)."""
        actor = self.actor
        return Response(TaskSerializer(task_complete(actor=actor, task=task_for(actor, pk))).data)
