"""The public report form in Arabic and Persian, on a phone: right to left, nothing wider than the
screen, every step accessible; screenshots for people to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safeguard.testing.browser import PHONE, accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Anything wider than the viewport scrolls sideways on a phone: text that overflows its box.
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter((element) => { const box = element.getBoundingClientRect();
    return box.width > 0 && (box.left < -1 || box.right > window.innerWidth + 1); })
  .map((element) => element.tagName + '.' + element.className + ' ' + element.textContent.slice(0, 30)).slice(0, 8)"""
# (The honeypot field, .hp, is hidden in a 1-pixel box on purpose.)
OVERFLOWING = """() => [...document.querySelectorAll('main *')]
  .filter((element) => !element.closest('.hp') && element.scrollWidth > element.clientWidth + 1
    && getComputedStyle(element).overflowX === 'visible' && element.clientWidth > 0)
  .map((element) => element.tagName + '.' + element.className + ' ' + element.textContent.slice(0, 40)).slice(0, 5)"""


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_the_report_form_reads_right_to_left_on_a_phone(page, language: str) -> None:
    page.set_viewport_size(PHONE)
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(page.base_url + "/report/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", language)
    for step in range(1, 4):
        expect(page.locator("button[value=next]")).to_be_visible()
        screenshot(page, f"report-form-{language}-step-{step}-phone")
        wide = page.evaluate(WIDER_THAN_THE_SCREEN)
        assert wide == [], f"step {step}"
        assert page.evaluate(OVERFLOWING) == [], f"step {step}"
        assert accessibility_violations(page) == [], f"step {step}"
        if step == 1:
            page.locator("input[name$=child_in_danger][value=no]").check()
            page.locator("select[name$=country]").select_option("ES")
        page.locator("button[value=next]").click()
