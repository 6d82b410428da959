"""Public JSON API: reports from apps and partner channels, and anonymous follow-up.

Both endpoints are anonymous (a partner channel authenticates with its key, not as a user), so
they have no actor and are not ``StaffAPIView``s. They hand the Django request
(``request._request``) to ``throttling``, which counts by the client address in the Django
request's ``META`` and is shared with the HTML pages; nothing else here reaches into it.
"""

from __future__ import annotations

import threading
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import authentication, exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.api.schema import body_examples
from safeguard.core.validation import (
    IDENTIFIERS_MAX,
    NARRATIVE_MAX,
    PEOPLE_MAX,
    SHORT_MAX,
    TEXT_MAX,
    no_control_characters,
    validate_country,
    validate_subdivision,
)
from safeguard.directory.selectors import hotlines_for_country
from safeguard.intake import proofofwork, selectors, throttling
from safeguard.intake.choices import (
    Channel,
    ExploitationType,
    Gender,
    IdentifierKind,
    Indicator,
    Occurred,
    Relation,
)
from safeguard.intake.identifiers import parse_phone
from safeguard.intake.models import PartnerChannel, ReportMessage
from safeguard.intake.services.channels import partner_key_hash
from safeguard.intake.services.follow_up import report_reporter_message
from safeguard.intake.services.submission import ReportInput, report_submit


def _text(max_length: int, **kwargs: Any) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(max_length=max_length, validators=[no_control_characters], **kwargs)


class PartnerChannelAuthentication(authentication.BaseAuthentication):
    """``Authorization: Channel sgc_…`` from a partner; without it the request is anonymous."""

    keyword = "Channel"

    def authenticate(self, request: Any) -> tuple[Any, PartnerChannel] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Channel <key>'.")
        key = header[1].decode("ascii", errors="replace")
        channel = (
            PartnerChannel.objects.usable()
            .select_related("organisation")
            .filter(key_hash=partner_key_hash(key))
            .first()
        )
        if channel is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked channel key.")
        PartnerChannel.objects.filter(pk=channel.pk).update(last_used_at=timezone.now())
        return None, channel

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class ChildSerializer(serializers.Serializer):
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=17)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    description = _text(TEXT_MAX)


class SuspectSerializer(serializers.Serializer):
    description = _text(TEXT_MAX)
    names = _text(SHORT_MAX)


class IdentifierSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    value = _text(SHORT_MAX, required=True, allow_blank=False)


class ContactSerializer(serializers.Serializer):
    name = _text(200)
    phone = _text(40)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    consent = serializers.BooleanField(required=False, default=False)


