"""Importing and exporting a jurisdiction's whole profile, as JSON or CSV (docs/legal.md).

An import is all or nothing: every entry is validated (field types, then the model's own
checks), and if any entry has a problem nothing is written and the caller gets the list of
problems, each naming the entry, its CSV line and the field. Entries are matched on their
natural keys (a law by its citation, a provision by law and article and kind, an authority by
name, a duty by title, a status by instrument code), so importing the same file twice changes
nothing; entries missing from the file are kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from safeguard.accounts.models import User
from safeguard.core.audit import audit_record
from safeguard.legal.access import require_jurisdiction_editor
from safeguard.legal.models import (
    Authority,
    Instrument,
    InstrumentStatus,
    Jurisdiction,
    Law,
    Provision,
    ReportingDuty,
)

FORMAT = "safeguard.legal-profile/1"
LIST_SEPARATOR = "|"
SOURCED = {"source": "str", "last_verified": "date"}

# Per record: field → type. The key field (first) identifies the entry within its jurisdiction.
FIELDS: dict[str, dict[str, str]] = {
    "jurisdiction": {
        "code": "str",
        "name": "str",
        "is_illustrative": "bool",
        "age_of_majority": "int",
        "minimum_working_age": "int",
        "hazardous_work_age": "int",
        "age_of_consent": "int",
        "criminal_responsibility_age": "int",
        **SOURCED,
    },
    "instrument_status": {
        "instrument": "str",
        "status": "str",
        "signed_on": "date",
        "ratified_on": "date",
        "reservations": "str",
        **SOURCED,
    },
    "law": {"citation": "str", "title": "str", "enacted_on": "date", "url": "str", **SOURCED},
    "provision": {
        "article": "str",
        "kind": "str",
        "summary": "str",
        "penalty_min_years": "decimal",
        "penalty_max_years": "decimal",
        "exploitation_types": "list",
        **SOURCED,
    },
    "authority": {
        "name": "str",
        "kind": "str",
        "phone": "str",
        "email": "str",
        "url": "str",
        "hours": "str",
        **SOURCED,
    },
    "duty": {
        "title": "str",
        "professions": "list",
        "organisation_kinds": "list",
        "what": "str",
        "authority_kind": "str",
        "authority": "str",
        "within_hours": "int",
        "provision": "str",
        **SOURCED,
    },
}
# Where each record type sits in the JSON document.
SECTIONS = {
    "instrument_status": "instrument_statuses",
    "law": "laws",
    "authority": "authorities",
    "duty": "reporting_duties",
}


@dataclass(frozen=True)
class Problem:
    where: str
    line: int | None
    field: str
    message: str


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    jurisdiction: Jurisdiction | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    pass


def _convert(kind: str, value: Any) -> Any:
    """A JSON or CSV value as the model wants it; ``ValueError`` with a readable reason otherwise."""
    if value is None or value == "":
        return (
            []
            if kind == "list"
            else (None if kind in ("int", "date", "decimal") else ("" if kind == "str" else False))
        )
    if kind == "str":
        return str(value).strip()
    if kind == "int":
        if isinstance(value, bool) or not str(value).strip().isdigit():
            raise ValueError(_("Give a whole number."))
        return int(value)
    if kind == "decimal":
        try:
            return Decimal(str(value).strip())
        except InvalidOperation as error:
            raise ValueError(_("Give a number, e.g. 2.5.")) from error
    if kind == "date":
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError as error:
            raise ValueError(_("Give a date as YYYY-MM-DD.")) from error
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in ("true", "false", "yes", "no", "1", "0"):
            raise ValueError(_("Give true or false."))
        return text in ("true", "yes", "1")
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [item.strip() for item in str(value).split(LIST_SEPARATOR) if item.strip()]


class _Importer:
    def __init__(self, user: User, lines: dict[str, int]) -> None:
        self.user = user
        self.lines = lines
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        # Keys of entries in the document that failed, so that what refers to them is not blamed too.
        self.failed: set[tuple[str, str]] = set()

    def problem(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(where, self.lines.get(where), field_name, str(message)))

    def values(self, record: str, data: Any, where: str, skip: tuple[str, ...] = ()) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.problem(where, "", _("Each entry must be an object of fields."))
            return None
        unknown = sorted(set(data) - set(FIELDS[record]) - {"provisions"})
        for name in unknown:
            self.problem(where, name, _("Unknown field."))
        converted: dict[str, Any] = {}
        for name, kind in FIELDS[record].items():
            if name in skip or name not in data:
                continue
            try:
                converted[name] = _convert(kind, data[name])
            except ValueError as error:
                self.problem(where, name, str(error))
        return converted

    def save(self, record: str, entry: models.Model, where: str, exclude: list[str] | None = None) -> bool:
        try:
            entry.full_clean(exclude=exclude)
        except ValidationError as error:
            reported = {problem.field for problem in self.problems if problem.where == where}
            for name, messages in error.message_dict.items():
                if name in reported:
                    continue  # already reported as a value of the wrong type
                for message in messages:
                    self.problem(where, "" if name == "__all__" else name, message)
            return False
        if any(problem.where == where for problem in self.problems):
            return False  # a value of the wrong type was left out; the entry is not what the file says
        entry.save()
        self.counts[record] = self.counts.get(record, 0) + 1
        return True

    def entry(
        self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> models.Model:
        entry = model._default_manager.filter(**lookup).first() or model(**lookup)
        for name, value in values.items():
            setattr(entry, name, value)
        return entry


def profile_import(*, user: User, document: Any, lines: dict[str, int] | None = None) -> ImportResult:
    """Load a whole jurisdiction profile, or nothing (see the module docstring).

    The user must be a platform administrator, or the legal editor of the jurisdiction the
    document names (a new jurisdiction needs a platform administrator).
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return ImportResult(
            [Problem("format", None, "format", _("This is not a %(format)s document.") % {"format": FORMAT})]
        )
    header = document.get("jurisdiction")
    code = str(header.get("code", "")).strip().upper() if isinstance(header, dict) else ""
    require_jurisdiction_editor(user, Jurisdiction.objects.filter(code=code).first() if code else None)
    importer = _Importer(user, lines or {})
    try:
        with transaction.atomic():
            jurisdiction = _import_all(importer, document, code)
            if importer.problems or jurisdiction is None:
                raise _Rollback
            audit_record(
                action="legal.profile.imported",
                actor=user,
                organisation=None,
                target=jurisdiction,
                detail={"counts": importer.counts},
            )
    except _Rollback:
        return ImportResult(importer.problems)
    return ImportResult([], importer.counts, jurisdiction)


