"""Saved views of the triage queue: saved from the queue, opened with exact rows, deleted by their
owner; private to the owner and organisation, so anyone else's view is "not found"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.accounts.models import Membership, User
from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.intake.choices import Channel, Urgency
from safeguard.intake.models import Report, SavedQueueView
from safeguard.intake.services.queue_views import queue_view_create, queue_view_delete
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def rows(client: Any, url: str) -> list[str]:
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return [report.reference for report, _hint in response.context["rows"]]


def test_save_list_open_and_delete(client_for: Any, bob: User, make_report: Any) -> None:
    sms_high = make_report(narrative="sms high", channel=Channel.SMS)
    sms_low = make_report(narrative="sms low", channel=Channel.SMS)
    make_report(narrative="web")
    Report.objects.filter(pk=sms_high.pk).update(urgency=Urgency.HIGH)
    Report.objects.filter(pk=sms_low.pk).update(urgency=Urgency.LOW)
    client = client_for(bob)
    saved = client.post(
        "/reports/views/new/", {"name": " SMS by urgency ", "query": "channel=sms&sort=urgency&page=2&view=7"}
    )
    assert (saved.status_code, saved["Location"]) == (302, "/reports/?channel=sms&sort=urgency&page=2&view=7")
    view = SavedQueueView.objects.get()
    assert (view.name, view.query, view.owner, view.organisation.slug) == (
        "SMS by urgency",
        {"channel": "sms", "sort": "urgency"},
        bob,
        "alpha",
    )
    queue = client.get("/reports/")
    assert list(queue.context["saved_views"]) == [view]
    opened = client.get(f"/reports/views/{view.pk}/")
    assert opened["Location"] == f"/reports/?channel=sms&sort=urgency&view={view.pk}"
    applied = client.get(opened["Location"])
    assert applied.context["active_view"] == view
    assert "Saved view: SMS by urgency" in applied.content.decode()
    assert rows(client, f"/reports/views/{view.pk}/") == [sms_low.reference, sms_high.reference]
    deleted = client.post(f"/reports/views/{view.pk}/delete/", follow=True)
    assert "View deleted." in deleted.content.decode()
    assert SavedQueueView.objects.count() == 0
    actions = list(
        AuditEvent.objects.filter(actor=bob, action__startswith="report.queue_view")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["report.queue_view_saved", "report.queue_view_deleted"]


def test_a_wrong_or_repeated_view_is_refused_with_its_reason(client_for: Any, bob: User) -> None:
    client = client_for(bob)
    client.post("/reports/views/new/", {"name": "Critical", "query": "urgency=4"})
    again = client.post("/reports/views/new/", {"name": "Critical", "query": "urgency=3"}, follow=True)
    assert "You already have a view with this name." in again.content.decode()
    bad = client.post("/reports/views/new/", {"name": "Bad", "query": "sort=receipt_hash"}, follow=True)
    assert (
        "This list cannot be saved: The list cannot be sorted by “receipt_hash”; choose a column heading."
        in bad.content.decode()
    )
    blank = client.post("/reports/views/new/", {"name": "   ", "query": "urgency=4"}, follow=True)
    assert "Give the view a name." in blank.content.decode()
    assert list(SavedQueueView.objects.values_list("name", "query")) == [("Critical", {"urgency": "4"})]


def test_another_users_view_is_not_found(
    client_for: Any, bob: User, supervisor_a: User, operator_b: User, org_a: Any
) -> None:
    view = queue_view_create(actor=actor_of(bob, org_a), name="Mine", query={"channel": "sms"})
    for other in (supervisor_a, operator_b):  # a colleague, and another organisation's operator
        client = client_for(other)
        assert client.get(f"/reports/views/{view.pk}/").status_code == 404
        assert client.post(f"/reports/views/{view.pk}/delete/").status_code == 404
        assert list(client.get("/reports/").context["saved_views"]) == []
        # Naming it in the address does not make it the view shown either.
        assert client.get(f"/reports/?view={view.pk}").context["active_view"] is None
    assert SavedQueueView.objects.filter(pk=view.pk).exists()
    with pytest.raises(PermissionDenied):
        queue_view_delete(actor=actor_of(supervisor_a, org_a), view=view)
    assert not AuditEvent.objects.filter(action="report.queue_view_deleted").exists()


def test_a_view_belongs_to_the_organisation_it_was_saved_in(
    client_for: Any, bob: User, org_a: Any, org_b: Any
) -> None:
    Membership.objects.create(user=bob, organisation=org_b, role=Role.OPERATOR)
    view = queue_view_create(actor=actor_of(bob, org_a), name="Alpha SMS", query={"channel": "sms"})
    assert list(SavedQueueView.objects.filter(pk=view.pk).values_list("organisation", flat=True)) == [
        org_a.pk
    ]
    with pytest.raises(PermissionDenied):
        queue_view_delete(actor=actor_of(bob, org_b), view=view)
    # A user filter saved in one organisation names a member of that organisation only.
    with pytest.raises(ValidationError):
        queue_view_create(actor=actor_of(bob, org_b), name="Theirs", query={"assignee": "999999"})