class ProofOfWorkSerializer(serializers.Serializer):
    """The answer to a challenge from a 429: ``nonce`` solved, or empty after ``wait_seconds``."""

    challenge = serializers.CharField(max_length=500)
    nonce = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class PublicReportSerializer(serializers.Serializer):
    narrative = serializers.CharField(max_length=NARRATIVE_MAX, validators=[no_control_characters])
    country = _text(2)
    subdivision = _text(6)
    place = _text(SHORT_MAX)
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, min_value=-180, max_value=180, required=False, allow_null=True
    )
    occurred = serializers.ChoiceField(choices=Occurred.choices, required=False, allow_blank=True)
    children = serializers.ListField(child=ChildSerializer(), required=False, max_length=PEOPLE_MAX)
    children_count = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=500)
    suspects = serializers.ListField(child=SuspectSerializer(), required=False, max_length=PEOPLE_MAX)
    identifiers = serializers.ListField(
        child=IdentifierSerializer(), required=False, max_length=IDENTIFIERS_MAX
    )
    indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=Indicator.choices), required=False, max_length=len(Indicator)
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationType.choices),
        required=False,
        max_length=len(ExploitationType),
    )
    child_in_danger = serializers.BooleanField(required=False, allow_null=True, default=None)
    relation = serializers.ChoiceField(choices=Relation.choices, required=False, allow_blank=True)
    contact = ContactSerializer(required=False)
    language = serializers.ChoiceField(choices=["en", "es", "fr"], required=False, allow_blank=True)
    proof_of_work = ProofOfWorkSerializer(required=False)

    def validate_country(self, value: str) -> str:
        try:
            return validate_country(value)
        except Exception as error:  # Django ValidationError → field error
            raise serializers.ValidationError(list(getattr(error, "messages", [str(error)]))) from None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("subdivision"):
            try:
                attrs["subdivision"] = validate_subdivision(attrs["subdivision"], attrs.get("country", ""))
            except Exception as error:
                raise serializers.ValidationError(
                    {"subdivision": list(getattr(error, "messages", [str(error)]))}
                ) from None
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            raise serializers.ValidationError(
                {"longitude": ["Give both latitude and longitude, or neither."]}
            )
        contact = attrs.get("contact") or {}
        if contact.get("consent") and not (contact.get("phone") or contact.get("email")):
            raise serializers.ValidationError(
                {"contact": ["Consent to be contacted needs a phone or an e-mail."]}
            )
        return attrs

    def to_input(self) -> ReportInput:
        data = self.validated_data
        danger = data.get("child_in_danger")
        contact_in = data.get("contact") or {}
        contact: dict[str, Any] = {key: contact_in.get(key, "") for key in ("name", "phone", "email")}
        if contact["phone"]:
            parsed = parse_phone(contact["phone"], region=data.get("country", ""))
            contact["phone_e164"] = parsed.normalised if parsed.is_valid else ""
            contact["phone_parsed"] = parsed.is_valid
        return ReportInput(
            narrative=data["narrative"].strip(),
            country=data.get("country", ""),
            subdivision=data.get("subdivision", ""),
            place=data.get("place", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            occurred=data.get("occurred", ""),
            children=[dict(child) for child in data.get("children", [])],
            children_count=data.get("children_count"),
            suspects=[dict(suspect) for suspect in data.get("suspects", [])],
            identifiers=[(item["kind"], item["value"]) for item in data.get("identifiers", [])],
            indicators=list(data.get("indicators", [])),
            exploitation_types=list(data.get("exploitation_types", [])),
            child_in_danger={True: "yes", False: "no", None: ""}[danger],
            relation=data.get("relation", ""),
            contact={key: value for key, value in contact.items() if value not in ("", None)},
            contact_consent=bool(contact_in.get("consent")),
            language=data.get("language", ""),
        )


_serializers = threading.local()


def _public_report_serializer(data: Any) -> PublicReportSerializer:
    """A ``PublicReportSerializer`` bound to ``data``, built once per thread.

    Building one deep-copies about a hundred declared fields (and those of the nested child,
    suspect, identifier and contact serializers): ~2 ms a request, more than validating. The
    fields keep no state between validations; the serializer's own results are cleared here.
    """
    serializer = getattr(_serializers, "public_report", None)
    if serializer is None:
        serializer = _serializers.public_report = PublicReportSerializer(data=data)
    else:
        for attribute in ("_validated_data", "_errors", "_data"):
            serializer.__dict__.pop(attribute, None)
        serializer.initial_data = data
    return serializer


def _refusal(
    extra: dict[str, Any] | None = None,
    *,
    code: str = "throttled",
    message: str = "Too many requests from this connection; try again later.",
    status_code: int = status.HTTP_429_TOO_MANY_REQUESTS,
) -> Response:
    return Response({"error": {"code": code, "message": message, **(extra or {})}}, status=status_code)


def _emergency(request: Request, country: str) -> dict[str, Any]:
    """Where to call now, for a reporter a limit holds back: the numbers of their country."""
    everywhere = request.build_absolute_uri(reverse("learning:hotlines"))
    return {
        "country": country,
        "numbers": [
            {field: getattr(hotline, field) for field in ("kind", "name", "phone", "url", "hours")}
            for hotline in (hotlines_for_country(country) if country else [])
        ],
        "all_numbers": f"{everywhere}?country={country}" if country else everywhere,
    }


def _over_the_limit(request: Request, serializer: PublicReportSerializer) -> Response | None:
    """Above the limit: the emergency numbers always; a report of a child in danger is accepted
    with a proof of work (None: store it), any other refused until later."""
    data = serializer.validated_data
    extra: dict[str, Any] = {"emergency": _emergency(request, data.get("country", ""))}
    if data.get("child_in_danger") is not True:
        return _refusal(extra)
    answer = data.get("proof_of_work")
    if answer is None:
        return _refusal({**extra, "proof_of_work": proofofwork.issue().as_dict()})
    try:
        proofofwork.redeem(answer["challenge"], answer.get("nonce", "").strip())
    except proofofwork.Refused as refused:
        if refused.too_early:
            challenge = proofofwork.again(answer["challenge"])
            return _refusal({**extra, "proof_of_work": challenge.as_dict()}, message=str(refused.message))
        return _refusal(
            {**extra, "proof_of_work": proofofwork.issue().as_dict()},
            code="proof_of_work_refused",
            message=str(refused.message),
            status_code=status.HTTP_400_BAD_REQUEST,
        )
    return None


class PublicReportApi(APIView):
    authentication_classes = [PartnerChannelAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        request=PublicReportSerializer,
        responses={
            201: inline_serializer(
                "ReportReceipt", {"reference": serializers.CharField(), "receipt": serializers.CharField()}
            ),
            400: OpenApiResponse(description="Field errors"),
            429: OpenApiResponse(
                description="Rate limit: error.emergency gives the numbers to call; for a child in "
                "danger, error.proof_of_work a challenge to answer in the field proof_of_work"
            ),
        },
        summary="Submit a report (anonymous, or as a partner channel with 'Authorization: Channel <key>')",
        examples=body_examples(
            "A boy working at a car wash",
            request={
                "narrative": "A boy of about 12 washes cars all day at the garage on the ring road; "
                "he sleeps in the back room.",
                "country": "GB",
                "place": "Garage on the ring road, next to the bakery",
                "occurred": "today",
                "children": [{"age": 12, "gender": "Masculine", "description": "Thin, blue overalls"}],
                "children_count": 1,
                "indicators": ["out_of_school", "abusive_conditions"],
                "exploitation_types": ["ChildLabour"],
                "child_in_danger": True,
                "relation": "neighbour",
                "contact": {"name": "", "phone": "", "email": "", "consent": False},
                "language": "en",
            },
            answer={"reference": "SG-B5N1R7VE", "receipt": "4HTR-8WPA-K7M2-Q9XD-3NVE-6ZCJ"},
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        channel = request.auth if isinstance(request.auth, PartnerChannel) else None
        # Rate limits count per connection on the Django request (see the module docstring).
        if channel is not None:
            over = throttling.hit(
                request._request,
                group="intake.partner",
                rate_setting="INTAKE_PARTNER_REPORT_RATE",
                key=f"channel:{channel.pk}",
            )
        else:
            over = throttling.hit(
                request._request, group="intake.report", rate_setting="INTAKE_PUBLIC_REPORT_RATE"
            )
        serializer = _public_report_serializer(request.data)
        serializer.is_valid(raise_exception=True)
        if over and (refusal := _over_the_limit(request, serializer)) is not None:
            return refusal
        submission = report_submit(
            data=serializer.to_input(),
            channel=Channel.PARTNER if channel else Channel.APP,
            partner_channel=channel,
        )
        return Response(
            {"reference": submission.report.reference, "receipt": submission.receipt},
            status=status.HTTP_201_CREATED,
        )


@extend_schema_serializer(component_name="ReporterFollowUp")
class FollowUpSerializer(serializers.Serializer):
    receipt = serializers.CharField(max_length=60, validators=[no_control_characters])
    message = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, validators=[no_control_characters]
    )


def follow_up_body(report: Any) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "status": str(report.public_status),
        "messages": [
            {
                "from": "hotline" if message.direction == ReportMessage.Direction.QUESTION else "you",
                "body": message.body,
                "at": message.created_at.isoformat(),
            }
            for message in report.messages.all()
        ],
    }


class PublicFollowUpApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=FollowUpSerializer,
        responses={
            200: OpenApiResponse(description="Status and messages"),
            404: OpenApiResponse(description="No such receipt"),
        },
        summary="Follow up a report with its receipt; with 'message', add one",
        examples=body_examples(
            "A receipt and an answer to the hotline's question",
            request={
                "receipt": "4HTR-8WPA-K7M2-Q9XD-3NVE-6ZCJ",
                "message": "The van comes every evening at about eight.",
            },
        ),
    )
    def post(self, request: Request) -> Response:
        django_request = request._request  # for the rate limits (see the module docstring)
        if throttling.exhausted(
            django_request, group="intake.follow_up_fail", rate_setting="INTAKE_FOLLOW_UP_FAILURE_RATE"
        ) or throttling.hit(django_request, group="intake.follow_up", rate_setting="INTAKE_FOLLOW_UP_RATE"):
            return _refusal({"emergency": _emergency(request, "")})
        serializer = FollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = selectors.report_by_receipt(serializer.validated_data["receipt"])
        if report is None:
            throttling.hit(
                django_request, group="intake.follow_up_fail", rate_setting="INTAKE_FOLLOW_UP_FAILURE_RATE"
            )
            return Response(
                {"error": {"code": "not_found", "message": "No report matches this receipt code."}},
                status=status.HTTP_404_NOT_FOUND,
            )
        message = serializer.validated_data.get("message", "").strip()
        if message:
            report_reporter_message(report=report, body=message)
        return Response(follow_up_body(report))
