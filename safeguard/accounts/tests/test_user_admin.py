"""Organisation admins invite, re-role and deactivate their own users in the web UI."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from safeguard.accounts.models import ApiToken, Membership, Organisation, User
from safeguard.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_invited_user_chooses_a_password_from_the_e_mailed_link(
    alice, org_a, client_for, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/users/",
            {"name": "Dana Newcomer", "email": "Dana@Alpha.example", "roles": ["caseworker", "analyst"]},
        )
    assert response.status_code == 302

    user = User.objects.get(email="dana@alpha.example")
    assert not user.has_usable_password()
    assert set(Membership.objects.filter(user=user, organisation=org_a).values_list("role", flat=True)) == {
        "caseworker",
        "analyst",
    }
    assert AuditEvent.objects.filter(action="user.created", object_id=str(user.pk), actor=alice).exists()
    assert len(mail.outbox) == 1
    found = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)

    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-pass-phrase", "new_password2": "a-long-new-pass-phrase"},
    )

    user.refresh_from_db()
    assert user.check_password("a-long-new-pass-phrase")


def test_inviting_an_existing_e_mail_is_refused_and_keeps_what_was_typed(alice, bob, client_for) -> None:
    response = client_for(alice).post(
        "/accounts/users/", {"name": "Second Bob", "email": bob.email, "roles": ["operator"]}
    )
    assert response.status_code == 200
    assert "This person is already a member of your organisation" in response.content.decode()
    assert 'value="Second Bob"' in response.content.decode()
    assert User.objects.filter(email=bob.email).count() == 1


def test_changing_roles_is_exact_and_audited(alice, bob, org_a, client_for) -> None:
    response = client_for(alice).post(
        f"/accounts/users/{bob.pk}/", {"roles": ["supervisor", "analyst"], "action": "roles"}
    )

    assert response.status_code == 302
    assert set(Membership.objects.filter(user=bob, organisation=org_a).values_list("role", flat=True)) == {
        "supervisor",
        "analyst",
    }
    event = AuditEvent.objects.get(action="user.roles_changed")
    assert event.detail == {"added": ["analyst", "supervisor"], "removed": ["operator"]}


def test_deactivating_a_member_ends_their_work_here_only(
    alice: User,
    charlie: User,
    bob: User,
    org_a: Organisation,
    org_b: Organisation,
    client_for: Callable[[User], Client],
) -> None:
    from safeguard.accounts.access import roles_in
    from safeguard.accounts.services import api_token_create
    from safeguard.testing.fixtures import actor_of

    Membership.objects.create(user=bob, organisation=org_b, role="caseworker")
    token_a, _ = api_token_create(actor=actor_of(bob, org_a), name="a")
    token_b, _ = api_token_create(actor=actor_of(bob, org_b), name="b")

    admin = client_for(charlie)
    admin.post(f"/accounts/users/{bob.pk}/", {"action": "deactivate"})

    bob.refresh_from_db()
    assert bob.is_active is True
    assert roles_in(bob, org_b) == frozenset()
    assert roles_in(bob, org_a) == frozenset({"operator"})
    assert ApiToken.objects.get(pk=token_b.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=token_a.pk).revoked_at is None
    event = AuditEvent.objects.get(action="member.deactivated")
    assert (event.actor, event.organisation, event.object_id) == (charlie, org_b, str(bob.pk))
    assert not AuditEvent.objects.filter(organisation=org_a, action__startswith="member.").exists()

    admin.post(f"/accounts/users/{bob.pk}/", {"action": "activate"})

    assert roles_in(bob, org_b) == frozenset({"caseworker"})
    assert AuditEvent.objects.filter(action="member.reactivated", organisation=org_b).count() == 1


def test_a_member_keeps_at_least_one_role(
    alice: User, bob: User, org_a: Organisation, client_for: Callable[[User], Client]
) -> None:
    response = client_for(alice).post(f"/accounts/users/{bob.pk}/", {"action": "roles"})

    assert "Keep at least one role." in response.content.decode()
    assert list(Membership.objects.filter(user=bob).values_list("role", flat=True)) == ["operator"]


def test_only_a_platform_admin_deactivates_a_person_and_every_organisation_hears_of_it(
    alice: User, bob: User, org_a: Organisation, org_b: Organisation
) -> None:
    from django.core.exceptions import PermissionDenied

    from safeguard.accounts.services import user_set_active
    from safeguard.testing.fixtures import UserFactory

    Membership.objects.create(user=bob, organisation=org_b, role="caseworker")
    with pytest.raises(PermissionDenied, match="platform administrators only"):
        user_set_active(actor=alice, user=bob, active=False)
    bob.refresh_from_db()
    assert bob.is_active is True

    root = UserFactory.create(email="root@test.example", is_platform_admin=True)
    user_set_active(actor=root, user=bob, active=False)

    bob.refresh_from_db()
    assert bob.is_active is False
    assert sorted(
        AuditEvent.objects.filter(action="user.deactivated").values_list("organisation__slug", flat=True)
    ) == ["alpha", "beta"]


def test_an_admin_cannot_deactivate_themselves(alice, client_for) -> None:
    response = client_for(alice).post(f"/accounts/users/{alice.pk}/", {"action": "deactivate"}, follow=True)
    alice.refresh_from_db()
    assert alice.is_active
    assert "You cannot deactivate your own account." in response.content.decode()


def test_inviting_someone_with_an_account_elsewhere_answers_like_a_new_invitation(
    charlie: User,
    bob: User,
    org_a: Organisation,
    org_b: Organisation,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(charlie)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            "/accounts/users/", {"name": "B", "email": bob.email, "roles": ["caseworker"]}, follow=True
        )
        new = client.post(
            "/accounts/users/",
            {"name": "N", "email": "new@beta.example", "roles": ["caseworker"]},
            follow=True,
        )

    assert known.redirect_chain == new.redirect_chain == [("/accounts/users/", 302)]
    assert f"Invitation sent to {bob.email}." in known.content.decode()
    assert "Invitation sent to new@beta.example." in new.content.decode()
    assert sorted(Membership.objects.filter(user=bob).values_list("organisation__slug", "role")) == [
        ("alpha", "operator"),
        ("beta", "caseworker"),
    ]
    assert [message.to for message in mail.outbox] == [[bob.email], ["new@beta.example"]]
    assert "You now also work in Safeguard for Beta Foundation." in str(mail.outbox[0].body)


def test_a_person_is_e_mailed_in_the_language_kept_on_their_account(
    charlie: User,
    bob: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    User.objects.filter(pk=bob.pk).update(language="es")
    client = client_for(charlie)  # Charlie's page is in English
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/users/", {"name": "B", "email": bob.email, "roles": ["caseworker"]})
        client.post("/accounts/users/", {"name": "N", "email": "new@beta.example", "roles": ["caseworker"]})
    to_bob, to_new = mail.outbox
    assert to_bob.subject == "Su cuenta de Safeguard" and "Safeguard" in str(to_bob.body)
    assert "You now also work" not in str(to_bob.body)
    assert to_new.subject == "Your Safeguard account"  # no language kept yet: the inviting page's
