from __future__ import annotations

import csv
import io

import pytest

from safeguard.cases.tests.conftest import register
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_case_list_as_csv_equals_the_json_rows(case_a, cara, client_for) -> None:
    client = client_for(cara)
    listing = client.get("/api/v1/cases").json()["results"]
    rows = _rows(client.get("/api/v1/cases?format=csv"))
    assert [row["id"] for row in rows] == [str(item["id"]) for item in listing]
    assert [row["reference"] for row in rows] == [item["reference"] for item in listing]


def test_csv_never_holds_another_organisations_rows(case_a, beth, org_b, client_for) -> None:
    own = register(actor_of(beth, org_b), citizenships=["GB"], primary_language="en", first_name="Betha")
    rows = _rows(client_for(beth).get("/api/v1/cases?format=csv"))
    assert [row["reference"] for row in rows] == [own.reference]
    assert case_a.reference not in {row["reference"] for row in rows}


def test_an_error_asked_for_as_csv_is_answered_as_json(case_a, beth, client_for) -> None:
    response = client_for(beth).get(f"/api/v1/cases/{case_a.pk}?format=csv")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_format_is_a_bad_request_with_a_message(cara, client_for) -> None:
    response = client_for(cara).get("/api/v1/cases?format=xml")
    assert response.status_code == 400
    assert "xml" in response.json()["error"]["fields"]["format"][0]


def test_formula_cells_are_neutralised() -> None:
    from safeguard.api.renderers import CSVRenderer

    out = (
        CSVRenderer().render({"results": [{"a": "=HYPERLINK()", "b": ["x", "y"], "c": {"d": None}}]}).decode()
    )
    assert out.splitlines() == ["a,b,c.d", "'=HYPERLINK(),x|y,"]
