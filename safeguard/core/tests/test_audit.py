"""Audit events: written for changes and views, readable by organisation admins, never changed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from safeguard.core.audit import audit_record
from safeguard.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_orm_paths_cannot_change_or_delete_an_event(bob) -> None:
    event = audit_record(action="test.happened", actor=bob)

    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.delete()
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


def test_the_database_refuses_an_update_in_raw_sql(bob) -> None:
    event = audit_record(action="test.happened", actor=bob)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


def test_the_database_refuses_a_delete_in_raw_sql_on_postgresql(bob) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite keeps no DELETE trigger: it would also block test-database flushes (see migration 0002)"
        )
    event = audit_record(action="test.happened", actor=bob)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_written_during_a_request_carry_its_request_id(alice, client_for) -> None:
    client = client_for(alice)

    response = client.post("/accounts/tokens/", {"name": "ci"})

    event = AuditEvent.objects.get(action="api_token.created")
    assert event.request_id == response["X-Request-ID"]
    assert event.actor == alice
    assert event.actor_label == "alice@alpha.example"
    assert event.organisation is not None
    assert event.organisation.slug == "alpha"


def test_viewing_a_person_is_audited(alice, bob, client_for) -> None:
    client = client_for(alice)

    client.get(f"/accounts/users/{bob.pk}/")

    event = AuditEvent.objects.get(action="user.viewed")
    assert (event.actor, event.object_type, event.object_id) == (alice, "accounts.user", str(bob.pk))


def test_an_org_admin_reads_only_their_organisations_events(alice, charlie, client_for) -> None:
    audit_record(action="secret.alpha", actor=alice, organisation=alice.memberships.get().organisation)
    audit_record(action="secret.beta", actor=charlie, organisation=charlie.memberships.get().organisation)

    alpha_page = client_for(alice).get("/audit/").content.decode()
    beta_page = client_for(charlie).get("/audit/").content.decode()

    assert "secret.alpha" in alpha_page and "secret.beta" not in alpha_page
    assert "secret.beta" in beta_page and "secret.alpha" not in beta_page


def test_the_audit_log_filters_by_action_and_actor(alice, org_a, client_for) -> None:
    audit_record(action="report.viewed", actor=alice, organisation=org_a)
    audit_record(action="case.viewed", actor=alice, organisation=org_a)
    client = client_for(alice)

    by_action = client.get("/audit/", {"action": "case."}).content.decode()
    by_actor = client.get("/audit/", {"actor": "nobody@"}).content.decode()

    assert "case.viewed" in by_action and "report.viewed" not in by_action
    assert "No events match." in by_actor


def test_only_org_admins_read_the_audit_log(bob, client_for) -> None:
    assert client_for(bob).get("/audit/").status_code == 403
