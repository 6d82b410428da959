"""Sign-in protection that cannot be used against its users: lock-out per (account, address)
with growing waits and a notice to the holder; resets rate-limited and answered alike; API
tokens of users without a role answer only 403; client addresses through trusted proxies only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from safeguard.accounts import signin
from safeguard.accounts.models import Membership, Organisation, User
from safeguard.accounts.services import api_token_create
from safeguard.core.clientaddress import parse_networks, resolve
from safeguard.testing.fixtures import TEST_PASSWORD, actor_of

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"


def _fail(user: User, address: str, times: int) -> None:
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong-password"})


def test_failures_from_one_address_do_not_lock_the_holder_out_elsewhere(bob: User, settings: Any) -> None:
    _fail(bob, ATTACKER, settings.AXES_FAILURE_LIMIT)

    from_attacker = Client(REMOTE_ADDR=ATTACKER).post(
        "/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD}
    )
    from_office = Client(REMOTE_ADDR=OFFICE).post(
        "/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD}
    )

    assert from_attacker.status_code == 429
    assert from_office.status_code == 302
    assert from_office["Location"].startswith("/accounts/mfa/")


def test_the_account_holder_is_told_of_the_lock_out(bob: User, settings: Any) -> None:
    _fail(bob, ATTACKER, settings.AXES_FAILURE_LIMIT)

    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert "Sign-in from the address they used is paused for 30 minutes" in str(mail.outbox[0].body)


def test_locking_out_an_unknown_account_sends_nothing(settings: Any) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "nobody@test.example", "password": "x"})

    assert mail.outbox == []


def test_each_further_lock_within_a_day_doubles_the_wait(bob: User, settings: Any) -> None:
    from axes.models import AccessFailureLog

    request = RequestFactory().post("/accounts/login/", {"username": bob.email}, REMOTE_ADDR=ATTACKER)
    assert signin.cool_off(request) == timedelta(minutes=30)
    for locks, expected in ((1, 30), (2, 60), (3, 120), (7, 24 * 60), (12, 24 * 60)):
        AccessFailureLog.objects.all().delete()
        AccessFailureLog.objects.bulk_create(
            AccessFailureLog(
                username=bob.email,
                ip_address=ATTACKER,
                locked_out=True,
                user_agent="",
                http_accept="",
                path_info="",
            )
            for _ in range(locks)
        )
        assert signin.cool_off(request) == timedelta(minutes=expected), locks
    other_address = RequestFactory().post("/accounts/login/", {"username": bob.email}, REMOTE_ADDR=OFFICE)
    assert signin.cool_off(other_address) == timedelta(minutes=30)


def test_password_resets_are_limited_per_e_mail_and_say_so(bob: User) -> None:
    answers = [
        Client(REMOTE_ADDR=f"198.51.100.{i}")
        .post("/accounts/password-reset/", {"email": bob.email})
        .status_code
        for i in range(signin.RESET_LIMIT_PER_EMAIL + 1)
    ]

    assert answers == [302] * signin.RESET_LIMIT_PER_EMAIL + [429]
    assert len(mail.outbox) == signin.RESET_LIMIT_PER_EMAIL


def test_password_resets_are_limited_per_address(bob: User) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    answers = [
        client.post("/accounts/password-reset/", {"email": f"someone{i}@test.example"}).status_code
        for i in range(signin.RESET_LIMIT_PER_ADDRESS + 1)
    ]

    assert answers == [302] * signin.RESET_LIMIT_PER_ADDRESS + [429]
    limited = client.post("/accounts/password-reset/", {"email": bob.email})
    assert "Too many reset requests" in limited.content.decode()
    assert mail.outbox == []


def test_a_reset_request_only_enqueues_work(bob: User, django_capture_on_commit_callbacks: Any) -> None:
    from unittest.mock import patch

    with patch("safeguard.accounts.views.send_password_reset") as task:
        known = Client().post("/accounts/password-reset/", {"email": bob.email})
        unknown = Client().post("/accounts/password-reset/", {"email": "nobody@test.example"})

    assert known.status_code == unknown.status_code == 302
    assert [call.kwargs["email"] for call in task.enqueue.call_args_list] == [
        bob.email,
        "nobody@test.example",
    ]


def test_a_bad_reset_address_is_explained_and_kept() -> None:
    response = Client().post("/accounts/password-reset/", {"email": "not an address"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="not an address"' in response.content.decode()


def test_a_token_whose_user_lost_every_role_answers_only_403(bob: User, org_a: Organisation) -> None:
    key = api_token_create(actor=actor_of(bob, org_a), name="t")[1]
    Membership.objects.filter(user=bob).delete()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    answers = {
        path: client.get(path).status_code for path in ("/api/v1/me", "/api/v1/cases", "/api/v1/risk/runs")
    }

    assert answers == {"/api/v1/me": 403, "/api/v1/cases": 403, "/api/v1/risk/runs": 403}


def test_a_token_of_a_user_with_a_role_still_works(bob: User, org_a: Organisation) -> None:
    key = api_token_create(actor=actor_of(bob, org_a), name="t")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get("/api/v1/me").json()["roles"] == ["operator"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("198.51.100.1", "", "", "198.51.100.1"),
        ("198.51.100.1", "203.0.113.7", "", "198.51.100.1"),  # an untrusted peer cannot claim an address
        ("10.0.0.2", "203.0.113.7", "10.0.0.0/8", "203.0.113.7"),
        (
            "10.0.0.2",
            "1.2.3.4, 203.0.113.7",
            "10.0.0.0/8",
            "203.0.113.7",
        ),  # the client forged the first entry
        ("10.0.0.2", "203.0.113.7, 10.0.0.9", "10.0.0.0/8", "203.0.113.7"),  # two trusted hops
        ("10.0.0.2", "not-an-ip", "10.0.0.0/8", "10.0.0.2"),
        ("::1", "2001:db8::5", "::1", "2001:db8::5"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    remote: str, forwarded: str, trusted: str, expected: str
) -> None:
    assert resolve(remote, forwarded, parse_networks(trusted)) == expected


def test_a_bad_trusted_proxy_entry_is_named() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300' is not an IP address or network"):
        parse_networks("10.0.0.1, 10.0.0.300")


def test_behind_a_trusted_proxy_each_client_is_counted_apart(bob: User, settings: Any) -> None:
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        proxy.post("/accounts/login/", {"username": bob.email, "password": "wrong-password"})

    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=OFFICE)
    response = colleague.post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})

    assert response.status_code == 302


def test_the_lock_out_notice_is_in_the_holders_language(bob: User, settings: Any) -> None:
    User.objects.filter(pk=bob.pk).update(language="fr")
    _fail(bob, ATTACKER, settings.AXES_FAILURE_LIMIT)

    (notice,) = mail.outbox
    assert notice.subject == "Safeguard : tentatives de connexion échouées sur votre compte"
    assert "Sign-in from the address" not in str(notice.body) and "30 minutes" in str(notice.body)
