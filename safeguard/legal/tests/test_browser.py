"""The journey in a real browser, on a phone-sized window: an operator enters a teacher's report
and sees the reporting duty with its deadline; a caseworker opens a legal matter, records a
hearing and a compensation award. Screenshots are kept in artifacts/screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safeguard.core.templatetags.localised import when
from safeguard.intake.models import Report
from safeguard.legal.models import LegalMatter, ReportDuty
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, user):
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    page.context.clear_cookies()
    sign_in(page, user, TEST_PASSWORD)


def test_a_duty_on_a_new_report_and_a_hearing_and_award_on_a_case(
    page, bob, cara, case_a, gb, teacher_duty
) -> None:
    page.set_viewport_size(PHONE)
    as_user(page, bob)
    page.goto(f"{page.base_url}/reports/new/")
    page.locator("#id_channel").select_option("phone")
    page.locator('input[name="child_in_danger"][value="no"]').check()
    page.locator("#id_country").select_option("GB")
    page.locator("#id_narrative").fill("A pupil says she works nights in a bar (test).")
    page.locator("#id_relation").select_option("teacher")
    page.get_by_role("button", name="Save report").click()
    expect(page.get_by_role("heading", name="Legal frame")).to_be_visible()
    report = Report.objects.get()
    (duty,) = ReportDuty.objects.filter(report=report)
    deadline = when(duty.deadline)  # as every staff time: in the organisation's zone, named
    panel = page.locator(".legal-duty")
    expect(panel).to_contain_text("Teachers report within 24 hours")
    expect(panel).to_contain_text(f"by {deadline}")
    expect(panel).to_contain_text("Test Police")
    expect(page.get_by_text("Illustrative profile")).to_be_visible()
    screenshot(page, "legal-01-duty-on-a-new-report")
    page.goto(f"{page.base_url}/legal/GB/")
    expect(page.get_by_role("heading", name="Mandatory reporting duties")).to_be_visible()
    assert accessibility_violations(page) == []

    as_user(page, cara)
    page.goto(f"{page.base_url}/cases/{case_a.pk}/")
    page.get_by_role("button", name="Open a legal matter").click()
    page.get_by_label("Kind:", exact=True).select_option("criminal")
    page.get_by_label("Jurisdiction").select_option(label=str(gb))
    page.get_by_label("Court or authority").fill("Test Crown Court")
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_text("Legal matter opened.")).to_be_visible()
    matter = LegalMatter.objects.get()

    page.get_by_role("button", name="Schedule a hearing").click()
    hearing_at = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=10, minute=0)
    page.get_by_label("Date and time").fill(hearing_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Purpose").fill("Trial, day 1")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("Hearing scheduled; it is on the case's tasks.")).to_be_visible()
    page.get_by_role("link", name="Record as held").click()
    page.get_by_label("What happened").fill("Heard; the court reserved judgment.")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator("#hearings")).to_contain_text("held")

    page.get_by_role("button", name="Compensation").click()
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Claimed").fill("5000")
    page.get_by_label("Awarded").fill("3000")
    page.get_by_label("Paid").fill("4000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("More cannot be paid than was awarded.")).to_be_visible()
    page.get_by_label("Paid").fill("1000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#compensation")).to_contain_text("3000.00 EUR")
    screenshot(page, "legal-02-matter-with-hearing-and-award")
    assert accessibility_violations(page) == []
    matter.refresh_from_db()
    assert (str(matter.compensation_awarded), str(matter.compensation_paid)) == ("3000.00", "1000.00")
    assert matter.hearings.get().held_at is not None
