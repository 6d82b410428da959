"""In Chromium: an operator filters the triage queue, sorts it, saves it as a view, opens the
queue again without filters and applies the view, getting the same rows back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguard.intake.choices import Channel, Urgency
from safeguard.intake.models import Report, SavedQueueView
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.browser import DESKTOP, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _report(org: Any, narrative: str, channel: str, urgency: int, days_ago: int) -> Report:
    report = report_submit(
        data=ReportInput(narrative=narrative, country="ES", subdivision="ES-MD", language="es"),
        channel=channel,
        organisation=org,
        created_at=timezone.now() - timedelta(days=days_ago),
    ).report
    Report.objects.filter(pk=report.pk).update(urgency=urgency)
    return report


def test_filter_the_queue_save_it_as_a_view_and_apply_it(page: Any, org_a: Any, bob: Any) -> None:
    older_sms = _report(org_a, "An older fictional SMS report.", Channel.SMS, Urgency.HIGH, 3)
    newer_sms = _report(org_a, "A newer fictional SMS report.", Channel.SMS, Urgency.LOW, 1)
    web = _report(org_a, "A fictional web report.", Channel.WEB, Urgency.CRITICAL, 2)
    page.set_default_timeout(60_000)  # the live server is slow under load
    expect.set_options(timeout=30_000)
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/accounts/login/", timeout=120_000)
    sign_in(page, bob, TEST_PASSWORD)

    page.goto(page.base_url + "/reports/")
    queue = page.locator("table.queue tbody")
    expect(queue.get_by_role("link", name=web.reference)).to_be_visible()
    page.get_by_label("Channel").select_option("sms")
    page.get_by_role("button", name="Filter").click()
    expect(queue.get_by_role("link", name=web.reference)).to_have_count(0)
    page.get_by_role("link", name="Received").click()  # oldest first
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text("Received ▲")
    expect(queue.locator("tr td:nth-child(2) > a:first-child")).to_have_text(
        [older_sms.reference, newer_sms.reference]
    )
    page.get_by_role("link", name="Received").click()  # then newest first
    expect(queue.locator("tr td:nth-child(2) > a:first-child")).to_have_text(
        [newer_sms.reference, older_sms.reference]
    )

    page.locator("details.saved-views summary").click()
    page.get_by_label("Name of the view").fill("SMS, newest first")
    page.get_by_role("button", name="Save this list as a view").click()
    expect(page.get_by_text("View saved.")).to_be_visible()
    view = SavedQueueView.objects.get()
    assert view.query == {"status": "open", "channel": "sms", "sort": "-received"}

    page.goto(page.base_url + "/reports/")
    expect(queue.get_by_role("link", name=web.reference)).to_be_visible()
    page.get_by_role("link", name="SMS, newest first").click()
    expect(page.get_by_text("Saved view: SMS, newest first")).to_be_visible()
    expect(page.get_by_label("Channel")).to_have_value("sms")
    expect(queue.locator("tr td:nth-child(2) > a:first-child")).to_have_text(
        [newer_sms.reference, older_sms.reference]
    )
    screenshot(page, "queue-saved-view-applied")
