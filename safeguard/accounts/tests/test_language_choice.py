"""The language switcher: a public visitor's choice stays in the language cookie alone; a signed-in
user's is kept on the account (only with their CSRF token) and comes back when they sign in
on another browser."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from safeguard.accounts.models import User
from safeguard.testing.fixtures import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _token(client: Client) -> str:
    page = client.get("/dashboard/").content.decode()
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_a_public_visitors_choice_is_a_cookie_and_nothing_else() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "sw", "next": "/"})
    assert response.status_code == 302
    assert set(response.cookies) == {settings.LANGUAGE_COOKIE_NAME}
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sw"
    assert '<html lang="sw" dir="ltr">' in client.get("/").content.decode()


def test_a_signed_in_users_choice_is_kept_and_comes_back_at_the_next_sign_in(
    bob: User, charlie: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(bob)
    client.handler.enforce_csrf_checks = True  # as a browser is held to it
    response = client.post(
        "/i18n/setlang/", {"language": "ar", "next": "/dashboard/", "csrfmiddlewaretoken": _token(client)}
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    charlie.refresh_from_db()
    assert (bob.language, charlie.language) == ("ar", "")  # the other organisation's user untouched

    elsewhere = Client()  # another browser: no language cookie, an English browser
    signed_in = elsewhere.post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = elsewhere.get(signed_in["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="ar" dir="rtl">' in page  # the second step of sign-in already in Arabic
    other = Client().post("/accounts/login/", {"username": charlie.email, "password": TEST_PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in other.cookies


def test_a_forged_switch_changes_at_most_the_cookie_never_the_account(
    bob: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(bob)
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/dashboard/"})  # no token
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.language == ""


def test_an_unknown_language_is_refused_and_not_kept(bob: User, client_for: Callable[[User], Client]) -> None:
    client = client_for(bob)
    client.handler.enforce_csrf_checks = True
    client.post("/i18n/setlang/", {"language": "xx", "next": "/", "csrfmiddlewaretoken": _token(client)})
    bob.refresh_from_db()
    assert bob.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
