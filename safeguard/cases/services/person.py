"""Correcting the child's details and the victim context after registration."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, Person, PersonNameKey
from safeguard.cases.services.registration import (
    CONTEXT_FIELDS,
    PersonDetails,
    person_from_details,
    person_name_keys,
    validate_context,
)

# Person fields the edit page may change; the identity number is kept as registered.
PERSON_EDIT_FIELDS = (
    "first_name",
    "middle_name",
    "second_name",
    "aliases",
    "birth_date",
    "birth_year",
    "birth_year_estimated",
    "estimated_age",
    "gender",
    "citizenships",
    "primary_language",
    "secondary_language",
    "country",
    "subdivision",
    "contact",
    "phone_index",
    "guardian",
)


NAME_FIELDS = ("first_name", "middle_name", "second_name", "aliases")


@transaction.atomic
def person_update(*, actor: Actor, case: Case, person: PersonDetails) -> Person:
    """Correct what registration recorded about the child (not the identity number).

    The event and audit log name the changed fields, never their values; the duplicate-check
    name keys are rebuilt when a name or alias changes.
    """
    require_case_in_reach(actor, case, "case.edit")
    if not (
        person.first_name.strip() or person.second_name.strip() or any(a.strip() for a in person.aliases)
    ):
        raise ValidationError({"first_name": _("Give at least a name or an alias.")})
    record = case.person
    fresh = person_from_details(person)
    if (
        person.birth_date is None
        and person.estimated_age is not None
        and person.estimated_age == record.estimated_age
        and record.birth_year_estimated
    ):
        # The same estimate as before: keep the birth year it gave then.
        fresh.birth_year = record.birth_year
    changed = [name for name in PERSON_EDIT_FIELDS if getattr(record, name) != getattr(fresh, name)]
    for name in changed:
        setattr(record, name, getattr(fresh, name))
    record.full_clean()
    if not changed:
        return record
    record.save(update_fields=changed)
    if any(name in NAME_FIELDS for name in changed):
        PersonNameKey.objects.filter(person=record).delete()
        PersonNameKey.objects.bulk_create(
            PersonNameKey(person=record, key=key) for key in person_name_keys(record)
        )
    case.save(update_fields=["updated_at"])
    reported = sorted(name for name in changed if name not in ("phone_index", "birth_year_estimated"))
    case_event(case=case, kind=CaseEventKind.UPDATED, actor=actor, detail={"person_fields": reported})
    return record


@transaction.atomic
def case_update_context(*, actor: Actor, case: Case, risk_level: str | None = None, **values: Any) -> Case:
    """Change the victim context (HTCDS ``vic_``) and risk level; the event lists changed fields."""
    require_case_in_reach(actor, case, "case.edit")
    values = validate_context({name: values[name] for name in CONTEXT_FIELDS if name in values})
    if risk_level is not None:
        values["risk_level"] = risk_level
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    case.full_clean()
    case.save(update_fields=[*changed, "updated_at"])
    if changed:
        case_event(case=case, kind=CaseEventKind.UPDATED, actor=actor, detail={"fields": sorted(changed)})
    return case
