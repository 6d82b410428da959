"""The collaboration API: the same rules as the pages, in the API's one error format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.models import User
from safeguard.collaboration.models import CrossBorderRequest, ItemType, Share
from safeguard.collaboration.tests.conftest import World, in_days, make_report, share_in


@pytest.mark.django_db
def test_task_forces_are_listed_for_participants_only(
    world: World, signed_in: Callable[[User], Client]
) -> None:
    listed = signed_in(world.lee).get("/api/v1/task-forces").json()
    assert [(t["id"], t["name"], t["lead_organisation"]) for t in listed] == [
        (world.task_force.pk, "Operation Lighthouse", "Gamma Police Unit")
    ]
    assert signed_in(world.eve).get("/api/v1/task-forces").json() == []
    assert signed_in(world.eve).get(f"/api/v1/task-forces/{world.task_force.pk}").status_code == 404
    detail = signed_in(world.sam).get(f"/api/v1/task-forces/{world.task_force.pk}").json()
    assert sorted((m["organisation"], m["role"]) for m in detail["members"]) == [
        ("Alpha Helpline", "member"),
        ("Beta Foundation", "member"),
        ("Delta Ministry", "observer"),
        ("Gamma Police Unit", "lead"),
    ]


@pytest.mark.django_db
def test_share_through_the_api_and_read_it_at_its_level(
    world: World, signed_in: Callable[[User], Client]
) -> None:
    report = make_report(world.org_a, narrative="Marco Fictitious")
    url = f"/api/v1/task-forces/{world.task_force.pk}/shares"
    body: dict[str, Any] = {"item_type": "report", "item_id": report.pk, "purpose": "investigation", "level": "deidentified", "expires_on": in_days(10).isoformat()}  # fmt: skip
    assert signed_in(world.pat).post(url, body, content_type="application/json").status_code == 403
    assert not Share.objects.exists()
    bad = signed_in(world.sue).post(url, {**body, "level": "everything"}, content_type="application/json")
    assert bad.status_code == 400 and "level" in bad.json()["error"]["fields"]
    created = signed_in(world.sue).post(url, body, content_type="application/json")
    assert created.status_code == 201
    share_id = created.json()["id"]
    seen = signed_in(world.sam).get(f"/api/v1/shares/{share_id}").json()
    assert seen["share"]["level"] == "deidentified"
    assert "Marco Fictitious" not in str(seen)
    assert signed_in(world.eve).get(f"/api/v1/shares/{share_id}").status_code == 404


@pytest.mark.django_db
def test_send_and_answer_a_request_through_the_api(world: World, signed_in: Callable[[User], Client]) -> None:
    shared = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    body = {"task_force": world.task_force.pk, "to_organisation": world.org_b.pk, "kind": "mla",
            "legal_basis": "Convention art. 18 (fictional)", "subject": "Bank records", "deadline": in_days(9).isoformat(),
            "shares": [shared.pk]}  # fmt: skip
    # Attached items must be the sender's own shares.
    refused = signed_in(world.lee).post("/api/v1/requests", body, content_type="application/json")
    assert refused.status_code == 400 and "shares" in refused.json()["error"]["fields"]
    assert not CrossBorderRequest.objects.exists()
    sent = signed_in(world.lee).post(
        "/api/v1/requests", {**body, "shares": []}, content_type="application/json"
    )
    assert sent.status_code == 201
    request_id = sent.json()["id"]
    declined = signed_in(world.sam).post(
        f"/api/v1/requests/{request_id}/respond",
        {"action": "decline", "text": ""},
        content_type="application/json",
    )
    assert declined.status_code == 400
    answered = signed_in(world.sam).post(
        f"/api/v1/requests/{request_id}/respond",
        {"action": "answer", "text": "Attached by courier"},
        content_type="application/json",
    )
    assert (answered.status_code, answered.json()["status"]) == (200, "answered")
    assert (
        signed_in(world.lee).get(f"/api/v1/requests/{request_id}").json()["response"] == "Attached by courier"
    )


@pytest.mark.django_db
def test_schema_documents_the_collaboration_endpoints(db: None, client: Client) -> None:
    schema = client.get("/api/schema/?format=json").json()
    assert {
        "/api/v1/task-forces",
        "/api/v1/task-forces/{id}",
        "/api/v1/task-forces/{id}/shares",
        "/api/v1/shares/{id}",
        "/api/v1/shares/{id}/revoke",
        "/api/v1/requests",
        "/api/v1/requests/{id}",
        "/api/v1/requests/{id}/respond",
        "/api/v1/notices",
        "/api/v1/notices/{id}",
        "/api/v1/notices/{id}/access-request",
        "/api/v1/access-requests/{id}/decide",
    } <= set(schema["paths"])
