"""An organisation's time zone: validated, set only by its own admin, audited, and the zone every
date and time on its staff's pages is shown in (with the zone named)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from safeguard.accounts import services
from safeguard.accounts.models import Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import OrganisationFactory, actor_of

pytestmark = pytest.mark.django_db


@override_settings(TIME_ZONE="Africa/Lagos")
def test_a_new_organisation_starts_in_the_installation_zone() -> None:
    assert OrganisationFactory.create(slug="gamma").time_zone == "Africa/Lagos"


def test_the_admin_sets_her_own_organisation_zone_and_it_is_audited(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    services.organisation_set_time_zone(actor=actor_of(alice, org_a), time_zone=" Europe/Madrid ")
    org_a.refresh_from_db()
    org_b.refresh_from_db()
    assert org_a.time_zone == "Europe/Madrid"
    assert org_b.time_zone == "UTC"  # the other organisation is untouched
    event = AuditEvent.objects.get(action="organisation.time_zone_changed")
    assert event.organisation_id == org_a.pk
    assert event.detail == {"from": "UTC", "to": "Europe/Madrid"}


@pytest.mark.parametrize("name", ["Mars/Olympus", "CET+1", "", "europe/madrid"])
def test_a_name_that_is_not_an_iana_zone_is_refused_clearly(
    alice: User, org_a: Organisation, name: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.organisation_set_time_zone(actor=actor_of(alice, org_a), time_zone=name)
    assert "time_zone" in error.value.message_dict
    org_a.refresh_from_db()
    assert org_a.time_zone == "UTC"
    assert not AuditEvent.objects.filter(action="organisation.time_zone_changed").exists()


def test_an_operator_and_another_organisation_admin_are_refused(
    bob: User, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    with pytest.raises(PermissionDenied):
        services.organisation_set_time_zone(actor=actor_of(bob, org_a), time_zone="Europe/Paris")
    with pytest.raises(PermissionDenied):  # Charlie admins org B, not org A
        services.organisation_set_time_zone(actor=actor_of(charlie, org_a), time_zone="Europe/Paris")
    org_a.refresh_from_db()
    assert org_a.time_zone == "UTC"
    assert not AuditEvent.objects.filter(action="organisation.time_zone_changed").exists()


def test_the_audit_log_shows_times_in_the_viewer_organisation_zone_with_the_zone_named(
    alice: User, charlie: User, org_a: Organisation, org_b: Organisation, client_for: Callable[[User], Client]
) -> None:
    Organisation.objects.filter(pk=org_a.pk).update(time_zone="Europe/Madrid")
    Organisation.objects.filter(pk=org_b.pk).update(time_zone="Asia/Kolkata")
    moment = dt.datetime(2026, 3, 12, 14, 5, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):  # events are append-only
        for organisation in (org_a, org_b):
            AuditEvent.objects.create(action="test.moment", organisation=organisation)
    page_a = client_for(alice).get("/audit/", {"action": "test.moment"}).content.decode()
    page_b = client_for(charlie).get("/audit/", {"action": "test.moment"}).content.decode()
    assert "12/03/2026 15:05 CET" in page_a
    assert "12/03/2026 19:35 IST" in page_b
    assert "14:05 UTC" not in page_a + page_b


def test_the_time_zone_page_saves_for_the_admin_and_is_refused_to_others(
    alice: User,
    bob: User,
    charlie: User,
    org_a: Organisation,
    org_b: Organisation,
    client_for: Callable[[User], Client],
) -> None:
    admin = client_for(alice)
    page = admin.get("/accounts/time-zone/")
    assert page.status_code == 200
    assert 'value="Europe/Madrid"' in page.content.decode()
    response = admin.post("/accounts/time-zone/", {"time_zone": "Europe/Madrid"})
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.time_zone == "Europe/Madrid"
    now_shown = admin.get("/accounts/time-zone/").content.decode().split('id="time-now">')[1]
    assert now_shown.split("</strong>")[0].endswith(("CET", "CEST"))  # Madrid's zone, named
    bad = admin.post("/accounts/time-zone/", {"time_zone": "Mars/Olympus"})
    assert bad.status_code == 200
    assert "Mars/Olympus" in bad.content.decode()  # the form says the choice is not valid
    assert client_for(bob).post("/accounts/time-zone/", {"time_zone": "Asia/Tokyo"}).status_code == 403
    charlie_client = client_for(charlie)
    assert charlie_client.post("/accounts/time-zone/", {"time_zone": "Asia/Tokyo"}).status_code == 302
    org_a.refresh_from_db()
    org_b.refresh_from_db()
    assert (org_a.time_zone, org_b.time_zone) == ("Europe/Madrid", "Asia/Tokyo")  # each only its own
