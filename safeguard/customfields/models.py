"""Fields an organisation adds to the person, case, assessment and follow-up forms.

A definition is configuration (labels, choices, who may see it), kept in clear. A value is
case data: encrypted at rest like every other part of the case, with blind-index keys beside it
so the case list can be filtered by it (``FieldValueKey``). Definitions are retired, never
deleted, so values recorded under them are kept.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.roles import Role
from safeguard.core.fields import EncryptedJSONField


class FormKind(models.TextChoices):
    PERSON = "person", _("Person")
    CASE = "case", _("Case")
    ASSESSMENT = "assessment", _("Assessment")
    FOLLOW_UP = "follow_up", _("Follow-up")


# Forms whose values belong to the case itself (one value per case); the others hold one value
# per assessment or follow-up.
CASE_LEVEL_FORMS = (FormKind.PERSON, FormKind.CASE)


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("Choice from a list")
    MULTI_CHOICE = "multi_choice", _("Several choices from a list")


CHOICE_KINDS = (FieldKind.CHOICE, FieldKind.MULTI_CHOICE)

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Use 1 to 40 lower-case letters, digits and underscores, starting with a letter."),
)


class FieldDefinitionQuerySet(models.QuerySet["FieldDefinition"]):
    def active(self) -> FieldDefinitionQuerySet:
        return self.filter(retired_at__isnull=True)


class FieldDefinition(models.Model):
    """One field an organisation admin added to one form."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="custom_fields"
    )
    form = models.CharField(_("form"), max_length=16, choices=FormKind.choices)
    key = models.CharField(
        _("key"),
        max_length=40,
        validators=[key_validator],
        help_text=_("Names the field in exports (x_<key>) and in the API. It cannot be changed later."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FieldKind.choices)
    label = models.CharField(_("label"), max_length=120)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    section = models.CharField(_("section of the form"), max_length=80, blank=True)
    # language code → {"label": …, "help_text": …, "section": …}
    translations = models.JSONField(default=dict, blank=True)
    # [{"value": …, "label": …, "translations": {language code: label}}]
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Roles that may see and fill the field; empty: everyone who may see the case.
    visible_to = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[FieldDefinitionQuerySet] = FieldDefinitionQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["organisation_id", "form", "position", "id"]
        constraints = [
            # The key names the export column, so it is unique across the organisation's forms.
            models.UniqueConstraint(fields=["organisation", "key"], name="custom_field_unique_key"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def column(self) -> str:
        return f"x_{self.key}"

    def _translated(self, name: str, language: str | None = None) -> str:
        language = language or translation.get_language() or ""
        entry = (self.translations or {}).get(language.split("-")[0], {})
        return str(entry.get(name) or getattr(self, name))

    def label_in(self, language: str | None = None) -> str:
        return self._translated("label", language)

    def help_text_in(self, language: str | None = None) -> str:
        return self._translated("help_text", language)

    def section_in(self, language: str | None = None) -> str:
        return self._translated("section", language)

    def choice_values(self) -> list[str]:
        return [str(choice["value"]) for choice in self.choices or []]

    def choice_pairs(self, language: str | None = None) -> list[tuple[str, str]]:
        language = (language or translation.get_language() or "").split("-")[0]
        return [
            (str(choice["value"]), str((choice.get("translations") or {}).get(language) or choice["label"]))
            for choice in self.choices or []
        ]

    def visible_to_roles(self, roles: frozenset[str]) -> bool:
        return not self.visible_to or bool(roles & set(self.visible_to))

    def visible_to_labels(self) -> list[str]:
        """The roles that may see the field, named in the active language."""
        return [str(Role(role).label) if role in Role.values else role for role in self.visible_to or []]

    def display(self, value: Any) -> str:
        """The value as a reader sees it, in the active language."""
        if value is None or value == "" or value == []:
            return ""
        if self.kind == FieldKind.YES_NO:
            return str(_("Yes") if value else _("No"))
        if self.kind in CHOICE_KINDS:
            labels = dict(self.choice_pairs())
            values = value if isinstance(value, list) else [value]
            return ", ".join(labels.get(str(item), str(item)) for item in values)
        return str(value)


class FieldValue(models.Model):
    """The value of one custom field on one case (and, for assessment and follow-up fields, on
    one assessment or follow-up, ``record_id``; 0 for person and case fields)."""

    definition = models.ForeignKey(FieldDefinition, on_delete=models.PROTECT, related_name="values")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="custom_values")
    record_id = models.BigIntegerField(default=0)
    value = EncryptedJSONField(_("value"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["definition__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "case", "record_id"], name="custom_value_one_per_record"
            ),
        ]
        indexes = [models.Index(fields=["case", "record_id"], name="custom_value_case_record")]

    def __str__(self) -> str:
        return f"value of {self.definition_id} on case {self.case_id}"


# Blind-index purpose of value keys; changing it orphans every stored key.
VALUE_KEY_PURPOSE = "custom-field-value"


class FieldValueKey(models.Model):
    """Blind index of one searchable form of a value (one per choice of a multi-choice)."""

    value = models.ForeignKey(FieldValue, on_delete=models.CASCADE, related_name="keys")
    # The value's case, copied here so that a list filter finds its cases in one index
    # (key, case) instead of joining every value of the field (decision 162).
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["key", "case"], name="custom_value_key_case")]

    def __str__(self) -> str:
        return f"key of custom value {self.value_id}"
