"""Defining custom fields (organisation admins) and recording their values (the case team)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.roles import Role
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.models import Case
from safeguard.core.audit import audit_record
from safeguard.customfields import values as custom_values
from safeguard.customfields.models import (
    CHOICE_KINDS,
    FieldDefinition,
    FieldValue,
    FieldValueKey,
    FormKind,
)

MANAGE = "organisation.manage"
# What an admin may change after the field exists; its form, key and kind shape stored values.
CHANGEABLE = (
    "label",
    "help_text",
    "section",
    "translations",
    "choices",
    "required",
    "visible_to",
    "position",
)


@dataclass
class FieldSettings:
    """What an admin sets on a field, as the admin form or an API gives it."""

    label: str
    help_text: str = ""
    section: str = ""
    required: bool = False
    visible_to: list[str] = field(default_factory=list)
    position: int | None = None
    # language code → {"label", "help_text", "section"}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    # [{"value", "label", "translations": {language code: label}}]
    choices: list[dict[str, Any]] = field(default_factory=list)


def _check(definition: FieldDefinition) -> None:
    """Everything a definition must satisfy beyond its model fields, with one message each."""
    errors: dict[str, list[str]] = {}
    languages = {code for code, _name in settings.LANGUAGES}
    wrong_languages = sorted(set(definition.translations or {}) - languages)
    if wrong_languages:
        errors["translations"] = [
            _("Not a language of this installation: %(codes)s") % {"codes": ", ".join(wrong_languages)}
        ]
    wrong_roles = sorted(set(definition.visible_to or []) - set(Role.values))
    if wrong_roles:
        errors["visible_to"] = [_("Not a role: %(roles)s") % {"roles": ", ".join(wrong_roles)}]
    if definition.kind in CHOICE_KINDS:
        values = definition.choice_values()
        if not values:
            errors["choices"] = [_("A choice list needs at least one choice.")]
        elif len(set(values)) != len(values):
            errors["choices"] = [_("Each choice must have its own value.")]
        elif any(not value or custom_values.SEPARATOR in value for value in values):
            errors["choices"] = [_("A choice value cannot be empty or contain ';'.")]
    elif definition.choices:
        errors["choices"] = [_("Only choice-list fields have choices.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def field_define(
    *, actor: Actor, form: str, key: str, kind: str, settings_: FieldSettings
) -> FieldDefinition:
    """Add a field to one of the organisation's forms; it appears there at once (no code change)."""
    actor.require(MANAGE)
    assert actor.organisation is not None
    organisation = actor.organisation
    if FieldDefinition.objects.filter(organisation=organisation, key=key).exists():
        raise ValidationError({"key": _("Another field of your organisation already has this key.")})
    position = settings_.position
    if position is None:
        last = FieldDefinition.objects.filter(organisation=organisation, form=form).aggregate(
            last=Max("position")
        )
        position = (last["last"] or 0) + 1
    definition = FieldDefinition(
        organisation=organisation,
        form=form,
        key=key,
        kind=kind,
        label=settings_.label.strip(),
        help_text=settings_.help_text.strip(),
        section=settings_.section.strip(),
        translations=settings_.translations,
        choices=settings_.choices,
        required=settings_.required,
        visible_to=sorted(set(settings_.visible_to)),
        position=position,
        created_by=actor.user,
    )
    definition.full_clean()
    _check(definition)
    definition.save()
    audit_record(
        action="customfields.field_defined",
        actor=actor,
        target=definition,
        detail={"form": form, "key": key, "kind": kind},
    )
    return definition


def _own(actor: Actor, definition: FieldDefinition) -> None:
    actor.require(MANAGE)
    if actor.organisation is None or definition.organisation_id != actor.organisation.pk:
        raise PermissionDenied("custom field of another organisation")


