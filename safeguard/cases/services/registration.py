"""Registering a child: the person record, its duplicate-check name keys, the case and its first task."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import User
from safeguard.cases import choices
from safeguard.cases.events import case_event
from safeguard.cases.matching import name_keys
from safeguard.cases.models import (
    NAME_KEY_PURPOSE,
    Case,
    CaseEventKind,
    Person,
    PersonNameKey,
    RiskLevel,
    TaskKind,
    Team,
)
from safeguard.cases.services.tasks import task_add
from safeguard.core.audit import audit_record
from safeguard.core.fields import blind_index_for
from safeguard.core.identifiers import normal_form
from safeguard.intake.services.handover import handover_case_opened

ASSESSMENT_DUE_DAYS = 3


# Multi-select victim-context fields and the HTCDS picklist each draws from.
MULTI_PICKLISTS: dict[str, type[Any]] = {
    "exploitation_types": choices.ExploitationType,
    "sex_exploitation_types": choices.SexExploitationType,
    "methods_of_control": choices.MethodOfControl,
    "recruitment_methods": choices.RecruitmentMethod,
    "recruitment_apps": choices.WebsiteOrApp,
    "exploitation_apps": choices.WebsiteOrApp,
    "vulnerabilities": choices.Vulnerability,
}


CONTEXT_FIELDS = (
    "trafficking_status",
    "status_decided_by",
    "labour_industry",
    "relationship_to_trafficker",
    "recruitment_place",
    "exploitation_place",
    "age_when_trafficked",
    *MULTI_PICKLISTS,
)


@dataclass
class PersonDetails:
    """What registration records about the child; names and contact end up encrypted."""

    first_name: str = ""
    middle_name: str = ""
    second_name: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: date | None = None
    estimated_age: int | None = None
    gender: str = choices.Gender.NON_SPECIFIED_UNKNOWN
    citizenships: list[str] = field(default_factory=list)
    primary_language: str = ""
    secondary_language: str = ""
    country: str = ""
    subdivision: str = ""
    identity_number: str = ""
    phone: str = ""
    email: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    guardian_name: str = ""
    guardian_relationship: str = ""
    guardian_phone: str = ""


def _new_reference() -> str:
    # Random, not sequential, so that a reference says nothing about how many cases exist.
    return f"C-{timezone.localdate():%Y}-{secrets.token_hex(4).upper()}"


def person_name_keys(person: Person) -> set[str]:
    names = [person.full_name, *(person.aliases or [])]
    return {blind_index_for(code, purpose=NAME_KEY_PURPOSE) for code in name_keys(names)}


def person_from_details(details: PersonDetails) -> Person:
    birth_year = details.birth_date.year if details.birth_date else None
    estimated = False
    if birth_year is None and details.estimated_age is not None:
        birth_year, estimated = timezone.localdate().year - details.estimated_age, True
    contact = {
        key: value
        for key, value in (
            ("phone", details.phone),
            ("email", details.email),
            ("street", details.street),
            ("city", details.city),
            ("postal_code", details.postal_code),
        )
        if value
    }
    guardian = {
        key: value
        for key, value in (
            ("name", details.guardian_name),
            ("relationship", details.guardian_relationship),
            ("phone", details.guardian_phone),
        )
        if value
    }
    return Person(
        first_name=details.first_name.strip(),
        middle_name=details.middle_name.strip(),
        second_name=details.second_name.strip(),
        aliases=[alias.strip() for alias in details.aliases if alias.strip()],
        birth_date=details.birth_date.isoformat() if details.birth_date else "",
        birth_year=birth_year,
        birth_year_estimated=estimated,
        estimated_age=details.estimated_age,
        gender=details.gender or choices.Gender.NON_SPECIFIED_UNKNOWN,
        citizenships=sorted({code.upper() for code in details.citizenships if code}),
        primary_language=details.primary_language.lower(),
        secondary_language=details.secondary_language.lower(),
        country=details.country.upper(),
        subdivision=details.subdivision.upper(),
        identity_number=details.identity_number.strip(),
        identity_index=identity_index(details.identity_number),
        contact=contact,
        phone_index=phone_index(details.phone, region=details.country),
        guardian=guardian,
    )


def phone_index(phone: str, *, region: str) -> str:
    """The blind index of a child's phone under the one normal form (the same as a report's)."""
    if not phone.strip():
        return ""
    return blind_index_for(normal_form("phone", phone, region=region or None).key, purpose="phone")


def identity_index(number: str) -> str:
    """The blind index of an identity document number ("X-1234 567" and "x1234567" match)."""
    if not number.strip():
        return ""
    return blind_index_for(normal_form("document", number).key, purpose="identity-number")


def validate_context(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name, picklist in MULTI_PICKLISTS.items():
        chosen = values.get(name) or []
        unknown = [value for value in chosen if value not in picklist.values]
        if unknown:
            errors[name] = _("Not an HTCDS value: %(values)s") % {"values": ", ".join(unknown)}
        values[name] = list(dict.fromkeys(chosen))
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def case_register(
    *,
    actor: Actor,
    person: PersonDetails,
    risk_level: str = RiskLevel.MEDIUM,
    team: Team | None = None,
    owner: User | None = None,
    source_report: Any = None,
    context: dict[str, Any] | None = None,
    registered_at: Any = None,
) -> Case:
    """Open a case for a child in the actor's organisation, owned by the actor unless ``owner``.

    Guarantees: the person's name keys for the duplicate check exist, the first task (initial
    assessment) is assigned, and the registration is on the timeline and in the audit log.
    """
    actor.require("case.edit")
    assert actor.organisation is not None
    if not (person.first_name or person.second_name or person.aliases):
        raise ValidationError({"first_name": _("Give at least a name or an alias.")})
    if team is None:
        team = Team.objects.filter(organisation=actor.organisation, members=actor.user).first()
    elif team.organisation_id != actor.organisation.pk:
        raise PermissionDenied("team of another organisation")
    record = person_from_details(person)
    record.full_clean()
    record.save()
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person=record, key=key) for key in person_name_keys(record)
    )
    case = Case(
        reference=_new_reference(),
        organisation=actor.organisation,
        team=team,
        owner=owner or actor.user,
        person=record,
        risk_level=risk_level,
        source_report=source_report,
        registered_at=registered_at or timezone.now(),
        **validate_context(dict(context or {})),
    )
    case.full_clean()
    case.save()
    if source_report is not None:
        # The report must be the organisation's own or a hand-over it accepted; the sender of a
        # hand-over learns "case opened by <organisation>", nothing of the case.
        handover_case_opened(report=source_report, actor=actor)
    task_add(
        case=case,
        kind=TaskKind.ASSESSMENT,
        title=_("Initial assessment of %(reference)s") % {"reference": case.reference},
        assignee=case.owner,
        due_on=timezone.localdate() + timedelta(days=ASSESSMENT_DUE_DAYS),
    )
    case_event(
        case=case,
        kind=CaseEventKind.REGISTERED,
        actor=actor,
        detail={"source_report_id": source_report.pk} if source_report is not None else {},
    )
    return case


def persons_rekey() -> dict[str, int]:
    """Re-derive every child's phone and identity-number index under the one normal form.

    A system service (no actor), run by ``manage.py rekey_identifiers`` after an upgrade that
    changes ``safeguard.core.identifiers``. One audit event. Returns rows looked at and changed.
    """
    seen = changed = 0
    with transaction.atomic():
        for person in Person.objects.only(
            "contact", "country", "identity_number", "phone_index", "identity_index"
        ):
            seen += 1
            contact = person.contact if isinstance(person.contact, dict) else {}
            wanted = (
                phone_index(str(contact.get("phone") or ""), region=person.country),
                identity_index(person.identity_number or ""),
            )
            if (person.phone_index, person.identity_index) != wanted:
                person.phone_index, person.identity_index = wanted
                person.save(update_fields=["phone_index", "identity_index"])
                changed += 1
        counts = {"seen": seen, "changed": changed}
        audit_record(action="cases.identifiers_rekeyed", object_type="cases.Person", detail=counts)
    return counts
