"""Partner channel keys, the hotline table, notifications and the dashboard panel."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.core.models import AuditEvent
from safeguard.directory.models import Hotline
from safeguard.intake.models import Notification, PartnerChannel
from safeguard.intake.services.channels import partner_key_hash


@pytest.mark.django_db
def test_org_admin_creates_a_key_shown_once_and_revokes_it(alice: Any, org_a: Any, client_for: Any) -> None:
    client = client_for(alice)
    page = client.post("/reports/channels/", {"name": "SMS gateway"}).content.decode()
    channel = PartnerChannel.objects.get()
    key = page.split('id="new-key">')[1].split("<")[0]
    assert (
        key.startswith("sgc_") and channel.key_hash == partner_key_hash(key) and key not in channel.key_hash
    )
    assert key not in client.get("/reports/channels/").content.decode()
    client.post(f"/reports/channels/{channel.pk}/revoke/")
    channel.refresh_from_db()
    assert channel.revoked_at is not None
    assert list(
        AuditEvent.objects.filter(object_type="intake.partnerchannel")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "partner_channel.created",
        "partner_channel.revoked",
    ]


@pytest.mark.django_db
def test_operator_cannot_manage_channels_and_others_cannot_revoke(
    alice: Any, bob: Any, charlie: Any, client_for: Any
) -> None:
    assert client_for(bob).post("/reports/channels/", {"name": "x"}).status_code == 403
    assert PartnerChannel.objects.count() == 0
    client_for(alice).post("/reports/channels/", {"name": "mine"})
    channel = PartnerChannel.objects.get()
    assert client_for(charlie).post(f"/reports/channels/{channel.pk}/revoke/").status_code == 404
    channel.refresh_from_db()
    assert channel.revoked_at is None


@pytest.mark.django_db
def test_a_platform_admin_edits_the_hotline_table(platform_admin: Any, client_for: Any) -> None:
    # Organisation admins only propose their own entries: directory/tests/test_hotline_review.py.
    client = client_for(platform_admin)
    response = client.post(
        "/hotlines/",
        {
            "country": "ES",
            "kind": "emergency",
            "name": "Demo line",
            "phone": "555-0100",
            "order": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    hotline = Hotline.objects.get()
    response = client.post(
        f"/hotlines/{hotline.pk}/",
        {"country": "ES", "kind": "emergency", "name": "Demo line", "phone": "call <now>", "order": "0"},
    )
    assert response.status_code == 400
    assert "Use digits, spaces" in response.content.decode()
    client.post(f"/hotlines/{hotline.pk}/", {"delete": "1"})
    assert Hotline.objects.count() == 0
    assert list(
        AuditEvent.objects.filter(action__startswith="hotline.")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "hotline.created",
        "hotline.deleted",
    ]


@pytest.mark.django_db
def test_operators_and_organisation_admins_cannot_edit_hotlines(
    bob: Any, alice: Any, client_for: Any
) -> None:
    for user in (bob, alice):
        response = client_for(user).post(
            "/hotlines/", {"country": "ES", "kind": "emergency", "name": "x", "order": "0"}
        )
        assert response.status_code == 403
    assert Hotline.objects.count() == 0


@pytest.mark.django_db
def test_dashboard_panel_and_notifications(
    make_report: Any, bob: Any, org_a: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_report(child_in_danger="yes")
    client = client_for(bob)
    page = client.get("/dashboard/").content.decode()
    assert "Triage queue" in page and "1 open · 0 overdue · 1 unassigned · 0 assigned to you" in page
    assert "1 unread notification." in page
    client.post("/reports/notifications/")
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 0
