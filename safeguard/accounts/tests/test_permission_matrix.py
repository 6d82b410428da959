"""The permission matrix: every role in its own organisation, and nobody in another's."""

from __future__ import annotations

import pytest
from django.core import mail

from safeguard.accounts.access import PERMISSIONS, can
from safeguard.accounts.models import ApiToken, Membership, User
from safeguard.accounts.roles import Role
from safeguard.testing.fixtures import make_member

pytestmark = pytest.mark.django_db

ROLES = list(Role)


@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
def test_each_role_may_take_exactly_its_actions_in_its_own_organisation_and_none_elsewhere(
    role, org_a, org_b
) -> None:
    user = make_member(org_a, role)

    for action, allowed in PERMISSIONS.items():
        assert can(user, action, org_a) is (role in allowed), action
        assert can(user, action, org_b) is False, action


def test_unknown_actions_are_denied_to_everyone(org_a) -> None:
    user = make_member(org_a, *ROLES)
    assert can(user, "no.such.action", org_a) is False


def test_a_deactivated_user_may_do_nothing(org_a) -> None:
    user = make_member(org_a, Role.ORG_ADMIN)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert can(user, "users.manage", org_a) is False


# (path, method, the one role allowed) for the foundation's staff pages
PAGES = [
    ("/accounts/users/", "get", {Role.ORG_ADMIN}),
    ("/audit/", "get", {Role.ORG_ADMIN}),
    ("/dashboard/", "get", set(ROLES)),
    ("/accounts/tokens/", "get", set(ROLES)),
]


@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
@pytest.mark.parametrize(("path", "method", "allowed"), PAGES, ids=[page[0] for page in PAGES])
def test_staff_pages_answer_by_role(role, path, method, allowed, org_a, client_for) -> None:
    client = client_for(make_member(org_a, role))
    response = getattr(client, method)(path)
    assert response.status_code == (200 if role in allowed else 403)


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    for path in ("/dashboard/", "/accounts/users/", "/audit/", "/accounts/tokens/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_an_operator_cannot_invite_and_no_user_is_created(bob, client_for) -> None:
    response = client_for(bob).post(
        "/accounts/users/", {"name": "Mallory", "email": "mallory@test.example", "roles": ["org_admin"]}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="mallory@test.example").exists()
    assert mail.outbox == []


def test_an_admin_of_another_organisation_cannot_see_or_change_a_user(bob, charlie, client_for) -> None:
    client = client_for(charlie)

    assert client.get(f"/accounts/users/{bob.pk}/").status_code == 403
    response = client.post(f"/accounts/users/{bob.pk}/", {"roles": ["org_admin"], "action": "roles"})
    assert response.status_code == 403
    response = client.post(f"/accounts/users/{bob.pk}/", {"action": "deactivate"})
    assert response.status_code == 403

    bob.refresh_from_db()
    assert bob.is_active
    assert list(Membership.objects.filter(user=bob).values_list("role", flat=True)) == ["operator"]


def test_an_operator_cannot_deactivate_a_colleague(bob, alice, client_for) -> None:
    response = client_for(bob).post(f"/accounts/users/{alice.pk}/", {"action": "deactivate"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.is_active


def test_a_user_listing_shows_only_the_admins_organisation(alice, bob, charlie, client_for) -> None:
    page = client_for(alice).get("/accounts/users/").content.decode()
    assert "bob@alpha.example" in page
    assert "charlie@beta.example" not in page


def test_revoking_happens_only_to_ones_own_tokens(bob, alice, org_a, client_for) -> None:
    from safeguard.accounts.access import Actor
    from safeguard.accounts.services import api_token_create

    token, _key = api_token_create(
        actor=Actor(user=alice, organisation=org_a, roles=frozenset({"org_admin"})), name="a"
    )

    response = client_for(bob).post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
