"""An organisation is never locked out of itself: its last active admin keeps the role, and a
platform admin can always appoint a new admin (audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from safeguard.accounts.models import Membership, Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import UserFactory

pytestmark = pytest.mark.django_db


def _roles(user: User, organisation: Organisation) -> list[str]:
    return sorted(
        Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True)
    )


@pytest.fixture
def root(db: None) -> User:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory.create(email="root@test.example", name="Root Platform", is_platform_admin=True)
    TOTPDevice.objects.create(user=user, confirmed=True, name="t")
    return user


def test_the_last_admin_cannot_remove_their_own_admin_role(
    alice: User, org_a: Organisation, client_for: Callable[[User], Client]
) -> None:
    response = client_for(alice).post(f"/accounts/users/{alice.pk}/", {"roles": ["operator"]})

    assert response.status_code == 200
    assert "Alice Admin is the only active admin of this organisation." in response.content.decode()
    assert _roles(alice, org_a) == ["org_admin"]
    assert not AuditEvent.objects.filter(action="user.roles_changed").exists()


def test_an_admin_may_step_down_once_another_admin_exists(
    alice: User, org_a: Organisation, member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    member(org_a, "org_admin", email="abe@alpha.example")

    response = client_for(alice).post(f"/accounts/users/{alice.pk}/", {"roles": ["operator"]})

    assert response.status_code == 302
    assert _roles(alice, org_a) == ["operator"]


def test_an_inactive_second_admin_does_not_count(
    alice: User, org_a: Organisation, member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    other = member(org_a, "org_admin", email="abe@alpha.example")
    other.is_active = False
    other.save(update_fields=["is_active"])

    client_for(alice).post(f"/accounts/users/{alice.pk}/", {"roles": ["operator"]})

    assert _roles(alice, org_a) == ["org_admin"]


def test_an_admin_cannot_deactivate_themselves(alice: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(alice).post(f"/accounts/users/{alice.pk}/", {"action": "deactivate"}, follow=True)

    assert "You cannot deactivate your own account." in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active is True
    assert not AuditEvent.objects.filter(action="user.deactivated").exists()


def test_a_platform_admin_appoints_an_existing_user_as_admin(
    root: User, bob: User, org_a: Organisation, client_for: Callable[[User], Client]
) -> None:
    client = client_for(root)
    listing = client.get("/accounts/organisations/").content.decode()
    assert f'href="/accounts/organisations/{org_a.pk}/admin/"' in listing

    response = client.post(f"/accounts/organisations/{org_a.pk}/admin/", {"email": "BOB@alpha.example"})

    assert response.status_code == 302
    assert _roles(bob, org_a) == ["operator", "org_admin"]
    event = AuditEvent.objects.get(action="organisation.admin_appointed")
    assert (event.actor, event.organisation, event.object_id, event.detail) == (
        root,
        org_a,
        str(bob.pk),
        {"invited": False},
    )


def test_a_platform_admin_invites_a_new_admin(
    root: User,
    org_b: Organisation,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(root).post(
            f"/accounts/organisations/{org_b.pk}/admin/",
            {"email": "new.admin@beta.example", "name": "Nia New"},
        )

    assert response.status_code == 302
    user = User.objects.get(email="new.admin@beta.example")
    assert _roles(user, org_b) == ["org_admin"]
    assert [message.to for message in mail.outbox] == [["new.admin@beta.example"]]


def test_an_organisation_admin_cannot_appoint_admins(
    alice: User, charlie: User, org_b: Organisation, client_for: Callable[[User], Client]
) -> None:
    response = client_for(alice).post(
        f"/accounts/organisations/{org_b.pk}/admin/", {"email": "alice@alpha.example"}
    )

    assert response.status_code == 403
    assert _roles(alice, org_b) == []
    assert not AuditEvent.objects.filter(action="organisation.admin_appointed").exists()


def test_appointing_needs_a_valid_e_mail_and_keeps_what_was_typed(
    root: User, org_a: Organisation, client_for: Callable[[User], Client]
) -> None:
    response = client_for(root).post(
        f"/accounts/organisations/{org_a.pk}/admin/", {"email": "not-an-address", "name": "Typed Name"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert 'value="Typed Name"' in page
    assert not AuditEvent.objects.filter(action="organisation.admin_appointed").exists()


def test_an_unknown_organisation_is_not_found(root: User, client_for: Callable[[User], Client]) -> None:
    assert client_for(root).get("/accounts/organisations/999999/admin/").status_code == 404
