"""The whole journey in a real browser: a child registered from a report, assessed, planned,
referred to a shelter whose worker accepts, followed up, and the case closed with approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safeguard.cases.models import Case, CaseStatus, ReferralStatus
from safeguard.cases.tests.test_from_report import make_report
from safeguard.testing.browser import PHONE, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, user):
    # A TOTP code is accepted once; signing the same person in again within its 30 seconds
    # stands for them typing the next code.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    page.context.clear_cookies()
    sign_in(page, user, TEST_PASSWORD)


def test_case_journey(page, cara, sue, hana, org_a, shelter_service) -> None:
    page.set_default_timeout(60_000)  # the live server is slow on a loaded machine
    expect.set_options(timeout=30_000)
    soon = (timezone.localdate() + timedelta(days=7)).isoformat()
    report = make_report(org_a)

    as_user(page, cara)
    page.goto(f"{page.base_url}/cases/new/?report={report.pk}")
    page.get_by_label("First name").fill("Vimo")
    page.get_by_label("Second name (family name)").fill("Demo-Child")
    screenshot(page, "cases-01-register-from-report")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Vimo Demo-Child").wait_for()
    case = Case.objects.get()
    assert case.source_report_id == report.pk

    page.get_by_role("button", name="Assess").click()
    for label, value in [("Immediate safety", "3"), ("Medical", "1"), ("Psychological", "2"), ("Legal", "1"),
                         ("Shelter", "3"), ("Education", "2"), ("Family tracing", "0")]:  # fmt: skip
        page.get_by_label(f"{label}:", exact=True).select_option(value)
    page.get_by_label("Notes: Shelter").fill("No safe place to sleep.")
    page.get_by_role("button", name="Save assessment").click()
    page.get_by_role("button", name="Write care plan").click()
    page.get_by_label("Goals").fill("Safe placement, then school.")
    page.locator('[name="items-0-need"]').select_option("shelter")
    page.locator('[name="items-0-action"]').fill("Emergency bed")
    page.locator('[name="items-0-due_on"]').fill(soon)
    screenshot(page, "cases-02-care-plan")
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Care plan submitted for approval.").wait_for()

    as_user(page, sue)
    screenshot(page, "cases-03-supervisor-dashboard")
    page.get_by_role("link", name=case.reference).first.click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Decision recorded.").wait_for()

    as_user(page, cara)
    page.goto(f"{page.base_url}/cases/{case.pk}/consents/new/")
    page.get_by_label("Given by").select_option("guardian")
    page.get_by_label("Consent to").select_option("share_organisation")
    page.get_by_label("Organisation (for sharing)").select_option(label="Haven Shelter")
    page.get_by_role("button", name="Save consent").click()
    page.get_by_role("button", name="Refer", exact=True).click()
    page.get_by_label("Need").select_option("shelter")
    page.get_by_label("Place (ISO 3166)").fill("GB")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Choose").click()
    page.get_by_label("What the provider needs to know").fill("Boy of 13 needs an emergency bed tonight.")
    page.get_by_label("Answer needed by").fill(soon)
    screenshot(page, "cases-04-referral")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_text("Referral sent to Haven Shelter.").wait_for()

    as_user(page, hana)
    page.get_by_role("link", name="Haven emergency beds").first.click()
    assert "Vimo" not in page.content()  # the first name was not shared
    page.get_by_label("Accept").check()
    screenshot(page, "cases-05-shelter-answers")
    page.get_by_role("button", name="Send answer").click()
    page.get_by_text("Answer recorded.").wait_for()
    assert case.referrals.get().status == ReferralStatus.ACCEPTED

    as_user(page, cara)
    page.goto(f"{page.base_url}/cases/{case.pk}/follow-ups/new/")
    page.get_by_label("Due").fill(soon)
    page.get_by_label("Purpose").fill("Visit at the shelter")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_role("link", name="Record").click()
    page.get_by_label("Child seen, doing well").check()
    page.get_by_label("Notes").fill("Settled in, wants to go back to school.")
    page.get_by_role("button", name="Record follow-up").click()
    page.get_by_role("button", name="Close", exact=True).click()
    page.get_by_label("Reason for closure").select_option("reintegrated")
    page.get_by_label("Details").fill("Reunified with family; school enrolled.")
    page.get_by_role("button", name="Ask for approval").click()

    as_user(page, sue)
    page.goto(f"{page.base_url}/cases/{case.pk}/close/decide/")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Decision recorded.").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    page.goto(f"{page.base_url}/cases/{case.pk}/")
    expect(page.locator("section[aria-labelledby=closures]")).to_contain_text("Approved by Sue Supervisor")
    expect(page.locator("section[aria-labelledby=follow-ups]")).to_contain_text("Child seen, doing well")
    expect(page.locator("ol.timeline")).to_contain_text("Settled in, wants to go back to school.")
    screenshot(page, "cases-06-closed-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "cases-07-closed-phone")
