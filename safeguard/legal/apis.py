"""``/api/v1/legal/…``: the public read API of the registry, and the staff API of legal matters.

The registry's public parts (instruments, jurisdictions with their ages, instrument statuses,
reporting duties, authorities and hotlines) need no sign-in: they are reference data. Legal
matters follow ``legal.access``: the case team and the representing legal-aid provider only;
anything else is 404, a missing permission 403, bad input 400 with field errors.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.cases.access import case_for
from safeguard.cases.models import Referral
from safeguard.core.audit import audit_record
from safeguard.directory.models import Hotline, ServiceKind
from safeguard.legal.access import jurisdiction_by_code, matter_for, matters_visible_to
from safeguard.legal.models import (
    Instrument,
    Jurisdiction,
    LegalMatter,
    MatterKind,
    MatterStage,
)
from safeguard.legal.services import matters

# Fictional data for the schema's examples (``api.schema.body_examples``); "Examplia" is the demo's
# illustrative profile, never current law.
EXAMPLIA = {"code": "ES", "name": "Examplia (fictional demo profile)", "illustrative": True}
INSTRUMENT_EXAMPLE = {
    "code": "palermo",
    "name": "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children",
    "short_name": "Palermo Protocol",
    "scope": "international",
    "body": "United Nations",
    "adopted_on": "2000-11-15",
    "in_force_on": "2003-12-25",
    "url": "",
    "summary": "",
    "key_articles": [
        {
            "article": "3",
            "summary": "Defines trafficking in persons; for a child (under 18) recruitment or movement for "
            "exploitation is trafficking even without force, deception or other means.",
        }
    ],
    "source": "Dates as published by the depositary (UN Treaty Collection); summaries in our own words",
    "last_verified": "2026-10-01",
}
SOURCED = {
    "source": "Invented for the Safeguard demo (illustrative, not real law)",
    "last_verified": "2026-11-01",
}
PROFILE_EXAMPLE = {
    **EXAMPLIA,
    "ages": {
        "majority": 18,
        "minimum_work": 15,
        "hazardous_work": 18,
        "consent": 16,
        "criminal_responsibility": 14,
    },
    **SOURCED,
    "stale": False,
    "instruments": [
        {
            "instrument": "palermo",
            "status": "ratified",
            "signed_on": None,
            "ratified_on": "2004-06-01",
            "reservations": "",
            **SOURCED,
            "stale": False,
        }
    ],
    "reporting_duties": [
        {
            "title": "Professionals report suspected child trafficking (illustrative)",
            "professions": ["teacher", "professional"],
            "organisation_kinds": ["ngo", "child_protection"],
            "what": "Any suspicion that a child is trafficked or exploited, with what is known of the child "
            "and the place.",
            "authority_kind": "police",
            "authority": "Examplia National Police, anti-trafficking desk (fictional)",
            "within_hours": 24,
            **SOURCED,
            "stale": False,
        }
    ],
    "authorities": [
        {
            "name": "Examplia National Police, anti-trafficking desk (fictional)",
            "kind": "police",
            "phone": "555-0160",
            "email": "",
            "url": "",
            "hours": "24/7",
            **SOURCED,
            "stale": False,
        }
    ],
    "hotlines": [
        {
            "name": "Examplia Child Helpline (fictional)",
            "kind": "child_helpline",
            "phone": "555-0116",
            "url": "",
            "hours": "24/7",
        }
    ],
}
HEARING_EXAMPLE = {
    "id": 3,
    "scheduled_at": "2027-01-18T09:30:00Z",
    "purpose": "Trial",
    "place": "Examplia City Court, room 2 (fictional)",
    "child_participates": True,
    "prepared_on": None,
    "held_at": None,
}
MATTER_EXAMPLE = {
    "id": 2,
    "case": 12,
    "kind": "criminal",
    "stage": "prosecution",
    "outcome": "pending",
    "jurisdiction": "ES",
    "court": "Examplia City Court (fictional)",
    "reference_number": "EX-2026-0412",
    "legal_aid_provider": "Safe Haven legal advocacy for children (demo)",
    "lawyer": "Lena Lawful (fictional)",
    "complaint_on": "2026-09-14",
    "verdict_on": None,
    "currency": "",
    "compensation_claimed": None,
    "compensation_awarded": None,
    "compensation_paid": None,
    "hearings": [HEARING_EXAMPLE],
}


class InstrumentSerializer(serializers.ModelSerializer):
    key_articles = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))

    class Meta:
        model = Instrument
        fields = [
            "code",
            "name",
            "short_name",
            "scope",
            "body",
            "adopted_on",
            "in_force_on",
            "url",
            "summary",
            "key_articles",
            "source",
            "last_verified",
        ]


def _sourced(entry: Any) -> dict[str, Any]:
    return {"source": entry.source, "last_verified": entry.last_verified, "stale": entry.is_stale()}


def profile_body(jurisdiction: Jurisdiction) -> dict[str, Any]:
    return {
        "code": jurisdiction.code,
        "name": jurisdiction.name,
        "illustrative": jurisdiction.is_illustrative,
        "ages": {
            "majority": jurisdiction.age_of_majority,
            "minimum_work": jurisdiction.minimum_working_age,
            "hazardous_work": jurisdiction.hazardous_work_age,
            "consent": jurisdiction.age_of_consent,
            "criminal_responsibility": jurisdiction.criminal_responsibility_age,
        },
        **_sourced(jurisdiction),
        "instruments": [
            {
                "instrument": s.instrument.code,
                "status": s.status,
                "signed_on": s.signed_on,
                "ratified_on": s.ratified_on,
                "reservations": s.reservations,
                **_sourced(s),
            }
            for s in jurisdiction.instrument_statuses.select_related("instrument")
        ],
        "reporting_duties": [
            {
                "title": d.title,
                "professions": d.professions,
                "organisation_kinds": d.organisation_kinds,
                "what": d.what,
                "authority_kind": d.authority_kind,
                "authority": d.authority.name if d.authority else None,
                "within_hours": d.within_hours,
                **_sourced(d),
            }
            for d in jurisdiction.reporting_duties.select_related("authority")
        ],
        "authorities": [
            {
                "name": a.name,
                "kind": a.kind,
                "phone": a.phone,
                "email": a.email,
                "url": a.url,
                "hours": a.hours,
                **_sourced(a),
            }
            for a in jurisdiction.authorities.all()
        ],
        "hotlines": [
            {"name": h.name, "kind": h.kind, "phone": h.phone, "url": h.url, "hours": h.hours}
            for h in Hotline.objects.filter(country=jurisdiction.country, is_active=True)
        ],
    }


ProfileSchema = inline_serializer(
    "LegalJurisdictionProfile",
    {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "illustrative": serializers.BooleanField(),
        "ages": serializers.DictField(child=serializers.IntegerField(allow_null=True)),
        "source": serializers.CharField(),
        "last_verified": serializers.DateField(allow_null=True),
        "stale": serializers.BooleanField(),
        "instruments": serializers.ListField(child=serializers.DictField()),
        "reporting_duties": serializers.ListField(child=serializers.DictField()),
        "authorities": serializers.ListField(child=serializers.DictField()),
        "hotlines": serializers.ListField(child=serializers.DictField()),
    },
)


class PublicRegistryView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


class InstrumentListApi(PublicRegistryView):
    @extend_schema(
        tags=["legal"],
        summary="International and regional instruments (public)",
        responses=InstrumentSerializer(many=True),
        examples=body_examples("The Palermo Protocol", answer=INSTRUMENT_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        return Response(InstrumentSerializer(Instrument.objects.all(), many=True).data)


class JurisdictionListApi(PublicRegistryView):
    @extend_schema(
        tags=["legal"],
        summary="Jurisdictions with a legal profile (public)",
        responses=inline_serializer(
            "LegalJurisdiction",
            {
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "illustrative": serializers.BooleanField(),
            },
            many=True,
        ),
        examples=body_examples("The demo's illustrative profile", answer=EXAMPLIA),
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {"code": j.code, "name": j.name, "illustrative": j.is_illustrative}
                for j in Jurisdiction.objects.all()
            ]
        )


class JurisdictionProfileApi(PublicRegistryView):
    @extend_schema(
        tags=["legal"],
        summary="A jurisdiction's ages, instruments, reporting duties, authorities and hotlines (public)",
        responses=ProfileSchema,
        examples=body_examples("The demo's illustrative profile", answer=PROFILE_EXAMPLE),
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(profile_body(jurisdiction_by_code(code)))


# --- staff: legal matters ----------------------------------------------------------------------


class HearingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    scheduled_at = serializers.DateTimeField()
    purpose = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    child_participates = serializers.BooleanField(required=False, default=False)
    prepared_on = serializers.DateField(source="preparation_on", read_only=True, allow_null=True)
    held_at = serializers.DateTimeField(read_only=True, allow_null=True)


class MatterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    stage = serializers.CharField()
    outcome = serializers.CharField()
    jurisdiction = serializers.CharField(source="jurisdiction.code", allow_null=True, default=None)
    court = serializers.CharField()
    reference_number = serializers.CharField()
    legal_aid_provider = serializers.CharField(source="referral.provider.name", allow_null=True, default=None)
    lawyer = serializers.CharField()
    complaint_on = serializers.DateField(allow_null=True)
    verdict_on = serializers.DateField(allow_null=True)
    currency = serializers.CharField()
    compensation_claimed = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    compensation_awarded = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    compensation_paid = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    hearings = HearingSerializer(many=True, source="hearings.all")


class MatterCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MatterKind.choices)
    stage = serializers.ChoiceField(choices=MatterStage.choices, required=False, allow_blank=True, default="")
    jurisdiction = serializers.SlugRelatedField(
        slug_field="code", queryset=Jurisdiction.objects.all(), required=False, allow_null=True, default=None
    )
    court = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reference_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    referral = serializers.IntegerField(required=False, allow_null=True, default=None)
    lawyer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    complaint_on = serializers.DateField(required=False, allow_null=True, default=None)


class CaseMattersApi(StaffAPIView):
    @extend_schema(
        tags=["legal"],
        summary="A case's legal matters (case team)",
        responses=MatterSerializer(many=True),
        examples=body_examples("A prosecution", answer=MATTER_EXAMPLE),
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = case_for(self.actor, case_id)
        rows = (
            matters_visible_to(self.actor)
            .filter(case=case)
            .select_related("jurisdiction", "referral__provider")
        )
        audit_record(action="legal.matters.listed", actor=self.actor, target=case)
        return Response(MatterSerializer(rows.prefetch_related("hearings"), many=True).data)

    @extend_schema(
        tags=["legal"],
        summary="Open a legal matter on a case",
        request=MatterCreateSerializer,
        responses={201: MatterSerializer},
        examples=body_examples(
            "A criminal complaint",
            request={"kind": "criminal", "jurisdiction": "ES", "complaint_on": "2026-09-14"},
            answer={
                **MATTER_EXAMPLE,
                "stage": "complaint",
                "court": "",
                "reference_number": "",
                "legal_aid_provider": None,
                "lawyer": "",
                "hearings": [],
            },
            status="201",
        ),
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = case_for(self.actor, case_id, action="case.edit")
        serializer = MatterCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referral_id = data.pop("referral")
        referral = None
        if referral_id is not None:
            referral = Referral.objects.filter(pk=referral_id, case=case, need=ServiceKind.LEGAL_AID).first()
            if referral is None:
                raise serializers.ValidationError({"referral": ["Not a legal-aid referral of this case."]})
        matter = matters.matter_open(
            actor=self.actor, case=case, details=matters.MatterDetails(referral=referral, **data)
        )
        return Response(MatterSerializer(matter).data, status=status.HTTP_201_CREATED)


class MatterDetailApi(StaffAPIView):
    @extend_schema(
        tags=["legal"],
        summary="One legal matter (case team or representing provider)",
        responses=MatterSerializer,
        examples=body_examples("A prosecution", answer=MATTER_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        matter: LegalMatter = matter_for(self.actor, pk)
        audit_record(
            action="legal.matter.viewed", actor=self.actor, target=matter, detail={"case": matter.case_id}
        )
        return Response(MatterSerializer(matter).data)


class MatterHearingsApi(StaffAPIView):
    @extend_schema(
        tags=["legal"],
        summary="Schedule a hearing of a legal matter",
        request=HearingSerializer,
        responses={201: HearingSerializer},
        examples=body_examples(
            "The trial",
            request={
                "scheduled_at": "2027-01-18T09:30:00Z",
                "purpose": "Trial",
                "place": "Examplia City Court, room 2 (fictional)",
                "child_participates": True,
            },
            answer=HEARING_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        matter = matter_for(self.actor, pk)
        serializer = HearingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hearing = matters.hearing_schedule(actor=self.actor, matter=matter, **serializer.validated_data)
        return Response(HearingSerializer(hearing).data, status=status.HTTP_201_CREATED)
