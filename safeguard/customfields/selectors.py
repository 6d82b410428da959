"""Reading custom fields and their values, always over what the reader's roles may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from safeguard.accounts.access import Actor
from safeguard.cases.models import Case
from safeguard.customfields import values as custom_values
from safeguard.customfields.models import (
    CASE_LEVEL_FORMS,
    FieldDefinition,
    FieldValue,
    FieldValueKey,
    FormKind,
)


def definitions_of_organisation(actor: Actor) -> QuerySet[FieldDefinition]:
    """Every field of the actor's organisation, retired ones too, for its admins."""
    actor.require("organisation.manage")
    return FieldDefinition.objects.filter(organisation=actor.organisation).order_by(
        "form", "retired_at", "position", "id"
    )


def definition_of_organisation(actor: Actor, definition_id: int) -> FieldDefinition | None:
    return definitions_of_organisation(actor).filter(pk=definition_id).first()


def readable_definitions(
    actor: Actor, *, forms: tuple[str, ...] = tuple(FormKind.values)
) -> list[FieldDefinition]:
    """The fields whose values the actor may read (retired ones too: their values are kept)."""
    if actor.organisation is None:
        return []
    return [
        definition
        for definition in FieldDefinition.objects.filter(organisation=actor.organisation, form__in=forms)
        if definition.visible_to_roles(actor.roles)
    ]


@dataclass(frozen=True)
class ShownValue:
    definition: FieldDefinition
    record_id: int
    value: Any

    @property
    def label(self) -> str:
        return self.definition.label_in()

    @property
    def section(self) -> str:
        return self.definition.section_in()

    @property
    def text(self) -> str:
        return self.definition.display(self.value)


def case_values(
    actor: Actor, case: Case, *, forms: tuple[str, ...] = tuple(FormKind.values)
) -> list[ShownValue]:
    """The values on ``case`` the actor's roles may see; the caller has fetched the case through
    ``cases.access`` (so the case itself is in the actor's reach)."""
    definitions = {
        definition.pk: definition
        for definition in readable_definitions(actor, forms=forms)
        if definition.organisation_id == case.organisation_id
    }
    rows = FieldValue.objects.filter(case=case, definition_id__in=definitions).order_by(
        "record_id", "definition__position", "definition_id"
    )
    return [ShownValue(definitions[row.definition_id], row.record_id, row.value) for row in rows]


def values_by_form(actor: Actor, case: Case) -> dict[str, Any]:
    """For the case page: person and case values, and assessment and follow-up values by record."""
    shown = case_values(actor, case)
    by_record: dict[str, dict[int, list[ShownValue]]] = {FormKind.ASSESSMENT: {}, FormKind.FOLLOW_UP: {}}
    result: dict[str, Any] = {FormKind.PERSON: [], FormKind.CASE: []}
    for item in shown:
        if item.definition.form in CASE_LEVEL_FORMS:
            result[item.definition.form].append(item)
        else:
            by_record[item.definition.form].setdefault(item.record_id, []).append(item)
    result.update(by_record)
    return result


def stored_values(actor: Actor, case: Case, form: str, *, record_id: int = 0) -> dict[str, Any]:
    """key → stored value of one form of one record, for a form's initial values."""
    return {
        item.definition.key: item.value
        for item in case_values(actor, case, forms=(form,))
        if item.record_id == record_id
    }


def cases_with_value(cases: QuerySet[Case], definition: FieldDefinition, stored: Any) -> QuerySet[Case]:
    """``cases`` narrowed to those whose value of ``definition`` equals ``stored`` (for a
    multi-choice: includes the choice), looked up by blind index, never by decrypting."""
    key = custom_values.filter_key(definition, stored)
    # The key is unique to the definition (its id is hashed in), so the key alone finds the cases.
    return cases.filter(pk__in=FieldValueKey.objects.filter(key=key).values("case_id"))
