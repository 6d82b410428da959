"""The custom fields of a case, read and changed on their own (``/cases/<id>/custom-fields``),
and the organisation's field definitions a client needs to build its forms."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.cases.access import case_for, case_view_for
from safeguard.customfields.exchange import save_extensions
from safeguard.customfields.selectors import readable_definitions
from safeguard.customfields.serializers import CustomFieldsField

VALUES = {
    "custom_fields": {"school_year": 7, "enrolled_locally": True, "support_needs": ["tutoring", "meals"]}
}
DEFINITION = {
    "key": "school_year",
    "form": "case",
    "kind": "number",
    "label": "School year",
    "help_text": "The year the child is in at school, if any.",
    "section": "Education",
    "required": False,
    "choices": [],
    "retired": False,
}


class CaseCustomFieldsSerializer(serializers.Serializer):
    custom_fields = CustomFieldsField(required=True)


class DefinitionSerializer(serializers.Serializer):
    key = serializers.CharField()
    form = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField(source="label_in")  # type: ignore[assignment]  # a declared field, not the attribute of Field
    help_text = serializers.CharField(source="help_text_in")  # type: ignore[assignment]  # a declared field, not the attribute of Field
    section = serializers.CharField(source="section_in")
    required = serializers.BooleanField()  # type: ignore[assignment]  # a declared field, not the attribute of Field
    choices = serializers.SerializerMethodField()
    retired = serializers.BooleanField(source="is_retired")

    def get_choices(self, definition: object) -> list[dict[str, str]]:
        return [{"value": value, "label": label} for value, label in definition.choice_pairs()]  # type: ignore[attr-defined]


class CustomFieldDefinitionsApi(StaffAPIView):
    @extend_schema(
        responses=DefinitionSerializer(many=True),
        tags=["cases"],
        examples=body_examples("The fields the caller may see", answer=DEFINITION),
    )
    def get(self, request: Request) -> Response:
        """The organisation's custom fields the caller's roles may see, labels in the request's language."""
        actor = self.actor
        actor.require("case.view")
        return Response(DefinitionSerializer(readable_definitions(actor), many=True).data)


class CaseCustomFieldsApi(StaffAPIView):
    @extend_schema(
        responses=CaseCustomFieldsSerializer,
        tags=["cases"],
        examples=body_examples("A case's values", answer=VALUES),
    )
    def get(self, request: Request, pk: int) -> Response:
        actor = self.actor
        case = case_view_for(actor, pk)
        return Response(CaseCustomFieldsSerializer(case, context={"actor": actor}).data)

    @extend_schema(
        request=CaseCustomFieldsSerializer,
        responses=CaseCustomFieldsSerializer,
        tags=["cases"],
        examples=body_examples(
            "Change two values",
            request={"custom_fields": {"school_year": 8, "enrolled_locally": True}},
            answer=VALUES,
        ),
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the given person and case fields; fields left out keep their values."""
        actor = self.actor
        case = case_for(actor, pk, action="case.edit")
        serializer = CaseCustomFieldsSerializer(data=request.data, context={"actor": actor})
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            save_extensions(actor=actor, case=case, values=serializer.validated_data["custom_fields"])
        return Response(CaseCustomFieldsSerializer(case, context={"actor": actor}).data)
