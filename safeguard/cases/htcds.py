"""HTCDS v2.0 exchange: export cases to CSV/XLSX and validate and import such files.

Column names and picklist values are exactly the standard's; multi-select values are joined
with ";" (the standard's Salesforce convention). Places are ISO 3166 codes. A de-identified
export drops direct identifiers, gives only the year of birth (as 1 January of that year) and
ages as the lower bound of a five-year band.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases import choices
from safeguard.cases.models import Case, ClosureReason, ConsentGiver, ConsentScope
from safeguard.cases.services.closure import case_request_closure
from safeguard.cases.services.consents import consent_record
from safeguard.cases.services.followups import case_enter_follow_up
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.core.audit import audit_record
from safeguard.core.geography import is_country, is_subdivision_of
from safeguard.customfields.exchange import EXTENSIONS, parse_extensions, save_extensions
from safeguard.customfields.models import FieldDefinition

SEPARATOR = ";"

# (column, kind, picklist) — kind: text, date, number, bool, picklist, multi, country, place, countries
COLUMNS: list[tuple[str, str, type[Any] | None]] = [
    ("prs_FirstName", "text", None),
    ("prs_MiddleName", "text", None),
    ("prs_SecondName", "text", None),
    ("prs_Birthdate", "date", None),
    ("prs_Gender", "picklist", choices.Gender),
    ("prs_PrimaryLanguage", "language", None),
    ("prs_SecondaryLanguage", "language", None),
    ("prs_Citizenship", "countries", None),
    ("prs_IdentityNumber", "text", None),
    ("prs_Email", "text", None),
    ("prs_MobilePhone", "text", None),
    ("prs_MailingStreet", "text", None),
    ("prs_MailingCity", "text", None),
    ("prs_MailingPostalCode", "text", None),
    ("prs_MailingCountry", "country", None),
    ("prs_MailingState", "place", None),
    ("vic_AgreementToManagePersonalData", "bool", None),
    ("vic_TraffickingStatus", "picklist", choices.TraffickingStatus),
    ("vic_TraffickingStatusDecisionMakingOrg", "picklist", choices.StatusDecisionOrg),
    ("vic_RelationshipToTrafficker", "picklist", choices.RelationshipToTrafficker),
    ("vic_AgeWhenTrafficked", "number", None),
    ("vic_RecruitmentWebsitesAndApps", "multi", choices.WebsiteOrApp),
    ("vic_MethodOfRecruitment", "multi", choices.RecruitmentMethod),
    ("vic_LocationOfRecruitment", "place", None),
    ("vic_MethodsOfControl", "multi", choices.MethodOfControl),
    ("vic_TypeOfExploitation", "multi", choices.ExploitationType),
    ("vic_ForcedLabourIndustry", "picklist", choices.LabourIndustry),
    ("vic_TypeOfSexExploitation", "multi", choices.SexExploitationType),
    ("vic_LocationOfExploitation", "place", None),
    ("vic_ExploitationWebsitesAndApps", "multi", choices.WebsiteOrApp),
    ("vic_Vulnerabilities", "multi", choices.Vulnerability),
    ("cas_Status", "picklist", choices.HtcdsCaseStatus),
]
FIELD_NAMES = [name for name, _kind, _picklist in COLUMNS]
DIRECT_IDENTIFIERS = {
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_IdentityNumber",
    "prs_Email",
    "prs_MobilePhone",
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingPostalCode",
}
# Case fields behind the vic_ columns.
VICTIM_COLUMNS = {
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "status_decided_by",
    "vic_RelationshipToTrafficker": "relationship_to_trafficker",
    "vic_AgeWhenTrafficked": "age_when_trafficked",
    "vic_RecruitmentWebsitesAndApps": "recruitment_apps",
    "vic_MethodOfRecruitment": "recruitment_methods",
    "vic_LocationOfRecruitment": "recruitment_place",
    "vic_MethodsOfControl": "methods_of_control",
    "vic_TypeOfExploitation": "exploitation_types",
    "vic_ForcedLabourIndustry": "labour_industry",
    "vic_TypeOfSexExploitation": "sex_exploitation_types",
    "vic_LocationOfExploitation": "exploitation_place",
    "vic_ExploitationWebsitesAndApps": "exploitation_apps",
    "vic_Vulnerabilities": "vulnerabilities",
}


def export_columns(*, deidentified: bool) -> list[str]:
    return [name for name in FIELD_NAMES if not (deidentified and name in DIRECT_IDENTIFIERS)]


def _age_band(age: int | None) -> int | None:
    return None if age is None else age - age % 5


def case_row(case: Case, *, deidentified: bool = False) -> dict[str, str]:
    """One case as an HTCDS row of strings (empty string for no value)."""
    person = case.person
    contact = person.contact or {}
    agreed = any(c.scope == ConsentScope.STATISTICS and c.withdrawn_at is None for c in case.consents.all())
    birth = person.birth_date
    if deidentified and birth:
        birth = f"{birth[:4]}-01-01"
    values: dict[str, Any] = {
        "prs_FirstName": person.first_name,
        "prs_MiddleName": person.middle_name,
        "prs_SecondName": person.second_name,
        "prs_Birthdate": birth,
        "prs_Gender": person.gender,
        "prs_PrimaryLanguage": person.primary_language,
        "prs_SecondaryLanguage": person.secondary_language,
        "prs_Citizenship": SEPARATOR.join(person.citizenships or []),
        "prs_IdentityNumber": person.identity_number,
        "prs_Email": contact.get("email", ""),
        "prs_MobilePhone": contact.get("phone", ""),
        "prs_MailingStreet": contact.get("street", ""),
        "prs_MailingCity": contact.get("city", ""),
        "prs_MailingPostalCode": contact.get("postal_code", ""),
        "prs_MailingCountry": person.country,
        "prs_MailingState": person.subdivision,
        "vic_AgreementToManagePersonalData": "true" if agreed else "false",
        "cas_Status": case.htcds_status,
    }
    for column, attribute in VICTIM_COLUMNS.items():
        value = getattr(case, attribute)
        if isinstance(value, list):
            value = SEPARATOR.join(value)
        values[column] = value
    if deidentified:
        values["vic_AgeWhenTrafficked"] = _age_band(case.age_when_trafficked)
    return {
        name: "" if values[name] is None else str(values[name])
        for name in export_columns(deidentified=deidentified)
    }


def export_csv(rows: Iterable[dict[str, str]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export_xlsx(rows: Iterable[dict[str, str]], columns: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("HTCDS")
    sheet.append(columns)
    for row in rows:
        sheet.append([row[name] for name in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldError:
    row: int  # the row number as a spreadsheet shows it (header is row 1)
    field: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[FieldError] = field(default_factory=list)
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    imported: list[Case] = field(default_factory=list)
    # Imported cases the file gives as closed: their closure is requested and awaits a second
    # supervisor, as for any case (the importer cannot approve their own request).
    closure_requested: list[Case] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})


class UnreadableFile(ValueError):
    pass


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8) or XLSX file as dicts of strings, header from the first row."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(_("This is not a readable XLSX file.")) from error
        table = [
            ["" if cell is None else _cell_text(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnreadableFile(_("The CSV file must be UTF-8 encoded.")) from error
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise UnreadableFile(_("Upload a .csv or .xlsx file."))
    if not table:
        raise UnreadableFile(_("The file is empty."))
    header = [str(cell).strip() for cell in table[0]]
    return [
        dict(zip(header, [str(cell).strip() for cell in row], strict=False)) for row in table[1:] if any(row)
    ]


def _cell_text(cell: Any) -> str:
    if isinstance(cell, date):
        return cell.isoformat()[:10]
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _parse(kind: str, picklist: type[Any] | None, text: str) -> tuple[Any, str]:
    """(value, error reason); an empty text is no value."""
    if text == "":
        return ([] if kind in ("multi", "countries") else None), ""
    if kind == "text":
        return text, ""
    if kind == "date":
        try:
            return date.fromisoformat(text), ""
        except ValueError:
            return None, _("'%(value)s' is not a date in the form YYYY-MM-DD.") % {"value": text}
    if kind == "number":
        if not text.isdigit():
            return None, _("'%(value)s' is not a whole number.") % {"value": text}
        return int(text), ""
    if kind == "bool":
        lowered = text.lower()
        if lowered not in ("true", "false", "1", "0"):
            return None, _("'%(value)s' is not true or false.") % {"value": text}
        return lowered in ("true", "1"), ""
    if kind == "picklist":
        assert picklist is not None
        if text not in picklist.values:
            return None, _("'%(value)s' is not an HTCDS value; expected one of: %(allowed)s") % {
                "value": text,
                "allowed": ", ".join(picklist.values),
            }
        return text, ""
    if kind == "multi":
        assert picklist is not None
        values = [part.strip() for part in text.split(SEPARATOR) if part.strip()]
        wrong = [value for value in values if value not in picklist.values]
        if wrong:
            return None, _("Not HTCDS values: %(values)s") % {"values": ", ".join(wrong)}
        return values, ""
    if kind in ("country", "countries"):
        values = [part.strip().upper() for part in text.split(SEPARATOR) if part.strip()]
        wrong = [value for value in values if not is_country(value)]
        if wrong:
            return None, _("Not ISO 3166-1 country codes: %(values)s") % {"values": ", ".join(wrong)}
        return (values if kind == "countries" else values[0]), ""
    if kind == "place":
        code = text.upper()
        if not (is_country(code) or is_subdivision_of(code, code.split("-")[0])):
            return None, _("'%(value)s' is not an ISO 3166 country or subdivision code.") % {"value": text}
        return code, ""
    if kind == "language":
        if not (text.isalpha() and len(text) in (2, 3)):
            return None, _("'%(value)s' is not an ISO 639 language code.") % {"value": text}
        return text.lower(), ""
    raise AssertionError(kind)


def validate_rows(rows: list[dict[str, str]], *, extensions: Sequence[FieldDefinition] = ()) -> ImportReport:
    """Check every field of every row; collect every error with its row, field and reason.

    ``extensions`` are the organisation's custom fields accepted as ``x_<key>`` columns."""
    report = ImportReport(rows=len(rows))
    if rows:
        known = {*FIELD_NAMES, *(definition.column for definition in extensions)}
        report.unknown_columns = sorted(set(rows[0]) - known)
    spec = {name: (kind, picklist) for name, kind, picklist in COLUMNS}
    for number, row in enumerate(rows, start=2):
        parsed: dict[str, Any] = {}
        errors = []
        for name, (kind, picklist) in spec.items():
            value, reason = _parse(kind, picklist, row.get(name, ""))
            if reason:
                errors.append(FieldError(number, name, reason))
            parsed[name] = value
        parsed[EXTENSIONS], extension_errors = parse_extensions(row, extensions, number)
        errors.extend(extension_errors)
        if not (parsed["prs_FirstName"] or parsed["prs_SecondName"]):
            errors.append(FieldError(number, "prs_FirstName", _("A first or second name is required.")))
        if parsed["prs_Birthdate"] and parsed["prs_Birthdate"] > date.today():
            errors.append(FieldError(number, "prs_Birthdate", _("The date of birth is in the future.")))
        report.errors.extend(errors)
        if not errors:
            report.valid.append((number, parsed))
    return report


