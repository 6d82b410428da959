"""``/api/v1/directory/services`` and ``/api/v1/public/hotlines``: the service directory for
staff (read for every role, write for those who manage their organisation's listings) and the
public emergency numbers for anyone. The same selectors, access checks and services as the
directory pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.core.pagination import BoundedLimitOffsetPagination
from safeguard.core.picklists import Gender
from safeguard.core.validation import TEXT_MAX, no_control_characters
from safeguard.directory import services
from safeguard.directory.access import service_of_my_organisation
from safeguard.directory.forms import AGE_MAX, CAPACITY_MAX
from safeguard.directory.models import Service, ServiceKind
from safeguard.directory.selectors import hotlines_for_country, services_search

TAGS = ["directory"]

# Fictional data for the schema's examples (``api.schema.body_examples``).
SERVICE_WRITE_EXAMPLE = {
    "kind": "shelter",
    "name": "Harbour Light emergency shelter",
    "description": "Twelve beds for girls aged 10 to 17; staffed day and night.",
    "coverage": ["GB-MAN", "GB-SLF"],
    "languages": ["en", "ar"],
    "min_age": 10,
    "max_age": 17,
    "genders": ["Feminine"],
    "capacity": 12,
    "contact_name": "Amina Coordinator",
    "contact_phone": "+442079460123",
    "contact_email": "shelter@harbourlight.example.org",
    "is_active": True,
}
SERVICE_EXAMPLE = {
    "id": 15,
    "provider_id": 3,
    "provider": "Harbour Light",
    **SERVICE_WRITE_EXAMPLE,
    "updated_at": "2026-02-10T12:00:00Z",
}
HOTLINE_EXAMPLE = {
    "country": "GB",
    "kind": "child_helpline",
    "name": "Northwind Hotline",
    "phone": "08081570000",
    "url": "https://northwind-hotline.example.org",
    "hours": "24/7",
    "languages": "en, cy",
}


class ServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider_id = serializers.IntegerField()
    provider = serializers.CharField(source="provider.name")
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    name = serializers.CharField()
    description = serializers.CharField()
    coverage = serializers.ListField(child=serializers.CharField(), source="coverage_codes")
    languages = serializers.ListField(child=serializers.CharField(), source="language_codes")
    min_age = serializers.IntegerField(allow_null=True)
    max_age = serializers.IntegerField(allow_null=True)
    genders = serializers.ListField(child=serializers.CharField(), source="gender_values")
    capacity = serializers.IntegerField(allow_null=True)
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    is_active = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, validators=[no_control_characters]
    )


class ServiceWriteSerializer(serializers.Serializer):
    """A listing's fields; codes as lists (``["GB", "FR-75"]``). On ``PATCH`` every field is optional."""

    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    name = serializers.CharField(max_length=200, validators=[no_control_characters])
    description = _text(TEXT_MAX)
    coverage = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$"), required=False, max_length=100
    )
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2,3}$"), required=False, max_length=50
    )
    min_age = serializers.IntegerField(min_value=0, max_value=AGE_MAX, required=False, allow_null=True)
    max_age = serializers.IntegerField(min_value=0, max_value=AGE_MAX, required=False, allow_null=True)
    genders = serializers.ListField(child=serializers.ChoiceField(choices=Gender.choices), required=False)
    capacity = serializers.IntegerField(min_value=0, max_value=CAPACITY_MAX, required=False, allow_null=True)
    contact_name = _text(200)
    contact_phone = _text(40)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


SEARCH_PARAMETERS = [
    OpenApiParameter("need", str, enum=ServiceKind.values, description="The kind of service"),
    OpenApiParameter(
        "place", str, pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$", description="An ISO 3166 code"
    ),
    OpenApiParameter("language", str, pattern=r"^[A-Za-z]{2,3}$"),
    OpenApiParameter("age", int, description="0 to 120"),
]


class SearchSerializer(serializers.Serializer):
    need = serializers.ChoiceField(choices=ServiceKind.choices, required=False)
    place = serializers.RegexField(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$", required=False)
    language = serializers.RegexField(r"^[A-Za-z]{2,3}$", required=False)
    age = serializers.IntegerField(min_value=0, max_value=AGE_MAX, required=False)


class ServiceListApi(StaffAPIView):
    pagination_class = BoundedLimitOffsetPagination

    @extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses=ServiceSerializer(many=True),
        tags=TAGS,
        examples=body_examples("A shelter for girls", answer=SERVICE_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Active services that meet a need in a place, in a language, for an age (the directory search)."""
        self.actor.require("directory.view")
        search = SearchSerializer(data=request.query_params)
        search.is_valid(raise_exception=True)
        found = services_search(**search.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(found, request, view=self) or []
        return paginator.get_paginated_response(ServiceSerializer(page, many=True).data)

    @extend_schema(
        request=ServiceWriteSerializer,
        responses={201: ServiceSerializer},
        tags=TAGS,
        examples=body_examples(
            "A shelter for girls", request=SERVICE_WRITE_EXAMPLE, answer=SERVICE_EXAMPLE, status="201"
        ),
    )
    def post(self, request: Request) -> Response:
        """List a service of the caller's organisation."""
        actor = self.actor
        actor.require("directory.manage")
        serializer = ServiceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = services.service_create(actor=actor, **serializer.validated_data)
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)


class ServiceDetailApi(StaffAPIView):
    @extend_schema(
        responses=ServiceSerializer, tags=TAGS, examples=body_examples("A shelter", answer=SERVICE_EXAMPLE)
    )
    def get(self, request: Request, pk: int) -> Response:
        """An active service, or any of the caller's organisation's own."""
        actor = self.actor
        actor.require("directory.view")
        own = actor.organisation.pk if actor.organisation else None
        service = Service.objects.select_related("provider").filter(pk=pk).first()
        if service is None or not (service.is_active or service.provider_id == own):
            raise Http404("service")
        return Response(ServiceSerializer(service).data)

    @extend_schema(
        request=ServiceWriteSerializer(partial=True),
        responses=ServiceSerializer,
        tags=TAGS,
        examples=body_examples(
            "Two beds more",
            request={"capacity": 14},
            answer={**SERVICE_EXAMPLE, "capacity": 14, "updated_at": "2026-03-01T09:00:00Z"},
        ),
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change a service of the caller's organisation (only the fields sent)."""
        actor = self.actor
        service = service_of_my_organisation(actor, pk)
        serializer = ServiceWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(serializer.validated_data)
        services.service_update(actor=actor, service=service, **values)
        service.refresh_from_db()
        return Response(ServiceSerializer(service).data)


class HotlineSerializer(serializers.Serializer):
    country = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField()
    url = serializers.CharField()
    hours = serializers.CharField()
    languages = serializers.CharField()


class PublicHotlinesApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("country", str, required=True, pattern="^[A-Za-z]{2}$")],
        responses=HotlineSerializer(many=True),
        tags=TAGS,
        summary="The public emergency and help numbers of a country (anonymous)",
        examples=body_examples("A child helpline", answer=HOTLINE_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        country = request.query_params.get("country", "")
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise serializers.ValidationError({"country": ["Give an ISO 3166-1 alpha-2 country code."]})
        return Response(HotlineSerializer(hotlines_for_country(country), many=True).data)
