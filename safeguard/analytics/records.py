"""Reading reports, cases and ads as analytics sees them: fields, entities and person mentions.

The one place that knows the other apps' models: analytics reads intake's reports and the
cases app's cases (and never writes them), so a renamed field fails here, loudly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from safeguard.analytics import extraction
from safeguard.analytics.extraction import Entity, EntityKind
from safeguard.analytics.linking import PersonMention
from safeguard.analytics.models import Ad, RecordType
from safeguard.cases.models import Case
from safeguard.core import identifiers
from safeguard.intake.models import Report

_NAME_SPLIT = re.compile(r"\s*(?:[,;/\n]|\baka\b|\balias\b)\s*", re.IGNORECASE)


@dataclass
class RecordSnapshot:
    """What analytics extracts from one record, decrypted in memory only."""

    record_type: str
    record_id: int
    organisation_id: int | None
    occurred_at: datetime | None
    country: str = ""
    subdivision: str = ""
    entities: list[Entity] = field(default_factory=list)
    persons: list[PersonMention] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.record_type}:{self.record_id}"


def _names(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part for part in _NAME_SPLIT.split(str(value)) if part.strip()]


def _named(kind: EntityKind, value: str, field_name: str, region: str | None) -> Entity | None:
    key = extraction.normalise(kind, value, default_region=region)
    if key is None:
        return None
    return Entity(kind, key, 0, len(value), value, field_name)


def _identifier_entity(kind: str, typed: str, region: str | None) -> list[Entity]:
    """A typed identifier's entity, keyed by the one normal form (``core.identifiers``).

    The same key as intake's ``ReportIdentifier.value_index`` and the cases app's phone index;
    a value that could not be verified is kept, keyed on what was typed, and still links to the
    same unverified string elsewhere.
    """
    try:
        entity_kind = EntityKind(kind)
    except ValueError:
        return []
    if kind not in identifiers.KINDS or not typed.strip():
        return []
    form = identifiers.normal_form(kind, typed, region=region)
    found = [Entity(entity_kind, form.key, 0, len(typed), typed, "identifier")]
    if form.verified and entity_kind in (EntityKind.EMAIL, EntityKind.URL):
        host = form.key.rsplit("@", 1)[-1].split("/", 1)[0].split("?", 1)[0]
        domain = extraction.registered_domain(host)
        if domain:
            found.append(Entity(EntityKind.DOMAIN, domain, 0, len(typed), typed, "identifier"))
    return found


def _dedupe(entities: Iterable[Entity]) -> list[Entity]:
    seen: dict[tuple[str, str], Entity] = {}
    for entity in entities:
        seen.setdefault((str(entity.kind), entity.key), entity)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------
# Reports


def report_snapshot(report: Report) -> RecordSnapshot:
    region = report.country or None
    entities: list[Entity] = list(extraction.extract_entities(report.narrative or "", default_region=region))
    for row in report.identifiers.all():
        entities.extend(_identifier_entity(row.kind, row.value or "", region))
    persons: list[PersonMention] = []
    for number, suspect in enumerate(report.suspects or []):
        if not isinstance(suspect, dict):
            continue
        names = _names(suspect.get("names"))
        for name in names:
            found = _named(EntityKind.NAME, name, "suspect", region)
            if found:
                entities.append(found)
        entities.extend(extraction.extract_entities(suspect.get("description") or "", default_region=region))
        if names:
            persons.append(
                PersonMention(
                    record_id=f"report:{report.pk}:suspect:{number}",
                    source_type="report",
                    name=names[0],
                    aliases=tuple(names[1:]),
                    place=report.subdivision or None,
                    country=report.country or None,
                )
            )
    for number, child in enumerate(report.children or []):
        if isinstance(child, dict) and child.get("name"):
            persons.append(
                PersonMention(
                    record_id=f"report:{report.pk}:child:{number}",
                    source_type="report",
                    name=str(child["name"]),
                    age=_int(child.get("age")),
                    age_recorded_on=report.created_at.date(),
                    gender=child.get("gender") or None,
                    place=report.subdivision or None,
                    country=report.country or None,
                )
            )
    if report.subdivision:
        entities.append(
            Entity(EntityKind.PLACE, report.subdivision.upper(), 0, 0, report.subdivision, "region")
        )
    place = report.place or ""
    if place:
        found = _named(EntityKind.PLACE, place, "place", region)
        if found:
            entities.append(found)
    return RecordSnapshot(
        record_type=RecordType.REPORT,
        record_id=report.pk,
        organisation_id=report.organisation_id,
        occurred_at=report.created_at,
        country=report.country or "",
        subdivision=report.subdivision or "",
        entities=_dedupe(entities),
        persons=persons,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def load_report(report_id: int) -> Report | None:
    return Report.objects.filter(pk=report_id).prefetch_related("identifiers").first()


def iter_reports(batch_size: int = 500) -> Iterator[Report]:
    return Report.objects.order_by("pk").prefetch_related("identifiers").iterator(chunk_size=batch_size)


def count_reports() -> int:
    return Report.objects.count()


# ---------------------------------------------------------------------------------------------
# Cases


def case_snapshot(case: Case) -> RecordSnapshot:
    person = case.person
    region = person.country or None
    entities: list[Entity] = []
    names = [person.full_name] if person.full_name else []
    names += _names(person.aliases)
    for name in names:
        found = _named(EntityKind.NAME, name, "person", region)
        if found:
            entities.append(found)
    contact: dict[str, Any] = person.contact if isinstance(person.contact, dict) else {}
    guardian: dict[str, Any] = person.guardian if isinstance(person.guardian, dict) else {}
    for kind, value in (
        ("phone", contact.get("phone")),
        ("email", contact.get("email")),
        ("phone", guardian.get("phone")),
    ):
        if value:
            entities.extend(_identifier_entity(kind, str(value), region))
    for perpetrator in case.perpetrators.all():
        for name in _names(perpetrator.name):
            found = _named(EntityKind.NAME, name, "perpetrator", region)
            if found:
                entities.append(found)
        for identifier in perpetrator.identifiers or []:
            if isinstance(identifier, dict):
                entities.extend(
                    _identifier_entity(
                        str(identifier.get("kind", "")), str(identifier.get("value", "")), region
                    )
                )
            else:
                entities.extend(extraction.extract_entities(str(identifier), default_region=region))
    for code in {person.subdivision, case.recruitment_place, case.exploitation_place} - {""}:
        entities.append(Entity(EntityKind.PLACE, code.upper(), 0, 0, code, "place"))
    birth_date = _date(person.birth_date)
    persons = []
    if person.full_name:
        persons.append(
            PersonMention(
                record_id=f"case:{case.pk}:person",
                source_type="case",
                name=person.full_name,
                aliases=tuple(_names(person.aliases)),
                age=person.estimated_age,
                age_recorded_on=case.registered_at.date(),
                birth_date=birth_date,
                gender=person.gender or None,
                place=person.subdivision or None,
                country=person.country or None,
            )
        )
    return RecordSnapshot(
        record_type=RecordType.CASE,
        record_id=case.pk,
        organisation_id=case.organisation_id,
        occurred_at=case.registered_at,
        country=person.country or "",
        subdivision=person.subdivision or "",
        entities=_dedupe(entities),
        persons=persons,
    )


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def load_case(case_id: int) -> Case | None:
    return Case.objects.select_related("person").prefetch_related("perpetrators").filter(pk=case_id).first()


def iter_cases(batch_size: int = 500) -> Iterator[Case]:
    return (
        Case.objects.order_by("pk")
        .select_related("person")
        .prefetch_related("perpetrators")
        .iterator(chunk_size=batch_size)
    )


def count_cases() -> int:
    return Case.objects.count()


# ---------------------------------------------------------------------------------------------
# Ads


def ad_snapshot(ad: Ad, phones: Iterable[str] = ()) -> RecordSnapshot:
    """``phones`` are the phone column's values, known only while the ad is imported."""
    region = region_of(ad.location)
    entities = list(extraction.extract_entities(ad.text or "", default_region=region))
    for phone in phones:
        found = _named(EntityKind.PHONE, phone, "phones", region)
        if found:
            entities.append(found)
    # The site itself is not an entity: every ad of a site would otherwise link to every other.
    if ad.location:
        found = _named(EntityKind.PLACE, ad.location, "location", region)
        if found:
            entities.append(found)
    return RecordSnapshot(
        record_type=RecordType.AD,
        record_id=ad.pk,
        organisation_id=ad.organisation_id,
        occurred_at=ad.posted_at,
        entities=_dedupe(entities),
    )


