"""One language of each script family, end to end in Chromium on a phone: the public report form
from the first step to the receipt in Thai, Chinese, Hindi and Arabic, and the staff triage pages
in Arabic. No text wider than the screen or its box, axe's WCAG 2.1 AA check on every page, and
screenshots under artifacts/screenshots/ for people to look at."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from safeguard.intake.models import Report
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.browser import DESKTOP, PHONE, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD
from tests.browser.test_right_to_left import OVERFLOWING, WIDER_THAN_THE_SCREEN

# On staff pages a wide table scrolls in its own box (.table-wrap), and a closed menu is not shown.
WIDER_THAN_THE_SCREEN_OUTSIDE_SCROLLED_TABLES = """() => [...document.querySelectorAll('body *')]
  .filter((element) => !element.closest('.table-wrap')
    && !(element.closest('details:not([open])') && !element.closest('summary')))
  .filter((element) => { const box = element.getBoundingClientRect();
    return box.width > 0 && (box.left < -1 || box.right > window.innerWidth + 1); })
  .map((element) => element.tagName + '.' + element.className + ' ' + element.textContent.slice(0, 30)).slice(0, 8)"""

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a reporter might type, in the page's own script (fictional).
NARRATIVES = {
    "th": "เด็กผู้หญิงอายุประมาณ 12 ปี ทำงานที่ร้านอาหารตอนกลางคืน และดูหวาดกลัว",
    "zh-hans": "一个大约十二岁的女孩每天夜里在餐馆干活，看起来很害怕。",
    "hi": "लगभग 12 साल की एक लड़की रात में एक ढाबे पर काम करती है और डरी हुई लगती है।",
    "ar": "فتاة في الثانية عشرة تقريبًا تعمل ليلًا في مطعم وتبدو خائفة.",
}


def _looks_right(page: Any, what: str, *, wide: str = WIDER_THAN_THE_SCREEN) -> None:
    screenshot(page, what)
    assert page.evaluate(wide) == [], what
    assert page.evaluate(OVERFLOWING) == [], what
    assert accessibility_violations(page) == [], what


@pytest.mark.parametrize("language", list(NARRATIVES))
def test_a_report_made_on_a_phone_from_first_step_to_receipt(page: Any, org_a: Any, language: str) -> None:
    page.set_viewport_size(PHONE)
    page.set_default_timeout(60_000)  # a loaded CI machine
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(page.base_url + "/report/", timeout=120_000)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_text("Is a child in danger right now?")).to_have_count(0)  # it is translated

    step = 1
    _looks_right(page, f"script-{language}-step-{step}-phone")
    page.locator("input[name$=child_in_danger][value=no]").check()
    page.locator("select[name$=country]").select_option("ES")
    page.locator("button[value=next]").click()
    page.locator("textarea[name$=narrative]").fill(NARRATIVES[language])
    while page.locator("button[value=submit]").count() == 0:
        step += 1
        _looks_right(page, f"script-{language}-step-{step}-phone")
        page.locator("button[value=next]").click()
    expect(page.get_by_text(NARRATIVES[language])).to_be_visible()  # the review shows it as typed
    _looks_right(page, f"script-{language}-review-phone")
    page.locator("button[value=submit]").click()

    expect(page.locator(".receipt")).to_be_visible()
    _looks_right(page, f"script-{language}-receipt-phone")
    report = Report.objects.get()
    assert (report.narrative, report.language) == (NARRATIVES[language], language)


def test_the_triage_queue_and_a_report_read_right_to_left_in_arabic(page: Any, org_a: Any, bob: Any) -> None:
    report = report_submit(
        data=ReportInput(narrative=NARRATIVES["ar"], country="EG", child_in_danger="yes"),
        channel="web",
        organisation=org_a,
    ).report
    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/accounts/login/", timeout=120_000)
    sign_in(page, bob, TEST_PASSWORD)
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": page.base_url}]
    )

    page.goto(page.base_url + "/reports/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("link", name=report.reference)).to_be_visible()
    expect(page.get_by_text("Triage queue")).to_have_count(0)
    _looks_right(page, "script-ar-triage-queue-desktop")

    page.set_viewport_size(PHONE)
    _looks_right(page, "script-ar-triage-queue-phone", wide=WIDER_THAN_THE_SCREEN_OUTSIDE_SCROLLED_TABLES)
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_text(NARRATIVES["ar"])).to_be_visible()
    _looks_right(page, "script-ar-report-phone", wide=WIDER_THAN_THE_SCREEN_OUTSIDE_SCROLLED_TABLES)
    page.locator(".nav-tools details.dropdown > summary").click()  # the account menu, open
    expect(page.locator(".menu-end button.link-button")).to_be_visible()
    _looks_right(page, "script-ar-account-menu-phone", wide=WIDER_THAN_THE_SCREEN)