def _sections(importer: _Importer, document: dict[str, Any]) -> dict[str, list[Any]]:
    found = {}
    for record, section in SECTIONS.items():
        rows = document.get(section, [])
        if not isinstance(rows, list):
            importer.problem(section, "", _("This must be a list of entries."))
            rows = []
        found[record] = rows
    return found


def _import_all(importer: _Importer, document: dict[str, Any], code: str) -> Jurisdiction | None:
    values = importer.values("jurisdiction", document.get("jurisdiction"), "jurisdiction")
    if values is None:
        return None
    jurisdiction = importer.entry(Jurisdiction, {"code": code}, values)
    assert isinstance(jurisdiction, Jurisdiction)
    if not importer.save("jurisdiction", jurisdiction, "jurisdiction"):
        return None
    sections = _sections(importer, document)
    for index, data in enumerate(sections["instrument_status"]):
        _import_status(importer, jurisdiction, data, f"instrument_statuses[{index}]")
    provisions: dict[str, Provision] = {}
    for index, data in enumerate(sections["law"]):
        _import_law(importer, jurisdiction, data, f"laws[{index}]", provisions)
    authorities: dict[str, Authority] = {}
    for index, data in enumerate(sections["authority"]):
        where = f"authorities[{index}]"
        row = importer.values("authority", data, where)
        if row is not None:
            entry = importer.entry(
                Authority, {"jurisdiction": jurisdiction, "name": row.pop("name", "")}, row
            )
            assert isinstance(entry, Authority)
            if importer.save("authority", entry, where):
                authorities[entry.name] = entry
            else:
                importer.failed.add(("authority", entry.name))
    for index, data in enumerate(sections["duty"]):
        _import_duty(importer, jurisdiction, data, f"reporting_duties[{index}]", authorities, provisions)
    return jurisdiction


