"""Offline use: the service worker and manifest, and which pages may be kept on a device."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safeguard.accounts.models import User
from safeguard.learning.models import Course

pytestmark = pytest.mark.django_db

SLUG = "stay-safe-young-people"


def test_the_service_worker_is_served_from_the_learner_pages_scope(client: Client) -> None:
    response = client.get("/learn/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert 'response.headers.get("X-Safeguard-Offline") === "1"' in response.content.decode()


def test_the_manifest_makes_the_courses_installable(client: Client) -> None:
    manifest = client.get("/learn/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="es")
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert (body["start_url"], body["scope"], body["display"]) == ("/learn/", "/learn/", "standalone")
    assert body["icons"][0]["src"].endswith("learning/icon.svg")


def test_a_public_learners_course_pages_are_offered_offline(
    starter_courses: dict[str, Course], client: Client
) -> None:
    page = client.get(f"/learn/{SLUG}/")
    assert page["X-Safeguard-Offline"] == "1"
    html = page.content.decode()
    lessons = " ".join(f"/learn/{SLUG}/lessons/{n}/" for n in range(1, 6))
    assert f'data-urls="/learn/{SLUG}/ {lessons} /learn/{SLUG}/quiz/"' in html
    assert client.get(f"/learn/{SLUG}/quiz/")["X-Safeguard-Offline"] == "1"
    # Keeping a lesson for offline use does not count as reading it.
    client.get(f"/learn/{SLUG}/lessons/2/", HTTP_X_SAFEGUARD_PRECACHE="1")
    assert client.session["learning"][SLUG]["done"] == []
    client.get(f"/learn/{SLUG}/lessons/2/")
    assert client.session["learning"][SLUG]["done"] == [2]


def test_a_staff_learners_pages_are_never_kept_offline(
    starter_courses: dict[str, Course], bob: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(bob).get(f"/learn/{SLUG}/lessons/1/")
    assert page.status_code == 200
    assert "X-Safeguard-Offline" not in page
    assert 'id="offline-offer"' not in page.content.decode()
