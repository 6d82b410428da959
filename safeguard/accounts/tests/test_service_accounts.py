"""Service accounts: made by an organisation admin, holding roles and tokens, never signing in
to the web pages, every action audited under the account; disabled and deleted for good."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from safeguard.accounts import services
from safeguard.accounts.models import ApiToken, Membership
from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.fixtures import TEST_PASSWORD, actor_of, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(alice, org_a):
    return services.service_account_create(
        actor=actor_of(alice, org_a), name="Warehouse export", roles=[Role.OPERATOR]
    )


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_admin_creates_a_service_account_with_roles_and_no_password(alice, org_a, account):
    assert account.is_service_account and not account.has_usable_password()
    assert list(Membership.objects.filter(user=account).values_list("organisation", "role")) == [
        (org_a.pk, Role.OPERATOR.value)
    ]
    assert AuditEvent.objects.filter(
        action="service_account.created", actor=alice, organisation=org_a, object_id=str(account.pk)
    ).exists()


def test_a_service_account_cannot_be_an_admin(alice, org_a, account):
    with pytest.raises(ValidationError):
        services.service_account_create(actor=actor_of(alice, org_a), name="Root", roles=[Role.ORG_ADMIN])
    with pytest.raises(ValidationError):
        services.membership_set_roles(actor=actor_of(alice, org_a), user=account, roles=[Role.ORG_ADMIN])
    assert not Membership.objects.filter(user=account, role=Role.ORG_ADMIN).exists()


def test_a_service_account_cannot_sign_in_to_the_web_pages(account):
    account.set_password(TEST_PASSWORD)  # even with a password set behind the platform's back
    account.save(update_fields=["password"])
    client = Client()
    answer = client.post("/accounts/login/", {"username": account.email, "password": TEST_PASSWORD})
    assert answer.status_code == 200
    assert b"do not match an active account" in answer.content
    assert "_auth_user_id" not in client.session
    # A session forced on it still counts as unverified: no page, no API.
    client.force_login(account)
    assert client.get("/webhooks/").status_code == 302
    assert client.get("/api/v1/reports").status_code in (401, 403)


def test_its_token_acts_with_its_roles_and_is_audited_under_it(alice, org_a, account):
    token, key = services.service_account_token_create(
        actor=actor_of(alice, org_a), account=account, name="export", scopes=["reports:write"]
    )
    assert token.user == account and token.organisation == org_a
    report = report_submit(
        data=ReportInput(narrative="Fictional narrative.", country="ES"), channel="web", organisation=org_a
    ).report
    api = _api(key)
    assert api.get("/api/v1/reports").status_code == 200
    answer = api.post(
        f"/api/v1/reports/{report.pk}/notes", {"body": "Imported from the telephony system."}, format="json"
    )
    assert answer.status_code == 201, answer.content
    event = AuditEvent.objects.get(action="report.note_added", object_id=str(report.pk))
    assert event.actor == account and event.actor_label == account.email
    # Scoped: no cases, and nothing its roles do not allow.
    assert api.get("/api/v1/cases").status_code == 403
    assert api.get("/api/v1/webhooks").status_code == 403
    created = AuditEvent.objects.get(action="api_token.created", object_id=str(token.pk))
    assert created.actor == alice and created.detail["for_user"] == account.pk


def test_token_limits_apply_to_service_account_tokens(alice, org_a, account):
    with pytest.raises(ValidationError):
        services.service_account_token_create(
            actor=actor_of(alice, org_a), account=account, name="x", allowed_ips=["not-an-address"]
        )
    _token, key = services.service_account_token_create(
        actor=actor_of(alice, org_a), account=account, name="x", allowed_ips=["203.0.113.0/24"]
    )
    assert _api(key).get("/api/v1/reports").status_code == 401


def test_disable_revokes_its_tokens_and_delete_ends_it_for_good(alice, org_a, account):
    actor = actor_of(alice, org_a)
    _token, key = services.service_account_token_create(actor=actor, account=account, name="t")
    services.service_account_set_active(actor=actor, account=account, active=False)
    assert _api(key).get("/api/v1/reports").status_code == 401
    services.service_account_set_active(actor=actor, account=account, active=True)
    _token, key = services.service_account_token_create(actor=actor, account=account, name="t2")
    assert _api(key).get("/api/v1/reports").status_code == 200
    services.service_account_delete(actor=actor, account=account)
    account.refresh_from_db()
    assert not account.is_active and not Membership.objects.filter(user=account).exists()
    assert not ApiToken.objects.filter(user=account, revoked_at__isnull=True).exists()
    assert _api(key).get("/api/v1/reports").status_code == 401
    assert list(
        AuditEvent.objects.filter(object_id=str(account.pk), object_type="accounts.user")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["service_account.created", "member.deactivated", "member.reactivated", "service_account.deleted"]


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ORG_ADMIN])
def test_only_organisation_admins_manage_service_accounts(role, org_a, account, client_for):
    user = make_member(org_a, role)
    with pytest.raises(PermissionDenied):
        services.service_account_create(actor=actor_of(user, org_a), name="Mine", roles=[Role.ANALYST])
    with pytest.raises(PermissionDenied):
        services.service_account_token_create(actor=actor_of(user, org_a), account=account, name="t")
    client = client_for(user)
    assert client.get("/accounts/service-accounts/").status_code == 403
    assert client.post(f"/accounts/service-accounts/{account.pk}/delete/").status_code == 403
    account.refresh_from_db()
    assert account.is_active and not ApiToken.objects.filter(user=account).exists()


def test_the_admin_of_another_organisation_finds_nothing(charlie, org_b, alice, org_a, account, client_for):
    with pytest.raises(PermissionDenied):
        services.service_account_token_create(actor=actor_of(charlie, org_b), account=account, name="t")
    with pytest.raises(PermissionDenied):
        services.service_account_delete(actor=actor_of(charlie, org_b), account=account)
    client = client_for(charlie)
    assert b"Warehouse export" not in client.get("/accounts/service-accounts/").content
    assert client.get(f"/accounts/service-accounts/{account.pk}/").status_code == 404
    for action in ("disable", "delete"):
        assert client.post(f"/accounts/service-accounts/{account.pk}/{action}/").status_code == 404
    account.refresh_from_db()
    assert account.is_active and not ApiToken.objects.filter(user=account).exists()


def test_a_person_is_not_managed_as_a_service_account(alice, bob, org_a, client_for):
    with pytest.raises(PermissionDenied):
        services.service_account_token_create(actor=actor_of(alice, org_a), account=bob, name="t")
    assert client_for(alice).get(f"/accounts/service-accounts/{bob.pk}/").status_code == 404


def test_the_pages_create_issue_a_token_once_and_revoke_it(alice, org_a, client_for):
    client = client_for(alice)
    refused = client.post("/accounts/service-accounts/", {"name": "Warehouse sync", "roles": []})
    assert refused.status_code == 400 and b"at least one role" in refused.content
    created = client.post("/accounts/service-accounts/", {"name": "Warehouse sync", "roles": [Role.ANALYST]})
    assert created.status_code == 302
    page = created["Location"]
    issued = client.post(page, {"form": "token", "token-name": "dash", "token-scopes": ["reports:read"]})
    token = ApiToken.objects.get(name="dash")
    key = issued.context["new_key"]
    assert key.startswith("sgt_") and key.encode() in issued.content
    assert token.scopes == ["reports:read"] and ApiToken.hash_key(key) == token.key_hash
    assert key.encode() not in client.get(page).content
    assert client.post(f"{page}tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert b"Warehouse sync" in client.get("/accounts/service-accounts/").content
    assert b"Warehouse sync" not in client.get("/accounts/users/").content
