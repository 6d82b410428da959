"""In Chromium (issue 16 §1 and §3): the installable app's worker and manifest load under the CSP;
a language switch mid-form keeps the answers; the review and receipt pages pass axe; a report
sent while the connection is down is kept in memory and sent once it is back, only once; the
worker keeps no page and nothing is written to the device; the quick exit with and without
JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.intake.models import Report
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORED_ON_DEVICE = """async () => {
  const kept = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) kept.push(request.url);
  }
  const databases = indexedDB.databases ? (await indexedDB.databases()).length : 0;
  return {kept, local: localStorage.length, session: sessionStorage.length, databases};
}"""


def test_the_reporting_app_keeps_answers_sends_once_and_leaves_quickly(
    page: Any, org_a: Any, settings: Any
) -> None:
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    settings.QUICK_EXIT_URL = page.base_url + "/learn/hotlines/"
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/report/")
    scope = page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")
    assert scope == page.base_url + "/report/"
    manifest = page.request.get(page.base_url + page.locator("link[rel=manifest]").get_attribute("href"))
    assert manifest.ok and manifest.json()["display"] == "fullscreen"

    page.get_by_label("No", exact=True).check()
    page.get_by_label("Country").select_option("ES")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("What happened?").fill("A fictional girl sells flowers at night in Plaza Inventada.")
    # Changing language mid-form: the same step comes back in French with the answer.
    page.select_option("#language", "fr")
    expect(page.locator("html[lang=fr]")).to_have_count(1)
    expect(page.get_by_label("Que s'est-il passé ?")).to_have_value(
        "A fictional girl sells flowers at night in Plaza Inventada."
    )
    for _ in range(4):
        page.locator("button[name=action][value=next]").click()
    expect(page.get_by_text("Dernière étape : vérifiez vos réponses")).to_be_visible()
    expect(page.get_by_text("Plaza Inventada")).to_be_visible()
    assert accessibility_violations(page) == []
    screenshot(page, "intake-review-fr-phone")

    # The connection drops as the report is sent: kept in memory, said so, sent when back.
    page.context.set_offline(True)
    try:
        page.get_by_role("button", name="Envoyer le signalement").click()
        expect(page.locator(".send-status")).to_contain_text("La connexion a été coupée")
        assert Report.objects.count() == 0
    finally:
        page.context.set_offline(False)
    expect(page.locator(".receipt")).to_be_visible()
    receipt = re.sub(r"\s+", "", page.locator(".receipt").inner_text())
    assert re.fullmatch(r"([0-9A-Z]{4}-){5}[0-9A-Z]{4}", receipt), receipt
    assert Report.objects.count() == 1
    expect(page.get_by_role("button", name="Copier le code")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger en fichier texte").click()
    assert receipt in Path(download.value.path()).read_text(encoding="utf-8")
    assert accessibility_violations(page) == []
    screenshot(page, "intake-receipt-fr-phone")

    stored = page.evaluate(STORED_ON_DEVICE)
    assert stored["kept"], "the worker kept the static files"
    assert all("/static/" in url for url in stored["kept"]), stored["kept"]  # never a page or a POST
    assert (stored["local"], stored["session"], stored["databases"]) == (0, 0, 0)

    # Reloading shows the page without the code, and sends nothing again.
    page.reload()
    expect(page.get_by_text("a déjà été envoyé")).to_be_visible()
    expect(page.locator(".receipt")).to_have_count(0)
    assert Report.objects.count() == 1

    # Quick exit with JavaScript: Escape three times; the neutral page replaces this one.
    entries = page.evaluate("history.length")
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(settings.QUICK_EXIT_URL)
    assert page.evaluate("history.length") == entries

    # Without JavaScript "Leave this site" is a plain link.
    plain = page.context.browser.new_context(java_script_enabled=False)
    try:
        tab = plain.new_page()
        tab.goto(page.base_url + "/report/")
        tab.get_by_role("link", name="Leave this site").click()
        tab.wait_for_url(settings.QUICK_EXIT_URL)
    finally:
        plain.close()
