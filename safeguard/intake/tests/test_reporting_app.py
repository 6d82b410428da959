"""The installable reporting app (decision 123) and the quick exit (decision 122), without a
browser: what the manifest and the worker say, and the link every public page carries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_manifest_opens_the_report_form_full_screen() -> None:
    response = Client().get("/report/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/report/",
        "/report/",
        "fullscreen",
    )
    assert manifest["lang"] == "es" and "denunciar" in manifest["name"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]  # vendored


def test_the_worker_is_scoped_to_the_report_pages_and_keeps_only_static_files() -> None:
    response = Client().get("/report/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "__ASSETS__" not in body and "__STATIC_URL__" not in body
    assets = json.loads(body.split("const ASSETS = ", 1)[1].split(";\n", 1)[0])
    assert assets and all(url.startswith("/static/") for url in assets)
    assert 'if (request.method !== "GET") return;' in body
    assert "localStorage" not in body and "indexedDB" not in body
    # Apart from the learning worker (decision 083): its own cache, its own scope.
    assert "safeguard-report-app-" in body and "safeguard-learning" not in body


@pytest.mark.parametrize("path", ["/report/", "/report/follow-up/", "/learn/", "/"])
def test_every_public_page_has_a_quick_exit_that_works_as_a_plain_link(path: str, settings: Any) -> None:
    settings.QUICK_EXIT_URL = "https://weather.example/"
    page = Client().get(path).content.decode()
    assert 'class="quick-exit" id="quick-exit" href="https://weather.example/"' in page
    assert 'rel="noreferrer"' in page and "Leave this site" in page
    assert "Staying safe on this device" in page and "Delete browsing data" in page
    assert "<script>" not in page  # no inline script: the CSP stays strict


def test_signed_in_staff_pages_have_no_quick_exit(alice: Any) -> None:
    client = Client()
    client.force_login(alice)
    assert 'id="quick-exit"' not in client.get("/learn/").content.decode()


def test_the_report_pages_link_the_app() -> None:
    page = Client().get("/report/").content.decode()
    assert '<link rel="manifest" href="/report/manifest.webmanifest">' in page
    assert 'data-service-worker="/report/sw.js" data-scope="/report/"' in page
