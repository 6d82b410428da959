"""An analyst never sees entities, networks or records of records they may not see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.analytics.models import AnalyticsRun, Entity, LinkStatus, Network, PersonLinkCandidate
from safeguard.analytics.services.entities import entity_index, records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.core.models import AuditEvent
from safeguard.intake.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(submit: Callable[..., Report], org_b: Organisation) -> dict[str, Report]:
    a1 = submit(identifiers=[("phone", "612 345 678"), ("email", "boss@agency-x.example")])
    a2 = submit(identifiers=[("phone", "612 345 678")])
    b1 = submit(organisation=org_b, identifiers=[("phone", "612 345 678")])
    b2 = submit(organisation=org_b, identifiers=[("handle", "only_in_b")])
    b3 = submit(organisation=org_b, identifiers=[("handle", "only_in_b")])
    records_extract_all()
    networks_rebuild()
    return {"a1": a1, "a2": a2, "b1": b1, "b2": b2, "b3": b3}


def _entity(kind: str, value: str) -> Entity:
    return Entity.objects.get(kind=kind, key_index=entity_index(kind, value))


def test_analyst_sees_only_their_organisations_records_of_a_shared_entity(
    world: dict[str, Any], analyst_a: User, analyst_b: User, client_for: Callable[[User], Client]
) -> None:
    phone = _entity("phone", "+34612345678")
    page_a = client_for(analyst_a).get(f"/analytics/entities/{phone.pk}/").content.decode()
    page_b = client_for(analyst_b).get(f"/analytics/entities/{phone.pk}/").content.decode()
    assert world["a1"].reference in page_a and world["a2"].reference in page_a
    assert world["b1"].reference not in page_a
    assert world["b1"].reference in page_b
    assert world["a1"].reference not in page_b and world["a2"].reference not in page_b
    assert "Mentioned by 1 record you can see" in page_b


def test_entity_of_another_organisation_is_not_found(
    world: dict[str, Any], analyst_b: User, client_for: Callable[[User], Client]
) -> None:
    email = _entity("email", "boss@agency-x.example")
    client = client_for(analyst_b)
    assert client.get(f"/analytics/entities/{email.pk}/").status_code == 404
    assert client.get(f"/api/v1/analytics/entities/{email.pk}").status_code == 404
    assert not AuditEvent.objects.filter(action="analytics.entity_viewed", object_id=str(email.pk)).exists()
    search = client.get("/analytics/", {"kind": "email", "value": "boss@agency-x.example"})
    assert search.status_code == 200
    assert "No record you can see mentions this identifier." in search.content.decode()


def test_network_shows_only_visible_records_and_their_identifiers(
    world: dict[str, Any], analyst_b: User, client_for: Callable[[User], Client]
) -> None:
    network = Network.objects.get(memberships__record_id=world["a1"].pk)
    client = client_for(analyst_b)
    page_b = client.get(f"/analytics/networks/{network.pk}/").content.decode()
    assert world["b1"].reference in page_b
    assert world["a1"].reference not in page_b
    assert "agency-x.example" not in page_b  # the e-mail only org A's report mentions
    api = client.get(f"/api/v1/analytics/networks/{network.pk}").json()
    assert api["network"]["visible_records"] == 1
    assert {node["label"] for node in api["nodes"] if node["type"] == "record"} == {world["b1"].reference}


def test_network_of_only_another_organisation_is_not_found(
    world: dict[str, Any], analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    network = Network.objects.get(memberships__record_id=world["b2"].pk)
    client = client_for(analyst_a)
    assert client.get(f"/analytics/networks/{network.pk}/").status_code == 404
    assert client.get(f"/api/v1/analytics/networks/{network.pk}").status_code == 404
    listed = [row["id"] for row in client.get("/api/v1/analytics/networks").json()]
    assert network.pk not in listed


def test_analyst_entity_view_is_audited(
    world: dict[str, Any], analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    phone = _entity("phone", "+34612345678")
    client_for(analyst_a).get(f"/analytics/entities/{phone.pk}/")
    event = AuditEvent.objects.get(action="analytics.entity_viewed")
    assert event.object_id == str(phone.pk)
    assert event.detail == {"records": 2}


def test_operator_has_no_analytics(bob: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(bob)
    assert client.get("/analytics/").status_code == 403
    assert client.get("/api/v1/analytics/networks").status_code == 403


def test_analyst_cannot_decide_another_organisations_link(
    world: dict[str, Any], org_a: Organisation, analyst_b: User, client_for: Callable[[User], Client]
) -> None:
    candidate = PersonLinkCandidate.objects.create(
        organisation=org_a,
        left_id=f"report:{world['a1'].pk}:suspect:0",
        right_id=f"report:{world['a2'].pk}:suspect:0",
        probability=0.8,
    )
    response = client_for(analyst_b).post(f"/analytics/review/{candidate.pk}/", {"decision": "confirm"})
    assert response.status_code == 404
    candidate.refresh_from_db()
    assert candidate.status == LinkStatus.PENDING
    assert candidate.decided_by is None
    assert not AuditEvent.objects.filter(action="analytics.link_decided").exists()


@pytest.mark.parametrize(
    "path", ["/analytics/", "/analytics/ads/", "/analytics/hotspots/", "/analytics/review/", "/dashboard/"]
)
def test_analyst_pages_render(
    world: dict[str, Any], analyst_a: User, client_for: Callable[[User], Client], path: str
) -> None:
    assert client_for(analyst_a).get(path).status_code == 200


def test_starting_a_run_from_the_overview(
    analyst_a: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(analyst_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        unknown = client.post("/analytics/runs/", {"kind": "everything"}, follow=True)
    assert "Unknown kind of run." in unknown.content.decode()
    assert (AnalyticsRun.objects.count(), callbacks) == (0, [])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = client.post("/analytics/runs/", {"kind": "linking"}, follow=True)
    assert "The run is queued; its progress shows below." in queued.content.decode()
    run = AnalyticsRun.objects.get()
    assert (run.kind, run.organisation, len(callbacks)) == (
        "linking",
        analyst_a.memberships.get().organisation,
        1,
    )
    assert list(
        AuditEvent.objects.filter(action__startswith="analytics.").values_list("action", flat=True)
    ) == ["analytics.run_requested"]
