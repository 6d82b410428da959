"""API v1: regions are shared; runs and results only for the organisation that made them."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.accounts.roles import Role
from safeguard.risk.models import IndexRun


def test_regions_list_and_detail(completed_run: IndexRun, org_b: Any, member: Any, client_for: Any) -> None:
    client = client_for(member(org_b, Role.ANALYST))  # shared data: any organisation's analyst
    listing = client.get("/api/v1/risk/regions?level=district&parent=XT").json()
    assert [(r["code"], r["has_shape"], r["parent"]) for r in listing["results"]] == [
        ("XT-A", True, "XT"),
        ("XT-B", True, "XT"),
        ("XT-C", True, "XT"),
        ("XT-D", False, "XT"),
    ]
    detail = client.get("/api/v1/risk/regions/XT-A").json()
    assert detail["shape"]["type"] == "Polygon"
    assert client.get("/api/v1/risk/regions/NOPE").status_code == 404


def test_run_and_results(completed_run: IndexRun, manager: Any, client_for: Any) -> None:
    client = client_for(manager)
    runs = client.get("/api/v1/risk/runs").json()
    assert [(r["id"], r["status"], r["reference_year"]) for r in runs["results"]] == [
        (completed_run.pk, "succeeded", 2022)
    ]
    run = client.get(f"/api/v1/risk/runs/{completed_run.pk}").json()
    assert run["input_fingerprint"] == completed_run.input_fingerprint
    results = client.get(f"/api/v1/risk/runs/{completed_run.pk}/results").json()["results"]
    assert [(r["region"], r["rank"], r["rank_low"], r["rank_high"]) for r in results] == [
        ("XT-C", 1, 1, 1),
        ("XT-B", 2, 2, 2),
        ("XT-A", 3, 3, 3),
        ("XT-D", None, None, None),
    ]
    assert results[1]["factor_scores"]["education"] == 50.0
    assert [c["factor"] for c in results[1]["contributions"]] == ["economic", "education"]


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.CASEWORKER, Role.ORG_ADMIN, Role.LIAISON])
def test_roles_without_risk_view_are_refused(
    role: str, completed_run: IndexRun, org_a: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_a, role))
    for url in ("/api/v1/risk/regions", "/api/v1/risk/runs", f"/api/v1/risk/runs/{completed_run.pk}/results"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "permission_denied"


def test_another_organisations_run_is_not_found(
    completed_run: IndexRun, org_b: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_b, Role.PROGRAMME_MANAGER))
    assert client.get("/api/v1/risk/runs").json()["results"] == []
    assert client.get(f"/api/v1/risk/runs/{completed_run.pk}").status_code == 404
    assert client.get(f"/api/v1/risk/runs/{completed_run.pk}/results").status_code == 404


def test_schema_documents_the_risk_endpoints(db: None, client: Any) -> None:
    schema = client.get("/api/schema/?format=json").json()
    assert {
        "/api/v1/risk/regions",
        "/api/v1/risk/regions/{code}",
        "/api/v1/risk/runs",
        "/api/v1/risk/runs/{run_id}",
        "/api/v1/risk/runs/{run_id}/results",
    } <= set(schema["paths"])
