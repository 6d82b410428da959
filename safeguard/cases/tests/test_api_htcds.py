"""HTCDS exchange in the API (``cases.htcds_apis``): every role of org A and org B's staff."""

from __future__ import annotations

import pytest

from safeguard.cases.models import Case
from safeguard.cases.tests.conftest import token_client
from safeguard.cases.tests.test_api_steps import EVERYONE, answer_for
from safeguard.core.models import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = {
    "prs_FirstName": "Kamo",
    "prs_SecondName": "Zeluta",
    "prs_Gender": "Feminine",
    "prs_Citizenship": "NG",
}
BAD = {"prs_FirstName": "Rimo", "prs_SecondName": "Tasoni", "prs_Gender": "Female"}


@pytest.mark.parametrize("who", EVERYONE)
def test_a_case_as_an_htcds_row(case_a, cast, who) -> None:
    response = token_client(*cast[who]).get(f"/api/v1/cases/{case_a.pk}/htcds")
    assert response.status_code == answer_for(who, 200), response.content
    exports = AuditEvent.objects.filter(action="htcds.exported")
    if response.status_code == 200:
        row = response.json()["htcds"]
        assert (row["prs_FirstName"], row["prs_Citizenship"], row["prs_MobilePhone"]) == (
            "Testa",
            "NG",
            "+447700900123",
        )
        assert exports.get().detail["case_ids"] == [case_a.pk]
    else:
        assert "Testa" not in response.content.decode()
        assert not exports.exists()


# The list holds what each caller may see: Carl (no team) and org B see no case of org A.
LIST = {"cara": [True], "sue": [True], "sid": [True], "carl": [], "beth": [], "bert": []}


@pytest.mark.parametrize("who", EVERYONE)
def test_the_case_list_as_htcds_rows(case_a, cast, who) -> None:
    response = token_client(*cast[who]).get("/api/v1/htcds/cases?deidentified=true")
    assert response.status_code == (200 if who in LIST else 403)
    if response.status_code == 200:
        rows = response.json()["results"]
        assert [row["reference"] == case_a.reference for row in rows] == LIST[who]
        for row in rows:
            assert "prs_FirstName" not in row["htcds"]
            assert row["htcds"]["prs_Birthdate"] == "2012-01-01"
        audit = AuditEvent.objects.get(action="htcds.exported")
        assert audit.detail["deidentified"] is True
        assert audit.detail["case_ids"] == ([case_a.pk] if LIST[who] else [])


def test_the_htcds_list_answers_csv_and_checks_its_parameters(case_a, cara, org_a) -> None:
    client = token_client(cara, org_a)
    csv = client.get("/api/v1/htcds/cases?format=csv")
    assert csv.status_code == 200
    assert "htcds.prs_FirstName" in csv.content.decode().splitlines()[0]
    assert "Testa" in csv.content.decode()
    assert client.get("/api/v1/htcds/cases?deidentified=maybe").status_code == 400


# Only supervisors import; Beth imports into org B.
IMPORTERS = {"sue", "sid", "beth"}


@pytest.mark.parametrize("who", EVERYONE)
def test_importing_htcds_rows(cast, who) -> None:
    user, organisation = cast[who]
    response = token_client(user, organisation).post("/api/v1/htcds/imports", {"rows": [GOOD]}, format="json")
    assert response.status_code == (201 if who in IMPORTERS else 403), response.content
    imported = Case.objects.filter(person__citizenships=["NG"])
    if who in IMPORTERS:
        case = imported.get()
        assert response.json()["imported"] == [case.reference]
        assert (case.organisation, case.owner) == (organisation, user)
    else:
        assert not imported.exists()


def test_an_import_with_errors_imports_nothing_unless_asked(sue, org_a) -> None:
    client = token_client(sue, org_a)
    refused = client.post("/api/v1/htcds/imports", {"rows": [GOOD, BAD, {"Extra": "x"}]}, format="json")
    assert refused.status_code == 400
    messages = refused.json()["error"]["fields"]["rows"]
    assert messages[0].startswith("row 3, prs_Gender: 'Female' is not an HTCDS value")
    assert messages[-1].startswith("row 4, prs_FirstName")
    assert not Case.objects.filter(organisation=org_a).exists()

    partial = client.post(
        "/api/v1/htcds/imports", {"rows": [GOOD, BAD], "import_valid_rows": True}, format="json"
    )
    assert partial.status_code == 201
    body = partial.json()
    assert (body["rows"], len(body["imported"])) == (2, 1)
    assert [(error["row"], error["field"]) for error in body["row_errors"]] == [(3, "prs_Gender")]
    assert Case.objects.filter(organisation=org_a).count() == 1
    assert client.post("/api/v1/htcds/imports", {"rows": []}, format="json").status_code == 400
