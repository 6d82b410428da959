"""The session id changes whenever the session gains privilege: MFA, and switching organisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.testing.fixtures import TEST_PASSWORD, current_code

pytestmark = pytest.mark.django_db


def test_passing_mfa_gives_a_new_session_id(bob: User) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})
    after_password = client.cookies["sessionid"].value

    response = client.post("/accounts/mfa/", {"token": current_code(bob)})

    assert response.status_code == 302
    after_mfa = client.cookies["sessionid"].value
    assert after_mfa != after_password
    stale = Client()
    stale.cookies["sessionid"] = after_password
    assert stale.get("/dashboard/").status_code == 302


def test_switching_organisation_gives_a_new_session_id(
    org_a: Organisation,
    org_b: Organisation,
    member: Callable[..., User],
    client_for: Callable[[User], Client],
) -> None:
    both = member(org_a, "operator")
    member(org_b, "caseworker", email=both.email)
    client = client_for(both)
    before = client.cookies["sessionid"].value

    response = client.post("/accounts/organisation/", {"organisation": str(org_b.pk)})

    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("value", ["abc", "", "-1", "1e9"])
def test_a_malformed_organisation_choice_is_refused_not_a_crash(
    value: str, bob: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(bob)

    response = client.post("/accounts/organisation/", {"organisation": value})

    assert response.status_code == 403
