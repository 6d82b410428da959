"""HTCDS v2.0 export and import: exact names and values, round trip, de-identification, errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguard.cases import choices, htcds
from safeguard.cases.models import Case, CaseEvent, ConsentScope
from safeguard.cases.services.closure import case_decide_closure
from safeguard.cases.services.person import case_update_context
from safeguard.cases.tests.conftest import consent_for, register
from safeguard.core import picklists
from safeguard.core.models import AuditEvent
from safeguard.intake.choices import ExploitationType as IntakeExploitationType
from safeguard.intake.choices import Gender as IntakeGender
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

# The standard is vendored beside the code (IOM, CC BY 4.0; see data/htcds/SOURCE.md).
STANDARD = Path(htcds.__file__).resolve().parent / "data" / "htcds" / "htcds_field_standards_2.0.csv"


def standard_values(field_name: str) -> list[str]:
    table = {
        row["Field Name including Prefix"]: row for row in csv.DictReader(STANDARD.open(encoding="utf-8"))
    }
    return [v.strip() for v in table[field_name]["Value Names (if picklist)"].splitlines() if v.strip()]


def test_columns_and_picklists_are_exactly_the_standards() -> None:
    table = {
        row["Field Name including Prefix"]: row for row in csv.DictReader(STANDARD.open(encoding="utf-8"))
    }
    for name, _kind, picklist in htcds.COLUMNS:
        assert name in table, name
        if picklist is not None:
            values = [v.strip() for v in table[name]["Value Names (if picklist)"].splitlines() if v.strip()]
            assert list(picklist.values) == values, name


def test_the_public_report_form_offers_the_standards_exploitation_types_and_dont_know() -> None:
    assert list(picklists.ExploitationType.values) == standard_values("vic_TypeOfExploitation")
    assert list(IntakeExploitationType.values) == [*standard_values("vic_TypeOfExploitation"), "DontKnow"]
    assert list(picklists.Gender.values) == standard_values("prs_Gender")
    assert list(IntakeGender.values) == standard_values("prs_Gender")


@pytest.fixture
def rich_case(cara, org_a):
    actor = actor_of(cara, org_a)
    case = register(
        actor, middle_name="Quo", citizenships=["NG", "GH"], primary_language="en", secondary_language="fr",
        country="GB", subdivision="GB-LND", identity_number="X1234567", phone="+447700900123",
        email="testa@example.org", city="Exampleton",
    )  # fmt: skip
    case_update_context(
        actor=actor,
        case=case,
        trafficking_status="ActualVictimOfTrafficking",
        status_decided_by="NGO",
        exploitation_types=["ForcedLabour", "ChildLabour"],
        labour_industry="A_AgricultureForestryAndFishing",
        methods_of_control=["DebtBondage", "WithholdsDocuments"],
        recruitment_methods=["ThroughOnlineSocialNetworks"],
        recruitment_apps=["4Sale", "TikTok"],
        vulnerabilities=["Poverty"],
        relationship_to_trafficker="Acquainted",
        recruitment_place="NG-LA",
        exploitation_place="GB",
        age_when_trafficked=12,
    )
    consent_for(case, actor, None, scope=ConsentScope.STATISTICS)
    return Case.objects.get(pk=case.pk)


def rows_of(cases, deidentified=False):
    return [htcds.case_row(case, deidentified=deidentified) for case in cases]


def test_export_uses_standard_values(rich_case) -> None:
    row = htcds.case_row(rich_case)
    assert row["prs_Gender"] == "Feminine"
    assert row["prs_Citizenship"] == "GH;NG"
    assert row["vic_MethodsOfControl"] == "DebtBondage;WithholdsDocuments"
    assert row["vic_RecruitmentWebsitesAndApps"] == "4Sale;TikTok"
    assert row["vic_AgreementToManagePersonalData"] == "true"
    assert row["cas_Status"] == "Active"
    assert list(row) == htcds.FIELD_NAMES


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_round_trip_gives_the_same_values(rich_case, case_a, sue, org_a, file_format) -> None:
    exported = rows_of([rich_case, case_a])
    writer = htcds.export_xlsx if file_format == "xlsx" else htcds.export_csv
    content = writer(exported, htcds.FIELD_NAMES)
    report = htcds.validate_rows(htcds.read_table(f"cases.{file_format}", content))
    assert report.errors == []
    htcds.import_rows(actor=actor_of(sue, org_a), report=report, import_valid_rows=False)
    imported = Case.objects.filter(pk__in=[case.pk for case in report.imported]).order_by("id")
    assert rows_of(imported) == exported


def test_deidentified_export_drops_identifiers_and_coarsens(rich_case) -> None:
    row = htcds.case_row(rich_case, deidentified=True)
    assert not set(row) & htcds.DIRECT_IDENTIFIERS
    assert row["prs_Birthdate"] == "2012-01-01"
    assert row["vic_AgeWhenTrafficked"] == "10"
    content = htcds.export_csv([row], htcds.export_columns(deidentified=True)).decode()
    for secret in ("Testa", "Fictionalia", "X1234567", "+447700900123", "testa@example.org", "Exampleton"):
        assert secret not in content


def test_export_page_downloads_and_is_audited(rich_case, cara, client_for) -> None:
    from safeguard.core.models import AuditEvent

    response = client_for(cara).get("/cases/export/", {"file_format": "csv", "deidentified": "on"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header = response.content.decode().splitlines()[0]
    assert header.startswith("prs_Birthdate,prs_Gender,")
    assert AuditEvent.objects.get(action="htcds.exported").detail == {
        "cases": 1,
        "deidentified": True,
        "format": "csv",
    }


BAD_FILE = (
    "prs_FirstName,prs_SecondName,prs_Gender,prs_Birthdate,prs_Citizenship,vic_TypeOfExploitation,vic_AgeWhenTrafficked,Extra\n"
    "Kamo,Zeluta,Feminine,2011-02-03,NG,ForcedLabour,11,x\n"
    "Rimo,Tasoni,Female,2011-13-01,XX,ForcedLabour;Slavery,eleven,\n"
    ",,Masculine,,,,,\n"
)


def upload(client, content, **extra):
    file = SimpleUploadedFile("cases.csv", content.encode(), content_type="text/csv")
    return client.post("/cases/import/", {"file": file, **extra})


def test_import_reports_every_error_and_imports_nothing(sue, client_for, org_a) -> None:
    response = upload(client_for(sue), BAD_FILE)
    assert response.status_code == 400
    report = response.context["report"]
    assert [(error.row, error.field) for error in report.errors] == [
        (3, "prs_Birthdate"),
        (3, "prs_Gender"),
        (3, "prs_Citizenship"),
        (3, "vic_AgeWhenTrafficked"),
        (3, "vic_TypeOfExploitation"),
        (4, "prs_FirstName"),
    ]
    assert report.errors[1].reason.startswith(
        "'Female' is not an HTCDS value; expected one of: Feminine, Masculine"
    )
    assert report.errors[4].reason == "Not HTCDS values: Slavery"
    assert report.unknown_columns == ["Extra"]
    assert Case.objects.filter(organisation=org_a).count() == 0
    assert "2011-13-01" in response.content.decode()


def test_import_only_valid_rows_when_chosen(sue, client_for, org_a) -> None:
    response = upload(client_for(sue), BAD_FILE, import_valid_rows="on")
    assert len(response.context["report"].imported) == 1
    case = Case.objects.get(organisation=org_a)
    assert (case.person.first_name, case.person.birth_year, case.exploitation_types) == (
        "Kamo",
        2011,
        ["ForcedLabour"],
    )


STATUS_FILE = (
    "prs_FirstName,prs_SecondName,cas_Status\n"
    "Amo,Closeda,Closed\n"
    "Bemo,Referreda,ClosedReferred\n"
    "Cemo,Followa,FollowUp\n"
    "Demo,Activa,Active\n"
)


def kinds_of(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def test_imported_statuses_go_through_the_workflow_and_closure_still_needs_a_second_supervisor(
    sue, sid, client_for, org_a
) -> None:
    response = upload(client_for(sue), STATUS_FILE)
    assert response.status_code == 200
    report = response.context["report"]
    by_name = {case.person.first_name: Case.objects.get(pk=case.pk) for case in report.imported}
    assert [case.person.first_name for case in report.closure_requested] == ["Amo", "Bemo"]
    assert {name: (case.status, case.stage) for name, case in by_name.items()} == {
        "Amo": ("closure_requested", "registered"),
        "Bemo": ("closure_requested", "registered"),
        "Cemo": ("open", "follow_up"),
        "Demo": ("open", "registered"),
    }
    assert kinds_of(by_name["Amo"]) == ["registered", "closure_requested"]
    assert kinds_of(by_name["Cemo"]) == ["registered", "updated"]
    assert CaseEvent.objects.get(case=by_name["Cemo"], kind="updated").detail == {"fields": ["stage"]}
    assert kinds_of(by_name["Demo"]) == ["registered"]
    assert by_name["Amo"].closure_requested_by == sue
    assert "2 imported cases are closed in the file: their closure awaits a second supervisor" in (
        response.content.decode()
    )
    assert AuditEvent.objects.get(action="htcds.imported").detail == {
        "cases": [case.pk for case in report.imported],
        "rows_with_errors": 0,
        "closure_requested": [by_name["Amo"].pk, by_name["Bemo"].pk],
    }
    with pytest.raises(ValidationError, match="other than the one who asked"):
        case_decide_closure(actor=actor_of(sue, org_a), case=by_name["Amo"], approve=True)
    case_decide_closure(actor=actor_of(sid, org_a), case=by_name["Amo"], approve=True)
    assert Case.objects.get(pk=by_name["Amo"].pk).htcds_status == "Closed"


def test_import_refuses_an_unreadable_file(sue, client_for) -> None:
    client = client_for(sue)
    file = SimpleUploadedFile("cases.xlsx", b"not a spreadsheet")
    response = client.post("/cases/import/", {"file": file})
    assert response.status_code == 400
    assert "This is not a readable XLSX file." in response.content.decode()


def test_caseworkers_cannot_import(cara, client_for) -> None:
    response = upload(client_for(cara), BAD_FILE, import_valid_rows="on")
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_picklist_classes_hold_only_standard_values() -> None:
    assert choices.Gender.values == [
        "Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine", "NonConforming", "NonSpecifiedUnknown"
    ]  # fmt: skip
