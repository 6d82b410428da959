"""Error pages are the project's own, translated, and show visitors the way to the emergency numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import translation

from safeguard.accounts.models import User
from safeguard.core.errors import permission_denied

pytestmark = pytest.mark.django_db

NUMBERS_LINK = 'href="/learn/hotlines/"'
# What each page says, by language: the 400, CSRF, 404 and 500 pages' titles, and the 429 of the
# follow-up form (which keeps what was typed, see intake's tests).
SAYS = {
    "en": {400: "<h1>Bad request</h1>", "csrf": "<h1>This form has expired</h1>", 404: "<h1>Not found</h1>",
           429: "Too many attempts from this connection.", 500: "<h1>Something went wrong</h1>"},
    "es": {400: "<h1>Solicitud incorrecta</h1>", "csrf": "<h1>Este formulario ha caducado</h1>",
           404: "<h1>No encontrado</h1>", 429: "Demasiados intentos desde esta conexión.",
           500: "<h1>Algo salió mal</h1>"},
    "fr": {400: "<h1>Requête incorrecte</h1>", "csrf": "<h1>Ce formulaire a expiré</h1>",
           404: "<h1>Introuvable</h1>", 429: "Trop de tentatives depuis cette connexion.",
           500: "<h1>Une erreur s&#x27;est produite</h1>"},
}  # fmt: skip
STATUS = {400: 400, "csrf": 403, 404: 404, 429: 429, 500: 500}


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_public_error_pages_are_ours_translated_and_show_the_emergency_numbers(
    language: str, settings: Any
) -> None:
    settings.INTAKE_FOLLOW_UP_RATE = "0/h"
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    with mock.patch("safeguard.portal.views.render", side_effect=RuntimeError("a bug")):
        server_error = client.get("/")
    pages = {
        400: client.get("/", HTTP_HOST="not-allowed.example"),
        "csrf": Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language).post("/accounts/login/", {}),
        404: client.get("/no-such-page/"),
        429: client.post("/report/follow-up/", {"receipt": "AAAA"}),
        500: server_error,
    }
    for key, response in pages.items():
        page = response.content.decode()
        assert response.status_code == STATUS[key], key
        assert f'<html lang="{language}" dir="ltr">' in page, key
        assert SAYS[language][key] in page, (key, page[page.find("<main") :][:400])
        assert NUMBERS_LINK in page, key


def test_a_visitor_refused_sees_the_emergency_numbers(rf: Any) -> None:
    for language, title in (("en", "Not allowed"), ("es", "No permitido"), ("fr", "Non autorisé")):
        request = rf.get("/")
        request.user = AnonymousUser()
        with translation.override(language):
            page = permission_denied(request).content.decode()
        assert f"<h1>{title}</h1>" in page and NUMBERS_LINK in page


def test_staff_refused_get_our_page_without_the_public_note(
    bob: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(bob).get("/audit/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in page
    assert NUMBERS_LINK not in page


def test_the_500_page_renders_even_when_its_context_cannot_be_built(rf: Any) -> None:
    from safeguard.core import errors

    request = rf.get("/")
    with mock.patch.object(errors, "render", side_effect=RuntimeError("database gone")):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()
