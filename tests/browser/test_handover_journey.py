"""End to end in Chromium: the hotline routes a report to an NGO, the NGO's supervisor accepts
it on a phone and opens a case, and the hotline sees "case opened" — never the case."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.accounts.roles import Role
from safeguard.cases.models import Case
from safeguard.intake.choices import HandoverStatus
from safeguard.intake.models import ReportRoute
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hotline_routes_ngo_accepts_and_opens_a_case_hotline_sees_the_outcome(
    page: Any, org_a: Any, org_b: Any, bob: Any
) -> None:
    sam = make_member(org_b, Role.SUPERVISOR, email="sam@beta.example", name="Sam Supervisor")
    hotline_supervisor = make_member(org_a, Role.SUPERVISOR, email="sue@alpha.example", name="Sue Supervisor")
    report = report_submit(
        data=ReportInput(
            narrative="A girl of about 12 works at night in a fictional roadside bar; she looks frightened.",
            country="ES",
            children=[{"age": 12, "gender": "Feminine", "description": ""}],
            child_in_danger="yes",
        ),
        channel="web",
        organisation=org_a,
    ).report

    # The hotline operator hands the report to the NGO. (The live server's first answer can be
    # slow on a busy machine: wait for it once, then every step has the usual timeout.)
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/accounts/login/", timeout=120_000)
    sign_in(page, bob, TEST_PASSWORD)
    page.goto(f"{page.base_url}/reports/{report.pk}/")
    page.get_by_label("Route to").select_option(str(org_b.pk))
    page.get_by_role("button", name="Route", exact=True).click()
    expect(page.get_by_text("Report routed to Beta Foundation.")).to_be_visible()
    expect(page.locator(".handovers").get_by_text("Offered")).to_be_visible()
    screenshot(page, "handover-1-hotline-offered")

    # The NGO's supervisor, on a phone, finds it in the queue, accepts it and opens a case.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in(page, sam, TEST_PASSWORD)
    expect(page.get_by_text("1 open")).to_be_visible()
    screenshot(page, "handover-2-ngo-dashboard-phone")
    page.goto(page.base_url + "/reports/?status=offered")
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_role("heading", name="Hand-over to your organisation")).to_be_visible()
    screenshot(page, "handover-3-ngo-offered-phone")
    page.get_by_role("button", name="Accept the hand-over").click()
    expect(page.get_by_text("Hand-over accepted: the report is now")).to_be_visible()
    page.get_by_role("button", name="Open a case from this report").click()
    expect(page.get_by_label("First name")).to_be_visible()
    page.get_by_label("First name").fill("Ondine")
    page.get_by_label("Second name (family name)").fill("Fictitious")
    page.get_by_role("button", name="Register").click()
    case = Case.objects.get()
    expect(page.get_by_text(f"Case {case.reference} registered.")).to_be_visible()
    screenshot(page, "handover-4-ngo-case-opened-phone")
    route = ReportRoute.objects.get(report=report)
    assert (route.status, case.organisation, case.source_report) == (
        HandoverStatus.CASE_OPENED,
        org_b,
        report,
    )

    # The hotline (its supervisor: a TOTP code is accepted once) sees what became of it, and
    # nothing of the case.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, hotline_supervisor, TEST_PASSWORD)
    page.goto(f"{page.base_url}/reports/{report.pk}/")
    expect(page.get_by_text("Case opened by Beta Foundation on")).to_be_visible()
    body = page.locator("main").inner_text()
    assert case.reference not in body and "Ondine" not in body and "Sam Supervisor" not in body
    screenshot(page, "handover-5-hotline-sees-case-opened")
