"""Token limits: scopes per area, an expiry, an address allow-list; never more than the user's roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from safeguard.accounts.models import ApiToken
from safeguard.accounts.services import api_token_create
from safeguard.intake.models import ReportNote
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def client(key: str, address: str = "127.0.0.1") -> APIClient:
    api = APIClient(REMOTE_ADDR=address)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def report(org_a):
    return report_submit(
        data=ReportInput(narrative="Fictional test narrative about a worrying situation."),
        channel="web",
        organisation=org_a,
    ).report


def test_a_read_scope_reads_its_area_only_and_writes_nothing(bob, org_a, report) -> None:
    _token, key = api_token_create(actor=actor_of(bob, org_a), name="read", scopes=["reports:read"])
    api = client(key)

    assert api.get("/api/v1/reports").status_code == 200
    assert api.get(f"/api/v1/reports/{report.pk}").status_code == 200
    denied = api.post(f"/api/v1/reports/{report.pk}/notes", {"body": "A note."}, format="json")
    assert denied.status_code == 403
    assert denied.json()["error"]["message"] == "This token's scopes do not cover this operation."
    assert api.get("/api/v1/me").status_code == 403  # the account area is not in its scopes
    assert ReportNote.objects.count() == 0


def test_a_write_scope_includes_reading(bob, org_a, report) -> None:
    _token, key = api_token_create(actor=actor_of(bob, org_a), name="write", scopes=["reports:write"])
    api = client(key)

    assert api.get("/api/v1/reports").status_code == 200
    assert (
        api.post(f"/api/v1/reports/{report.pk}/notes", {"body": "A note."}, format="json").status_code == 201
    )


def test_scopes_never_add_to_the_users_roles(analyst_a, org_a, report) -> None:
    _token, key = api_token_create(actor=actor_of(analyst_a, org_a), name="w", scopes=["reports:write"])
    answer = client(key).post(f"/api/v1/reports/{report.pk}/notes", {"body": "A note."}, format="json")
    assert answer.status_code == 403  # an analyst may not triage, whatever the token says
    assert ReportNote.objects.count() == 0


def test_another_organisations_report_is_not_found_with_any_scope(operator_b, org_b, report) -> None:
    _token, key = api_token_create(actor=actor_of(operator_b, org_b), name="w", scopes=["reports:write"])
    assert client(key).get(f"/api/v1/reports/{report.pk}").status_code == 404


def test_an_expired_token_is_refused(bob, org_a) -> None:
    token, key = api_token_create(
        actor=actor_of(bob, org_a), name="soon", expires_at=timezone.now() + timedelta(hours=1)
    )
    assert client(key).get("/api/v1/me").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    answer = client(key).get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "Invalid or revoked token."


def test_an_allow_list_admits_its_networks_only(bob, org_a) -> None:
    token, key = api_token_create(
        actor=actor_of(bob, org_a), name="office", allowed_ips=["203.0.113.0/24", "2001:db8::1"]
    )

    assert token.allowed_ips == ["203.0.113.0/24", "2001:db8::1/128"]
    assert client(key, "203.0.113.77").get("/api/v1/me").status_code == 200
    assert client(key, "2001:db8::1").get("/api/v1/me").status_code == 200
    refused = client(key, "198.51.100.1").get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "This token may not be used from this address."


@pytest.mark.parametrize(
    ("limits", "field"),
    [
        ({"scopes": ["reports:delete"]}, "scopes"),
        ({"allowed_ips": ["not-an-address"]}, "allowed_ips"),
        ({"expires_at": "past"}, "expires_at"),
    ],
)
def test_bad_limits_are_refused(bob, org_a, limits, field) -> None:
    if limits.get("expires_at") == "past":
        limits = {"expires_at": timezone.now() - timedelta(minutes=1)}
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=actor_of(bob, org_a), name="bad", **limits)
    assert list(error.value.message_dict) == [field]
    assert not ApiToken.objects.exists()


def test_the_tokens_page_creates_a_limited_token(bob, client_for) -> None:
    response = client_for(bob).post(
        "/accounts/tokens/",
        {"name": "Telephony", "scopes": ["reports:read", "cases:write"], "allowed_ips": "203.0.113.0/24\n"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=bob)
    assert (token.scopes, token.allowed_ips) == (["cases:write", "reports:read"], ["203.0.113.0/24"])
    assert "reports:read" in response.content.decode()
