"""The admin's form for a field, and the custom fields added to the case team's forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import Actor
from safeguard.accounts.roles import Role
from safeguard.cases.models import Case
from safeguard.customfields import values as custom_values
from safeguard.customfields.models import FieldDefinition, FieldKind, FormKind, key_validator
from safeguard.customfields.selectors import cases_with_value, readable_definitions, stored_values
from safeguard.customfields.services import FieldSettings, custom_values_save, fillable_definitions

CHOICE_LINE_HELP = _("One per line: value | label, for example “school | In school”.")


def _lines(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.splitlines():
        if not line.strip():
            continue
        value, _bar, label = line.partition("|")
        pairs.append((value.strip(), label.strip()))
    return pairs


class FieldDefinitionForm(forms.Form):
    """Add or change a field. The form, key and kind are fixed once the field exists."""

    form = forms.ChoiceField(label=_("Form"), choices=FormKind.choices)
    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        validators=[key_validator],
        help_text=_("Names the field in exports (x_<key>) and in the API. It cannot be changed later."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FieldKind.choices)
    label = forms.CharField(label=_("Label"), max_length=120)
    help_text = forms.CharField(label=_("Help text"), max_length=300, required=False)
    section = forms.CharField(
        label=_("Section of the form"),
        max_length=80,
        required=False,
        help_text=_("Fields with the same section are shown together under this heading."),
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    visible_to = forms.MultipleChoiceField(
        label=_("Roles that may see it"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone who may see the case."),
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=CHOICE_LINE_HELP,
    )

    def __init__(self, *args: Any, definition: FieldDefinition | None = None, **kwargs: Any) -> None:
        if definition is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(definition)
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Label in %(language)s") % {"language": name}, max_length=120, required=False
            )
            self.fields[f"help_text_{code}"] = forms.CharField(
                label=_("Help text in %(language)s") % {"language": name}, max_length=300, required=False
            )
            self.fields[f"section_{code}"] = forms.CharField(
                label=_("Section in %(language)s") % {"language": name}, max_length=80, required=False
            )
            self.fields[f"choices_{code}"] = forms.CharField(
                label=_("Choices in %(language)s") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=CHOICE_LINE_HELP,
            )
        if definition is not None:
            for fixed in ("form", "key", "kind"):
                self.fields[fixed].disabled = True

    @staticmethod
    def initial_of(definition: FieldDefinition) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(definition, name)
            for name in (
                "form",
                "key",
                "kind",
                "label",
                "help_text",
                "section",
                "required",
                "visible_to",
                "position",
            )
        }
        initial["choices"] = "\n".join(f"{c['value']} | {c['label']}" for c in definition.choices or [])
        for code, _name in settings.LANGUAGES:
            entry = (definition.translations or {}).get(code, {})
            for name in ("label", "help_text", "section"):
                initial[f"{name}_{code}"] = entry.get(name, "")
            initial[f"choices_{code}"] = "\n".join(
                f"{c['value']} | {c['translations'][code]}"
                for c in definition.choices or []
                if (c.get("translations") or {}).get(code)
            )
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        pairs = _lines(data.get("choices") or "")
        if any(not label for _value, label in pairs):
            self.add_error("choices", _("Give each choice a value and a label, separated by “|”."))
        values = {value for value, _label in pairs}
        choices: list[dict[str, Any]] = [
            {"value": v, "label": label, "translations": {}} for v, label in pairs
        ]
        translations: dict[str, dict[str, str]] = {}
        for code, _name in settings.LANGUAGES:
            entry = {
                name: data.get(f"{name}_{code}", "").strip() for name in ("label", "help_text", "section")
            }
            entry = {name: text for name, text in entry.items() if text}
            if entry:
                translations[code] = entry
            for value, label in _lines(data.get(f"choices_{code}") or ""):
                if value not in values:
                    self.add_error(
                        f"choices_{code}", _("“%(value)s” is not one of the choices.") % {"value": value}
                    )
                    continue
                next(c for c in choices if c["value"] == value)["translations"][code] = label
        data["translations"], data["choice_list"] = translations, choices
        return data

    def field_settings(self) -> FieldSettings:
        data = self.cleaned_data
        return FieldSettings(
            label=data["label"],
            help_text=data["help_text"],
            section=data["section"],
            required=data["required"],
            visible_to=list(data["visible_to"]),
            position=data["position"],
            translations=data["translations"],
            choices=data["choice_list"],
        )


def add_custom_fields(
    form: forms.BaseForm, actor: Actor, kind: str, *, case: Case | None = None, record_id: int = 0
) -> None:
    """Add ``kind``'s custom fields that the actor may fill to ``form`` (as ``cf_<key>``), with the
    values already recorded on ``case`` as initial values."""
    recorded = stored_values(actor, case, kind, record_id=record_id) if case is not None else {}
    definitions = fillable_definitions(actor, kind)
    # Grouped by section, in the admin's order within each.
    sections: dict[str, list[FieldDefinition]] = {}
    for definition in definitions:
        sections.setdefault(definition.section_in(), []).append(definition)
    for group in sections.values():
        for definition in group:
            name = f"{custom_values.PREFIX}{definition.key}"
            form.fields[name] = custom_values.form_field(definition)
            if definition.key in recorded and not form.is_bound:
                form.initial[name] = custom_values.to_initial(definition, recorded[definition.key])
    form.custom_definitions = [*getattr(form, "custom_definitions", []), *definitions]  # type: ignore[attr-defined]


def custom_cleaned(form: forms.BaseForm, kind: str) -> dict[str, Any]:
    """key → stored JSON of ``kind``'s custom fields of a valid ``form``."""
    return {
        definition.key: custom_values.to_stored(
            definition, form.cleaned_data.get(f"{custom_values.PREFIX}{definition.key}")
        )
        for definition in getattr(form, "custom_definitions", [])
        if definition.form == kind
    }