def _import_status(importer: _Importer, jurisdiction: Jurisdiction, data: Any, where: str) -> None:
    row = importer.values("instrument_status", data, where)
    if row is None:
        return
    instrument = Instrument.objects.filter(code=row.pop("instrument", "")).first()
    if instrument is None:
        importer.problem(where, "instrument", _("No instrument has this code; see the list of instruments."))
        return
    entry = importer.entry(InstrumentStatus, {"jurisdiction": jurisdiction, "instrument": instrument}, row)
    importer.save("instrument_status", entry, where)


def _import_law(
    importer: _Importer, jurisdiction: Jurisdiction, data: Any, where: str, provisions: dict[str, Provision]
) -> None:
    row = importer.values("law", data, where)
    if row is None:
        return
    law = importer.entry(Law, {"jurisdiction": jurisdiction, "citation": row.pop("citation", "")}, row)
    assert isinstance(law, Law)
    saved = importer.save("law", law, where)
    items = data.get("provisions", [])
    if not isinstance(items, list):
        importer.problem(where, "provisions", _("This must be a list of entries."))
        return
    for index, item in enumerate(items):
        item_where = f"{where}.provisions[{index}]"
        values = importer.values("provision", item, item_where)
        if values is None:
            continue
        lookup = {"article": values.pop("article", ""), "kind": values.pop("kind", "")}
        if not saved:
            # Still check the provision's own fields, so that one import shows every problem.
            importer.save("provision", Provision(law=law, **lookup, **values), item_where, exclude=["law"])
            importer.failed.add(("provision", f"{law.citation}#{lookup['article']}"))
            continue
        provision = importer.entry(Provision, {"law": law, **lookup}, values)
        if importer.save("provision", provision, item_where):
            provisions[f"{law.citation}#{lookup['article']}"] = provision  # type: ignore[assignment]
        else:
            importer.failed.add(("provision", f"{law.citation}#{lookup['article']}"))


def _import_duty(
    importer: _Importer,
    jurisdiction: Jurisdiction,
    data: Any,
    where: str,
    authorities: dict[str, Authority],
    provisions: dict[str, Provision],
) -> None:
    row = importer.values("duty", data, where)
    if row is None:
        return
    authority_name, provision_key = row.pop("authority", ""), row.pop("provision", "")
    authority = authorities.get(authority_name) or (
        Authority.objects.filter(jurisdiction=jurisdiction, name=authority_name).first()
        if authority_name
        else None
    )
    if authority_name and authority is None and ("authority", authority_name) not in importer.failed:
        importer.problem(where, "authority", _("No authority of this jurisdiction has this name."))
    provision = provisions.get(provision_key)
    if provision_key and provision is None and ("provision", provision_key) not in importer.failed:
        importer.problem(where, "provision", _("Name a provision of this profile as citation#article."))
    entry = importer.entry(
        ReportingDuty,
        {"jurisdiction": jurisdiction, "title": row.pop("title", "")},
        {**row, "authority": authority, "provision": provision},
    )
    importer.save("duty", entry, where)


# --- export ----------------------------------------------------------------------------------


