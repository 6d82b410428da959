"""In a real browser: the case team reviews a potential match, confirms it, and every tracing page
passes axe (WCAG 2.1 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safeguard.testing.browser import PHONE, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD
from safeguard.tracing.models import MatchStatus, TracingMatch, TracingState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_confirming_a_match_in_the_browser(page, cara, tracing_request, enquiry) -> None:
    page.set_default_timeout(60_000)  # the live server is slow on a loaded machine
    expect.set_options(timeout=30_000)
    sign_in(page, cara, TEST_PASSWORD)

    page.goto(f"{page.base_url}/tracing/")
    expect(page.get_by_role("heading", name="Children being traced")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name=tracing_request.case.reference).click()
    expect(page.get_by_role("heading", name="Potential matches with enquiries")).to_be_visible()
    expect(page.get_by_text("names sound alike")).to_be_visible()
    assert accessibility_violations(page) == []
    screenshot(page, "tracing-01-request-with-match")

    page.get_by_role("button", name="Confirm or reject").click()
    page.get_by_label("Yes: confirm the match").check()
    page.get_by_label("Note").fill("The mother described the gap in her teeth (fictional).")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision saved.")).to_be_visible()
    expect(page.get_by_text("Family verified")).to_be_visible()
    assert TracingMatch.objects.get().status == MatchStatus.CONFIRMED
    tracing_request.refresh_from_db()
    assert tracing_request.state == TracingState.VERIFIED

    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/tracing/enquiries/{enquiry.pk}/")
    expect(page.get_by_role("heading", name="Potential matches with children")).to_be_visible()
    assert accessibility_violations(page) == []
    screenshot(page, "tracing-02-enquiry-phone")

    page.goto(f"{page.base_url}/tracing/enquiries/new/")
    expect(page.get_by_text("No photograph is ever stored here")).to_be_visible()
    assert accessibility_violations(page) == []
