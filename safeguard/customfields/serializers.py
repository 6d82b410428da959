"""Custom fields in the case API: one ``custom_fields`` object, ``{key: value}``, of the person
and case fields the caller's roles may see (read) or fill (write). Serializers using it get the
acting ``Actor`` in their context as ``actor``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeguard.customfields import values as custom_values
from safeguard.customfields.exchange import import_definitions
from safeguard.customfields.models import CASE_LEVEL_FORMS
from safeguard.customfields.selectors import case_values


@extend_schema_field(OpenApiTypes.OBJECT)
class CustomFieldsField(serializers.Field):
    """``{key: value}``: text and dates as strings (YYYY-MM-DD), numbers, booleans for yes/no,
    a choice's value, a list of values for a multi-choice; ``null`` clears a field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_representation(self, case: Any) -> dict[str, Any]:
        actor = self.context.get("actor")
        if actor is None:
            return {}
        return {
            item.definition.key: item.value
            for item in case_values(actor, case, forms=tuple(CASE_LEVEL_FORMS))
            if item.record_id == 0
        }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Expected an object of field keys and values."))
        fillable = {definition.key: definition for definition in import_definitions(self.context["actor"])}
        values, errors = {}, {}
        for key, raw in data.items():
            definition = fillable.get(key)
            if definition is None:
                errors[key] = [_("Not a field you may fill.")]
                continue
            try:
                values[definition] = custom_values.clean_input(definition, raw)
            except ValidationError as error:
                errors[key] = error.messages
        if errors:
            raise serializers.ValidationError(errors)
        return {"custom_fields": values}