def region_of(location: str) -> str | None:
    code = (location or "").strip().upper()
    if len(code) == 2 and code.isalpha():
        return code
    if len(code) > 3 and code[2] == "-" and code[:2].isalpha():
        return code[:2]
    return None


# ---------------------------------------------------------------------------------------------
# Any record, and the people records mention


def record_snapshot(record_type: str, record_id: int) -> RecordSnapshot | None:
    """The snapshot of one report, case or ad; None when the record no longer exists."""
    if record_type == RecordType.REPORT:
        report = load_report(record_id)
        return report_snapshot(report) if report is not None else None
    if record_type == RecordType.CASE:
        case = load_case(record_id)
        return case_snapshot(case) if case is not None else None
    ad = Ad.objects.filter(pk=record_id).first()
    return ad_snapshot(ad) if ad is not None else None


def person_mentions(organisation_id: int) -> list[PersonMention]:
    """Person mentions in one organisation's reports and cases; linking never crosses organisations."""
    mentions: list[PersonMention] = []
    for report in Report.objects.filter(organisation_id=organisation_id).prefetch_related("identifiers"):
        mentions.extend(report_snapshot(report).persons)
    cases = (
        Case.objects.filter(organisation_id=organisation_id)
        .select_related("person")
        .prefetch_related("perpetrators")
    )
    for case in cases:
        mentions.extend(case_snapshot(case).persons)
    return mentions


def organisations_with_records() -> list[int]:
    """Ids of the organisations that hold a report or a case, for batch person linking."""
    owners = set(Report.objects.exclude(organisation=None).values_list("organisation_id", flat=True))
    owners |= set(Case.objects.exclude(organisation=None).values_list("organisation_id", flat=True))
    return sorted(owner for owner in owners if owner is not None)