def save_custom_fields(
    form: forms.BaseForm, *, actor: Actor, case: Case, kinds: tuple[str, ...], record_id: int = 0
) -> None:
    """Record the custom fields of a valid ``form``; call in the transaction of the form's service."""
    for kind in kinds:
        values = custom_cleaned(form, kind)
        if values:
            custom_values_save(actor=actor, case=case, form=kind, values=values, record_id=record_id)


class CustomFieldFilterForm(forms.Form):
    """The case list's filters by custom field value (``x_<key>``): one per field the reader may
    see, each validated like the field itself; a multi-choice filter names one choice."""

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definitions: dict[str, FieldDefinition] = {}
        for definition in readable_definitions(actor):
            if definition.is_retired:
                continue
            field = custom_values.form_field(definition)
            if definition.kind == FieldKind.MULTI_CHOICE:
                field = forms.ChoiceField(label=field.label, choices=[("", "—"), *definition.choice_pairs()])
            field.required = False
            field.help_text = ""
            self.fields[definition.column] = field
            self.definitions[definition.column] = definition

    def filters(self) -> list[tuple[FieldDefinition, Any]]:
        """(definition, stored value) of each filter given, once the form is valid."""
        found = []
        for name, definition in self.definitions.items():
            raw = self.cleaned_data.get(name)
            if definition.kind == FieldKind.MULTI_CHOICE:
                stored = [raw] if raw else None
            else:
                stored = custom_values.to_stored(definition, raw)
            if stored is not None:
                found.append((definition, stored))
        return found


def filter_cases_by_custom_fields(
    cases: QuerySet[Case], actor: Actor, query: Mapping[str, str]
) -> tuple[QuerySet[Case], CustomFieldFilterForm]:
    """``cases`` narrowed by the ``x_<key>`` filters of ``query``; none if a filter is invalid
    (its message is on the returned form)."""
    form = CustomFieldFilterForm(query, actor=actor)
    if not form.is_valid():
        return cases.none(), form
    for definition, stored in form.filters():
        cases = cases_with_value(cases, definition, stored)
    return cases, form
