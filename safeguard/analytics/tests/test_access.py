"""An analyst never sees entities, networks or records of records they may not see."""

from __future__ import annotations

import pytest

from safeguard.analytics import services
from safeguard.analytics.models import Entity, LinkStatus, Network, PersonLinkCandidate
from safeguard.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(submit, org_b):
    a1 = submit(identifiers=[("phone", "612 345 678"), ("email", "boss@agency-x.example")])
    a2 = submit(identifiers=[("phone", "612 345 678")])
    b1 = submit(organisation=org_b, identifiers=[("phone", "612 345 678")])
    b2 = submit(organisation=org_b, identifiers=[("handle", "only_in_b")])
    b3 = submit(organisation=org_b, identifiers=[("handle", "only_in_b")])
    services.records_extract_all()
    services.networks_rebuild()
    return {"a1": a1, "a2": a2, "b1": b1, "b2": b2, "b3": b3}


def _entity(kind: str, value: str) -> Entity:
    return Entity.objects.get(kind=kind, key_index=services.entity_index(kind, value))


def test_analyst_sees_only_their_organisations_records_of_a_shared_entity(
    world, analyst_a, analyst_b, client_for
):
    phone = _entity("phone", "+34612345678")
    page_a = client_for(analyst_a).get(f"/analytics/entities/{phone.pk}/").content.decode()
    page_b = client_for(analyst_b).get(f"/analytics/entities/{phone.pk}/").content.decode()
    assert world["a1"].reference in page_a and world["a2"].reference in page_a
    assert world["b1"].reference not in page_a
    assert world["b1"].reference in page_b
    assert world["a1"].reference not in page_b and world["a2"].reference not in page_b
    assert "Mentioned by 1 record you can see" in page_b


def test_entity_of_another_organisation_is_not_found(world, analyst_b, client_for):
    email = _entity("email", "boss@agency-x.example")
    client = client_for(analyst_b)
    assert client.get(f"/analytics/entities/{email.pk}/").status_code == 404
    assert client.get(f"/api/v1/analytics/entities/{email.pk}").status_code == 404
    assert not AuditEvent.objects.filter(action="analytics.entity_viewed", object_id=str(email.pk)).exists()
    search = client.get("/analytics/", {"kind": "email", "value": "boss@agency-x.example"})
    assert search.status_code == 200
    assert "No record you can see mentions this identifier." in search.content.decode()


def test_network_shows_only_visible_records_and_their_identifiers(world, analyst_b, client_for):
    network = Network.objects.get(memberships__record_id=world["a1"].pk)
    client = client_for(analyst_b)
    page_b = client.get(f"/analytics/networks/{network.pk}/").content.decode()
    assert world["b1"].reference in page_b
    assert world["a1"].reference not in page_b
    assert "agency-x.example" not in page_b  # the e-mail only org A's report mentions
    api = client.get(f"/api/v1/analytics/networks/{network.pk}").json()
    assert api["network"]["visible_records"] == 1
    assert {node["label"] for node in api["nodes"] if node["type"] == "record"} == {world["b1"].reference}


def test_network_of_only_another_organisation_is_not_found(world, analyst_a, client_for):
    network = Network.objects.get(memberships__record_id=world["b2"].pk)
    client = client_for(analyst_a)
    assert client.get(f"/analytics/networks/{network.pk}/").status_code == 404
    assert client.get(f"/api/v1/analytics/networks/{network.pk}").status_code == 404
    listed = [row["id"] for row in client.get("/api/v1/analytics/networks").json()]
    assert network.pk not in listed


def test_analyst_entity_view_is_audited(world, analyst_a, client_for):
    phone = _entity("phone", "+34612345678")
    client_for(analyst_a).get(f"/analytics/entities/{phone.pk}/")
    event = AuditEvent.objects.get(action="analytics.entity_viewed")
    assert event.object_id == str(phone.pk)
    assert event.detail == {"records": 2}


def test_operator_has_no_analytics(bob, client_for):
    client = client_for(bob)
    assert client.get("/analytics/").status_code == 403
    assert client.get("/api/v1/analytics/networks").status_code == 403


def test_analyst_cannot_decide_another_organisations_link(world, org_a, analyst_b, client_for):
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
def test_analyst_pages_render(world, analyst_a, client_for, path):
    assert client_for(analyst_a).get(path).status_code == 200
