"""API v1: releases of one's own organisation; the preparer cannot approve; schema lists them."""

from __future__ import annotations

from typing import Any

from safeguard.accounts.access import Actor
from safeguard.cases.models import Case
from safeguard.core.models import AuditEvent
from safeguard.sharing import services
from safeguard.sharing.models import Release


def test_prepare_read_and_approve(
    sue: Any,
    ada: Any,
    sam: Any,
    alpha_cases: list[Case],
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sue_client, ada_client, sam_client = client_for(sue), client_for(ada), client_for(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = sue_client.post(
            "/api/v1/releases",
            {"kind": "microdata", "title": "API", "quasi_identifiers": ["prs_Gender"], "k": 5},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    release_id = response.json()["id"]
    assert Release.objects.get(pk=release_id).status == "ready"  # the task ran on commit
    detail = sue_client.get(f"/api/v1/releases/{release_id}").json()
    assert detail["status"] == "ready" and detail["rows"] == []  # rows only once approved
    assert (
        sue_client.post(
            f"/api/v1/releases/{release_id}/decide", {"approve": True}, content_type="application/json"
        ).status_code
        == 403
    )
    assert sam_client.get(f"/api/v1/releases/{release_id}").status_code == 404
    assert (
        sam_client.post(
            f"/api/v1/releases/{release_id}/decide", {"approve": True}, content_type="application/json"
        ).status_code
        == 404
    )
    decided = ada_client.post(
        f"/api/v1/releases/{release_id}/decide", {"approve": True}, content_type="application/json"
    )
    assert decided.json()["status"] == "approved"
    assert len(ada_client.get(f"/api/v1/releases/{release_id}").json()["rows"]) == 24
    assert AuditEvent.objects.filter(action="sharing.release_downloaded", detail__format="api").count() == 1


def test_bad_input_gets_field_errors(sue: Any, client_for: Any) -> None:
    client = client_for(sue)
    response = client.post(
        "/api/v1/releases", {"kind": "counts", "title": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "by" in response.content.decode() and "epsilon" in response.content.decode()
    response = client.post(
        "/api/v1/releases",
        {"kind": "counts", "title": "x", "by": ["prs_Gender"], "epsilon": 1000},
        content_type="application/json",
    )
    assert response.status_code == 400 and "epsilon" in response.content.decode()
    assert not Release.objects.exists()


def test_budget_and_ledger(sue: Any, sue_actor: Actor, client_for: Any) -> None:
    services.release_request_counts(actor=sue_actor, title="t", by=["prs_Gender"], epsilon=0.25)
    budget = client_for(sue).get("/api/v1/privacy-budget").json()
    assert (budget["total_epsilon"], budget["spent_epsilon"], len(budget["ledger"])) == (10.0, 0.25, 1)


def test_schema_lists_the_endpoints(client: Any) -> None:
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/releases",
        "/api/v1/releases/{id}",
        "/api/v1/releases/{id}/decide",
        "/api/v1/privacy-budget",
    ):
        assert path in schema, path