def register_row(*, actor: Actor, row: dict[str, Any]) -> Case:
    """Open a case in the actor's organisation from one validated HTCDS row (see ``validate_rows``),
    its organisation-defined fields saved and its agreement to manage personal data recorded as a
    statistics consent."""
    person = PersonDetails(
        first_name=row["prs_FirstName"] or "",
        middle_name=row["prs_MiddleName"] or "",
        second_name=row["prs_SecondName"] or "",
        birth_date=row["prs_Birthdate"],
        gender=row["prs_Gender"] or choices.Gender.NON_SPECIFIED_UNKNOWN,
        citizenships=row["prs_Citizenship"],
        primary_language=row["prs_PrimaryLanguage"] or "",
        secondary_language=row["prs_SecondaryLanguage"] or "",
        country=row["prs_MailingCountry"] or "",
        subdivision=row["prs_MailingState"] or "",
        identity_number=row["prs_IdentityNumber"] or "",
        phone=row["prs_MobilePhone"] or "",
        email=row["prs_Email"] or "",
        street=row["prs_MailingStreet"] or "",
        city=row["prs_MailingCity"] or "",
        postal_code=row["prs_MailingPostalCode"] or "",
    )
    context = {attribute: row[column] for column, attribute in VICTIM_COLUMNS.items()}
    context = {key: ("" if value is None else value) for key, value in context.items()}
    context["age_when_trafficked"] = row["vic_AgeWhenTrafficked"]
    context["trafficking_status"] = (
        row["vic_TraffickingStatus"] or choices.TraffickingStatus.POSSIBLE_VICTIM_OF_TRAFFICKING
    )
    case = case_register(actor=actor, person=person, context=context)
    save_extensions(actor=actor, case=case, values=row.get(EXTENSIONS, {}))
    if row["vic_AgreementToManagePersonalData"]:
        consent_record(
            actor=actor,
            case=case,
            given_by=ConsentGiver.CHILD,
            scope=ConsentScope.STATISTICS,
            given_on=timezone.localdate(),
            notes=_("Agreement recorded in an imported HTCDS file."),
        )
    return case