def _values(record: str, entry: models.Model, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, kind in FIELDS[record].items():
        if name in skip:
            continue
        value = getattr(entry, name)
        if kind == "date":
            value = value.isoformat() if value else ""
        elif kind == "decimal":
            value = str(value) if value is not None else ""
        values[name] = value
    return values


def profile_export(jurisdiction: Jurisdiction) -> dict[str, Any]:
    """The whole profile as the JSON document ``profile_import`` reads."""
    laws = []
    for law in jurisdiction.laws.prefetch_related("provisions"):
        laws.append(
            {
                **_values("law", law),
                "provisions": [_values("provision", item) for item in law.provisions.all()],
            }
        )
    duties = []
    for duty in jurisdiction.reporting_duties.select_related("authority", "provision__law"):
        provision = duty.provision
        duties.append({
            **_values("duty", duty, skip=("authority", "provision")),
            "authority": duty.authority.name if duty.authority else "",
            "provision": f"{provision.law.citation}#{provision.article}" if provision else "",
        })  # fmt: skip
    return {
        "format": FORMAT,
        "jurisdiction": _values("jurisdiction", jurisdiction),
        "instrument_statuses": [
            {
                **_values("instrument_status", status, skip=("instrument",)),
                "instrument": status.instrument.code,
            }
            for status in jurisdiction.instrument_statuses.select_related("instrument")
        ],
        "laws": laws,
        "authorities": [_values("authority", authority) for authority in jurisdiction.authorities.all()],
        "reporting_duties": duties,
    }


# --- CSV: one row per field of an entry: record, key, field, value -----------------------------

CSV_HEADER = ["record", "key", "field", "value"]


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def profile_to_csv(document: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for name, value in document["jurisdiction"].items():
        writer.writerow(["jurisdiction", "", name, _csv_cell(value)])
    for record, section in SECTIONS.items():
        key_field = next(iter(FIELDS[record]))
        for row in document[section]:
            key = row[key_field]
            for name, value in row.items():
                if name != "provisions":
                    writer.writerow([record, key, name, _csv_cell(value)])
            for provision in row.get("provisions", []):
                provision_key = f"{key}#{provision['article']}#{provision['kind']}"
                for name, value in provision.items():
                    writer.writerow(["provision", provision_key, name, _csv_cell(value)])
    return out.getvalue()


def profile_from_csv(text: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The JSON document a CSV file describes, and each entry's first line (for the problem list).

    Malformed rows become entries that fail validation with their line number, never an exception.
    """
    document: dict[str, Any] = {
        "format": FORMAT,
        "jurisdiction": {},
        **{section: [] for section in SECTIONS.values()},
    }
    lines: dict[str, int] = {"jurisdiction": 2}
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    laws: dict[str, dict[str, Any]] = {}
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header] != CSV_HEADER:
        return {"format": "csv without the header record,key,field,value"}, {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        record, key, name, value = [*row, "", "", "", ""][:4]
        record, key = record.strip(), key.strip()
        if record == "jurisdiction":
            document["jurisdiction"][name.strip()] = value
            continue
        if record == "provision":
            citation = key.partition("#")[0]
            law = laws.get(citation)
            if law is None:
                law = laws[citation] = {"citation": citation, "provisions": []}
                document["laws"].append(law)
                lines.setdefault(f"laws[{len(document['laws']) - 1}]", number)
            entry = entries.get(("provision", key))
            if entry is None:
                entry = entries["provision", key] = {}
                law["provisions"].append(entry)
                where = f"laws[{document['laws'].index(law)}].provisions[{len(law['provisions']) - 1}]"
                lines.setdefault(where, number)
            entry[name.strip()] = value
            continue
        section = SECTIONS.get(record)
        if section is None:
            document.setdefault("laws", []).append({"unknown record": record})
            lines[f"laws[{len(document['laws']) - 1}]"] = number
            continue
        entry = laws.get(key) if record == "law" else entries.get((record, key))
        if entry is None:
            entry = {next(iter(FIELDS[record])): key}
            if record == "law":
                entry["provisions"] = []
                laws[key] = entry
            else:
                entries[record, key] = entry
            document[section].append(entry)
            lines.setdefault(f"{section}[{len(document[section]) - 1}]", number)
        entry[name.strip()] = value
    return document, lines
