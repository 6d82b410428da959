"""Playwright fixtures: headless Debian Chromium against pytest-django's live server.

Screenshots go to ``artifacts/screenshots/`` (kept by CI). Browser tests are marked
``@pytest.mark.browser``; they need ``/usr/bin/chromium`` (installed by ``.ci/run``).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ViewportSize

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE: ViewportSize = {"width": 390, "height": 844}


def _serve_one_request_at_a_time_on_sqlite() -> None:
    """On SQLite the live server's threads share the test's one in-memory connection, so two
    requests at once (a page and its service worker's prefetch) can collide ("cannot start a
    transaction within a transaction"). There the live server answers one request at a time;
    it closes each connection, so a browser's keep-alive never holds it. PostgreSQL keeps the
    threaded server."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            # LiveServerThread.run already put the shared connections in place in this thread.
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = SerialWSGIServer  # type: ignore[assignment]  # any WSGIServer serves


DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session; each test gets its own context (see ``page``)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def serial_live_server_on_sqlite() -> None:
    """Before any live server starts (autouse fixtures of a scope come first)."""
    _serve_one_request_at_a_time_on_sqlite()


@pytest.fixture
def page(live_server: Any, chromium: Any) -> Iterator[Any]:
    """A tab in a fresh browser context, its base URL at the live server.

    A context per test shares nothing with the one before: no cookies, storage or service
    worker. (A shared profile let a service worker still caching the previous test's course
    pages set a new CSRF cookie under the next test's sign-in form.)

    The test fails if any page it visited broke the Content Security Policy (an inline script
    or style, a third-party asset) or raised a JavaScript error. ``live_server`` comes first so
    that, at the end of the session, the browser closes its connections before the server stops.
    """
    context = chromium.new_context(viewport=DESKTOP, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.base_url = live_server.url
    problems: list[str] = []
    tab.on("console", lambda message: _note_console_problem(message, problems))
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    yield tab
    context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems))


def _note_console_problem(message: Any, problems: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        problems.append(f"CSP violation: {message.text}")


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core.min.js"


def accessibility_violations(page: Any, *, impact: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """WCAG 2.1 A/AA violations on the current page found by axe-core, as readable lines.

    axe is evaluated through the DevTools protocol, so the page's CSP stays in force.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:3])
        for violation in results
        if violation["impact"] in impact
    ]


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, user: Any, password: str) -> None:
    """Sign in through the real pages: password, then the current TOTP code."""
    from safeguard.testing.fixtures import current_code

    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r".*/dashboard/"))


__all__ = [
    "DESKTOP",
    "PHONE",
    "accessibility_violations",
    "chromium",
    "page",
    "screenshot",
    "serial_live_server_on_sqlite",
    "sign_in",
]
