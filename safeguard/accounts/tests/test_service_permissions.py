"""Every accounts service checks its actor itself: a wrong role, another organisation's admin or a
non-platform-admin is refused, and nothing is written (no row, no audit event, no e-mail)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from safeguard.accounts import services
from safeguard.accounts.models import ApiToken, Membership, Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import UserFactory, actor_of

pytestmark = pytest.mark.django_db


def _refused(call: Callable[[], Any], django_capture_on_commit_callbacks: Any) -> None:
    counts = (
        User.objects.count(),
        Membership.objects.count(),
        ApiToken.objects.count(),
        Organisation.objects.count(),
    )
    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(PermissionDenied):
        call()
    assert callbacks == []
    assert mail.outbox == []
    assert AuditEvent.objects.count() == events
    assert (
        User.objects.count(),
        Membership.objects.count(),
        ApiToken.objects.count(),
        Organisation.objects.count(),
    ) == counts


def test_only_organisation_admins_invite(
    bob: User, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    _refused(
        lambda: services.user_invite(
            actor=actor_of(bob, org_a), email="new@alpha.example", name="New", roles=["operator"], base_url=""
        ),
        django_capture_on_commit_callbacks,
    )


def test_an_admin_cannot_change_roles_of_another_organisations_user(
    charlie: User, bob: User, org_b: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    _refused(
        lambda: services.membership_set_roles(actor=actor_of(charlie, org_b), user=bob, roles=["supervisor"]),
        django_capture_on_commit_callbacks,
    )
    assert list(Membership.objects.filter(user=bob).values_list("role", flat=True)) == ["operator"]


def test_an_operator_cannot_change_roles(
    bob: User, alice: User, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    _refused(
        lambda: services.membership_set_roles(actor=actor_of(bob, org_a), user=alice, roles=["operator"]),
        django_capture_on_commit_callbacks,
    )


def test_an_admin_cannot_deactivate_another_organisations_user(
    charlie: User, bob: User, org_b: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    _refused(
        lambda: services.membership_set_active(actor=actor_of(charlie, org_b), user=bob, active=False),
        django_capture_on_commit_callbacks,
    )
    bob.refresh_from_db()
    assert bob.is_active is True


def test_only_platform_admins_create_organisations_and_users(
    alice: User, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    _refused(
        lambda: services.organisation_create(name="Rogue", slug="rogue", kind="ngo", actor=alice),
        django_capture_on_commit_callbacks,
    )
    _refused(
        lambda: services.organisation_create_with_admin(
            actor=alice,
            name="Rogue",
            slug="rogue",
            kind="ngo",
            country="",
            admin_name="R",
            admin_email="r@rogue.example",
            base_url="",
        ),
        django_capture_on_commit_callbacks,
    )
    _refused(
        lambda: services.user_create(
            email="x@alpha.example",
            name="X",
            organisation=org_a,
            roles=["org_admin"],
            password=None,
            actor=alice,
        ),
        django_capture_on_commit_callbacks,
    )
    _refused(
        lambda: services.organisation_appoint_admin(
            actor=alice, organisation=org_a, email="x@alpha.example", name="X", base_url=""
        ),
        django_capture_on_commit_callbacks,
    )


def test_a_token_is_revoked_only_by_its_owner(
    alice: User, bob: User, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    token, _key = services.api_token_create(actor=actor_of(bob, org_a), name="bob's")
    _refused(
        lambda: services.api_token_revoke(actor=actor_of(alice, org_a), token=token),
        django_capture_on_commit_callbacks,
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_user_without_a_role_in_the_organisation_gets_no_token(
    bob: User, org_b: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    _refused(
        lambda: services.api_token_create(actor=actor_of(bob, org_b), name="foreign"),
        django_capture_on_commit_callbacks,
    )


def test_a_deactivated_platform_admin_is_refused(
    org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    former = UserFactory.create(email="former-root@test.example", is_platform_admin=True, is_active=False)
    _refused(
        lambda: services.organisation_appoint_admin(
            actor=former, organisation=org_a, email="x@alpha.example", name="X", base_url=""
        ),
        django_capture_on_commit_callbacks,
    )