def import_rows(*, actor: Actor, report: ImportReport, import_valid_rows: bool) -> ImportReport:
    """Create a case per valid row, all in one transaction; with any error and without
    ``import_valid_rows`` nothing is imported.

    Every change goes through the case services, with the importer as actor, so it is on each
    case's timeline: a row whose ``cas_Status`` is closed puts the case forward for closure (a
    second supervisor approves it, as for any case; listed in ``report.closure_requested``), a
    ``FollowUp`` row puts it in the follow-up stage."""
    actor.require("htcds.import")
    if report.errors and not import_valid_rows:
        return report
    with transaction.atomic():
        for _number, row in report.valid:
            case = register_row(actor=actor, row=row)
            htcds_status = row["cas_Status"]
            if htcds_status in (choices.HtcdsCaseStatus.CLOSED, choices.HtcdsCaseStatus.CLOSED_REFERRED):
                case_request_closure(
                    actor=actor,
                    case=case,
                    reason_code=(
                        ClosureReason.TRANSFERRED
                        if htcds_status == choices.HtcdsCaseStatus.CLOSED_REFERRED
                        else ClosureReason.OTHER
                    ),
                    reason=_("Closed in an imported HTCDS file (cas_Status %(status)s).")
                    % {"status": htcds_status},
                    checklist_required=False,
                )
                report.closure_requested.append(case)
            elif htcds_status == choices.HtcdsCaseStatus.FOLLOW_UP:
                case_enter_follow_up(actor=actor, case=case)
            report.imported.append(case)
        audit_record(
            action="htcds.imported",
            actor=actor.user,
            organisation=actor.organisation,
            detail={
                "cases": [case.pk for case in report.imported],
                "rows_with_errors": report.rows_with_errors,
                "closure_requested": [case.pk for case in report.closure_requested],
            },
        )
    return report
