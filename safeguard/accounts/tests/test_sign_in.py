from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.models import RecoveryCodeDevice
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import TEST_PASSWORD, current_code, make_member, signed_in_client

pytestmark = pytest.mark.django_db


def test_password_alone_does_not_reach_the_dashboard(bob) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/")

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/"


def test_password_and_totp_reach_the_dashboard(bob) -> None:
    client = signed_in_client(bob)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert b"Alpha Helpline" in response.content
    assert AuditEvent.objects.filter(actor=bob, action="auth.signed_in").count() == 1


def test_wrong_totp_code_is_refused_and_audited(bob) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})
    wrong = "000000" if current_code(bob) != "000000" else "111111"

    response = client.post("/accounts/mfa/", {"token": wrong})

    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert client.get("/dashboard/").status_code == 302
    assert AuditEvent.objects.filter(actor=bob, action="auth.mfa_failed").count() == 1


def test_wrong_password_is_refused_with_a_clear_message(bob) -> None:
    response = Client().post("/accounts/login/", {"username": bob.email, "password": "nope"})

    assert response.status_code == 200
    assert b"do not match an active account" in response.content


def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes(org_a) -> None:
    user = make_member(org_a, "caseworker", email="new@alpha.example")
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    client.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})

    setup = client.get("/accounts/mfa/")
    assert setup.status_code == 200
    assert b"Set up two-factor authentication" in setup.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.get("/dashboard/").status_code == 302

    confirm = client.post("/accounts/mfa/", {"token": current_code_of(device)})

    assert confirm.status_code == 200
    codes = confirm.context["codes"]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200
    # Only hashes are stored: no code appears in the database.
    stored = RecoveryCodeDevice.objects.get(user=user).codes.values_list("code_hash", flat=True)
    assert not {code.replace("-", "") for code in codes} & set(stored)


def test_a_recovery_code_works_once(org_a) -> None:
    user = make_member(org_a, "analyst", email="lost@alpha.example")
    device, _ = RecoveryCodeDevice.objects.get_or_create(user=user, defaults={"name": "r"})
    code = device.issue_codes(3)[0]

    first = Client()
    first.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    assert first.post("/accounts/mfa/", {"token": code}).status_code == 302
    assert first.get("/dashboard/").status_code == 200

    second = Client()
    second.post("/accounts/login/", {"username": user.email, "password": TEST_PASSWORD})
    response = second.post("/accounts/mfa/", {"token": code})
    assert response.status_code == 200
    assert second.get("/dashboard/").status_code == 302
    assert device.remaining() == 2


def test_repeated_failures_lock_the_account_even_with_the_right_password(bob, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": bob.email, "password": "wrong-password"})

    response = client.post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert b"Too many failed attempts" in response.content
    assert client.get("/dashboard/").status_code == 302


def test_a_deactivated_user_cannot_sign_in(bob) -> None:
    bob.is_active = False
    bob.save(update_fields=["is_active"])

    response = Client().post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert b"do not match an active account" in response.content


def test_sessions_expire_after_the_idle_timeout(bob) -> None:
    from safeguard import settings as production

    client = signed_in_client(bob)
    start = timezone.now()
    idle = timedelta(seconds=production.SESSION_COOKIE_AGE)
    assert idle == timedelta(minutes=30)

    # Each request within the idle time keeps the session alive for another 30 minutes ...
    with patch("django.utils.timezone.now", return_value=start + idle - timedelta(minutes=1)):
        assert client.get("/dashboard/").status_code == 200
    with patch("django.utils.timezone.now", return_value=start + 2 * idle - timedelta(minutes=2)):
        assert client.get("/dashboard/").status_code == 200
    # ... and 30 idle minutes after the last one the user must sign in again.
    with patch("django.utils.timezone.now", return_value=start + 3 * idle):
        response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_production_hashes_passwords_with_argon2() -> None:
    from safeguard import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sign_out_needs_post_and_ends_the_session(bob) -> None:
    client = signed_in_client(bob)
    assert client.get("/accounts/logout/").status_code == 405

    client.post("/accounts/logout/")

    assert client.get("/dashboard/").status_code == 302


def current_code_of(device: TOTPDevice) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_password_reset_mails_a_link_only_to_existing_accounts_and_says_the_same_either_way(bob) -> None:
    from django.core import mail

    known = Client().post("/accounts/password-reset/", {"email": bob.email}, follow=True)
    unknown = Client().post("/accounts/password-reset/", {"email": "nobody@test.example"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [("/accounts/password-reset/sent/", 302)]
    assert "Check your e-mail" in known.content.decode()
    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert "/accounts/reset/" in mail.outbox[0].body
