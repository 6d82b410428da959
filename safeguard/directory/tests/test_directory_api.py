"""The directory in the API: every role reads, managers write their own listings, anyone reads hotlines."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from safeguard.accounts.access import PERMISSIONS
from safeguard.accounts.roles import Role
from safeguard.accounts.services import api_token_create
from safeguard.core.models import AuditEvent
from safeguard.directory.models import Hotline, Service, ServiceKind
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db
ROLES = list(Role)


def api(user, organisation) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(actor=actor_of(user, organisation), name='t')[1]}"
    )
    return client


@pytest.fixture
def beds(org_a) -> Service:
    return Service.objects.create(
        provider=org_a, kind=ServiceKind.SHELTER, name="Beds", coverage=",GB,", languages=",en,"
    )


def test_the_search_is_the_directory_search(bob, org_a, beds) -> None:
    Service.objects.create(provider=org_a, kind=ServiceKind.SHELTER, name="Elsewhere", coverage=",FR,")
    client = api(bob, org_a)

    found = client.get("/api/v1/directory/services", {"need": "shelter", "place": "GB-LND"}).json()

    assert [row["name"] for row in found["results"]] == ["Beds"]
    assert found["results"][0]["coverage"] == ["GB"]
    assert client.get("/api/v1/directory/services", {"age": "300"}).status_code == 400


@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
def test_each_role_reads_and_only_managers_write_their_own(role, org_a, org_b, beds) -> None:
    client = api(make_member(org_a, role), org_a)
    manager = role in PERMISSIONS["directory.manage"]

    assert client.get(f"/api/v1/directory/services/{beds.pk}").status_code == 200
    created = client.post(
        "/api/v1/directory/services",
        {"kind": "shelter", "name": "New beds", "coverage": ["GB"]},
        format="json",
    )
    changed = client.patch(f"/api/v1/directory/services/{beds.pk}", {"capacity": 12}, format="json")

    assert created.status_code == (201 if manager else 403)
    assert changed.status_code == (200 if manager else 403)
    beds.refresh_from_db()
    assert beds.capacity == (12 if manager else None)
    assert Service.objects.filter(name="New beds").exists() is manager

    stranger = api(make_member(org_b, role, email=f"{role}@b.example"), org_b)
    answer = stranger.patch(f"/api/v1/directory/services/{beds.pk}", {"name": "Taken"}, format="json")
    assert answer.status_code == (404 if manager else 403)  # another organisation's listing
    beds.refresh_from_db()
    assert beds.name == "Beds"


def test_a_write_is_audited_under_the_caller(supervisor_a, org_a, beds) -> None:
    api(supervisor_a, org_a).patch(f"/api/v1/directory/services/{beds.pk}", {"capacity": 3}, format="json")
    event = AuditEvent.objects.get(action="directory.service_updated")
    assert (event.actor, event.detail) == (supervisor_a, {"fields": ["capacity"]})


def test_an_inactive_service_is_seen_only_by_its_organisation(bob, org_a, operator_b, org_b, beds) -> None:
    beds.is_active = False
    beds.save()
    assert api(bob, org_a).get(f"/api/v1/directory/services/{beds.pk}").status_code == 200
    assert api(operator_b, org_b).get(f"/api/v1/directory/services/{beds.pk}").status_code == 404


def test_hotlines_are_public(db) -> None:
    Hotline.objects.create(country="GB", kind="emergency", name="Emergency", phone="999")
    Hotline.objects.create(country="GB", kind="emergency", name="Old", phone="000", is_active=False)

    answer = APIClient().get("/api/v1/public/hotlines", {"country": "gb"})

    assert answer.status_code == 200
    assert [row["phone"] for row in answer.json()] == ["999"]
    assert APIClient().get("/api/v1/public/hotlines", {"country": "Great Britain"}).status_code == 400
