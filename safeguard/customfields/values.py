"""A custom field's value in its three shapes: the form field that validates what a person types,
the JSON stored (encrypted) for it, and the text of an export cell or a list filter.

Every way in — page form, HTCDS import, API, case-list filter — validates through the same
Django form field, so a value is checked by one rule whatever brought it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safeguard.core.fields import blind_index_for
from safeguard.core.widgets import DateInput
from safeguard.customfields.models import VALUE_KEY_PURPOSE, FieldDefinition, FieldKind

SEPARATOR = ";"  # between the choices of a multi-choice in an export cell, as HTCDS lists
PREFIX = "cf_"  # of a custom field's name in a page form
YES_WORDS = ("yes", "true", "1")
NO_WORDS = ("no", "false", "0")


def form_field(definition: FieldDefinition) -> forms.Field:
    """The form field for ``definition`` in the active language, with its section attached."""
    common: dict[str, Any] = {
        "label": definition.label_in(),
        "help_text": definition.help_text_in(),
        "required": definition.required,
    }
    field: forms.Field
    if definition.kind == FieldKind.NUMBER:
        field = forms.DecimalField(max_digits=18, decimal_places=6, **common)
    elif definition.kind == FieldKind.DATE:
        field = forms.DateField(widget=DateInput, **common)
    elif definition.kind == FieldKind.YES_NO:
        field = forms.TypedChoiceField(
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda text: text == "yes",
            empty_value=None,
            **common,
        )
    elif definition.kind == FieldKind.CHOICE:
        field = forms.ChoiceField(choices=[("", "—"), *definition.choice_pairs()], **common)
    elif definition.kind == FieldKind.MULTI_CHOICE:
        field = forms.MultipleChoiceField(
            choices=definition.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
        )
    else:
        field = forms.CharField(max_length=2000, **common)
    setattr(field, "section", definition.section_in())  # noqa: B010  # read by core/_form.html
    return field


def to_stored(definition: FieldDefinition, cleaned: Any) -> Any:
    """A form field's cleaned value as the JSON kept for it; None for no value."""
    if cleaned is None or cleaned == "" or cleaned == []:
        return None
    if definition.kind == FieldKind.NUMBER:
        number = Decimal(cleaned).normalize()
        return int(number) if number == number.to_integral_value() else float(number)
    if definition.kind == FieldKind.DATE:
        return cleaned.isoformat()
    if definition.kind == FieldKind.MULTI_CHOICE:
        return [str(item) for item in cleaned]
    if definition.kind == FieldKind.TEXT:
        return str(cleaned).strip() or None
    return cleaned


def to_initial(definition: FieldDefinition, stored: Any) -> Any:
    """The stored value as a form's initial value."""
    if stored is None:
        return None
    if definition.kind == FieldKind.YES_NO:
        return "yes" if stored else "no"
    if definition.kind == FieldKind.DATE:
        return date.fromisoformat(stored)
    return stored


def to_text(definition: FieldDefinition, stored: Any) -> str:
    """The stored value as an export cell (choice values, not labels; yes/no as true/false)."""
    if stored is None:
        return ""
    if definition.kind == FieldKind.YES_NO:
        return "true" if stored else "false"
    if definition.kind == FieldKind.MULTI_CHOICE:
        return SEPARATOR.join(stored)
    return str(stored)


def clean_input(definition: FieldDefinition, raw: Any) -> Any:
    """Validate a value from a file cell, an API body or a filter; the stored JSON, or
    ``ValidationError`` with the same messages a page form would show."""
    if definition.kind == FieldKind.YES_NO:
        if isinstance(raw, bool):
            raw = "yes" if raw else "no"
        elif raw is not None:
            word = str(raw).strip().lower()
            raw = "yes" if word in YES_WORDS else "no" if word in NO_WORDS else word
    elif definition.kind == FieldKind.MULTI_CHOICE and isinstance(raw, str):
        raw = [part.strip() for part in raw.split(SEPARATOR) if part.strip()]
    elif definition.kind == FieldKind.NUMBER and isinstance(raw, float | int) and not isinstance(raw, bool):
        raw = str(raw)
    elif definition.kind == FieldKind.DATE and raw is not None and not isinstance(raw, str):
        raise ValidationError(_("Enter a date in the form YYYY-MM-DD."))
    elif isinstance(raw, list | dict | bool) and definition.kind != FieldKind.MULTI_CHOICE:
        raise ValidationError(_("Enter a single value."))
    if definition.kind == FieldKind.DATE and isinstance(raw, str) and raw.strip():
        try:
            date.fromisoformat(raw.strip())
        except ValueError as error:
            raise ValidationError(_("Enter a date in the form YYYY-MM-DD.")) from error
    return to_stored(definition, form_field(definition).clean(raw))


def search_keys(definition: FieldDefinition, stored: Any) -> list[str]:
    """Blind-index keys of a stored value: one per choice of a multi-choice, else one."""
    if stored is None:
        return []
    texts = [str(part) for part in stored] if isinstance(stored, list) else [to_text(definition, stored)]
    return sorted({_key(definition, text) for text in texts})


def filter_key(definition: FieldDefinition, stored: Any) -> str:
    """The key a case-list filter looks up: a multi-choice filter names one choice."""
    return _key(definition, str(stored[0]) if isinstance(stored, list) else to_text(definition, stored))


def _key(definition: FieldDefinition, text: str) -> str:
    # Text is matched whole, ignoring case and spacing; the definition's id keeps equal values
    # of different fields apart.
    normalised = " ".join(text.casefold().split())
    return blind_index_for(f"{definition.pk}:{normalised}", purpose=VALUE_KEY_PURPOSE)