@transaction.atomic
def field_change(*, actor: Actor, definition: FieldDefinition, settings_: FieldSettings) -> FieldDefinition:
    """Change what may change of a field; values already recorded are kept as they are."""
    _own(actor, definition)
    before = {name: getattr(definition, name) for name in CHANGEABLE}
    definition.label = settings_.label.strip()
    definition.help_text = settings_.help_text.strip()
    definition.section = settings_.section.strip()
    definition.translations = settings_.translations
    definition.choices = settings_.choices
    definition.required = settings_.required
    definition.visible_to = sorted(set(settings_.visible_to))
    if settings_.position is not None:
        definition.position = settings_.position
    definition.full_clean()
    _check(definition)
    removed = set(_choice_values(before["choices"])) - set(definition.choice_values())
    if removed and FieldValue.objects.filter(definition=definition).exists():
        # A stored value must keep a meaning: retire the field and define a new one instead.
        raise ValidationError(
            {
                "choices": _("Choices already recorded on cases cannot be removed: %(values)s")
                % {"values": ", ".join(sorted(removed))}
            }
        )
    changed = [name for name in CHANGEABLE if getattr(definition, name) != before[name]]
    definition.save(update_fields=list(CHANGEABLE))
    audit_record(
        action="customfields.field_changed", actor=actor, target=definition, detail={"changed": changed}
    )
    return definition


def _choice_values(choices: list[dict[str, Any]]) -> list[str]:
    return [str(choice["value"]) for choice in choices or []]


@transaction.atomic
def field_retire(*, actor: Actor, definition: FieldDefinition) -> FieldDefinition:
    """Take a field off its form. Its values are kept and still shown on the cases that have them."""
    _own(actor, definition)
    if definition.retired_at is not None:
        raise ValidationError(_("This field is already retired."))
    definition.retired_at = timezone.now()
    definition.retired_by = actor.user
    definition.save(update_fields=["retired_at", "retired_by"])
    audit_record(
        action="customfields.field_retired",
        actor=actor,
        target=definition,
        detail={"values_kept": FieldValue.objects.filter(definition=definition).count()},
    )
    return definition


@transaction.atomic
def field_restore(*, actor: Actor, definition: FieldDefinition) -> FieldDefinition:
    """Put a retired field back on its form, with the values it had."""
    _own(actor, definition)
    definition.retired_at = None
    definition.retired_by = None
    definition.save(update_fields=["retired_at", "retired_by"])
    audit_record(action="customfields.field_restored", actor=actor, target=definition)
    return definition


def fillable_definitions(actor: Actor, form: str) -> list[FieldDefinition]:
    """The active fields of ``form`` that the actor's roles may see and fill, in order."""
    if actor.organisation is None:
        return []
    return [
        definition
        for definition in FieldDefinition.objects.active().filter(organisation=actor.organisation, form=form)
        if definition.visible_to_roles(actor.roles)
    ]


@transaction.atomic
def custom_values_save(
    *, actor: Actor, case: Case, form: str, values: Mapping[str, Any], record_id: int = 0
) -> list[str]:
    """Record the values of ``form``'s custom fields on ``case`` (``values``: key → stored JSON,
    already validated); returns the keys that changed.

    Only fields the actor may fill are touched: a key the actor may not see is refused, and a
    field left out keeps its value, so a caseworker never erases a supervisor-only value. A
    required field cannot be emptied.
    """
    require_case_in_reach(actor, case, "case.edit")
    if form not in FormKind.values:
        raise ValidationError(_("Unknown form."))
    fillable = {definition.key: definition for definition in fillable_definitions(actor, form)}
    unknown = sorted(set(values) - set(fillable))
    if unknown:
        raise ValidationError(
            {
                "custom_fields": _("Not a field you may fill on this form: %(keys)s")
                % {"keys": ", ".join(unknown)}
            }
        )
    existing = {
        value.definition_id: value
        for value in FieldValue.objects.filter(
            case=case, record_id=record_id, definition__in=fillable.values()
        )
    }
    changed = []
    for key, stored in values.items():
        definition = fillable[key]
        current = existing.get(definition.pk)
        if stored is None:
            if definition.required:
                raise ValidationError({f"{custom_values.PREFIX}{key}": _("This field is required.")})
            if current is not None:
                current.delete()
                changed.append(key)
            continue
        if current is not None and current.value == stored:
            continue
        if current is None:
            current = FieldValue(definition=definition, case=case, record_id=record_id)
        current.value = stored
        current.updated_by = actor.user
        current.save()
        current.keys.all().delete()
        FieldValueKey.objects.bulk_create(
            [
                FieldValueKey(value=current, case=case, key=key_)
                for key_ in custom_values.search_keys(definition, stored)
            ]
        )
        changed.append(key)
    if changed:
        audit_record(
            action="case.custom_fields_changed",
            actor=actor,
            target=case,
            detail={"form": form, "record_id": record_id, "keys": changed},
        )
    return changed
