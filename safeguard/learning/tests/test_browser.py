"""On a phone: a young person takes the course in Spanish and passes; axe on every learner page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.learning.selectors import starter_packages
from safeguard.learning.services import starter_course_install
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "stay-safe-young-people"


def test_a_young_person_takes_the_course_in_spanish_on_a_phone(page: Any) -> None:
    for package in starter_packages():
        starter_course_install(content=package)
    page.set_viewport_size(PHONE)
    checked: dict[str, list[str]] = {}

    def visit(url: str) -> None:
        page.goto(page.base_url + url)
        checked[url] = accessibility_violations(page)

    for url in [
        "/learn/",
        "/learn/hotlines/",
        "/learn/signs/young_people/",
        "/learn/verify/",
        "/learn/verify/AAAA-BBBB-CCCC-DDDD/",
    ]:
        visit(url)
    visit(f"/learn/{SLUG}/?lang=es")
    expect(page.get_by_role("heading", name="Mantente a salvo: curso para jóvenes")).to_be_visible()
    page.get_by_role("button", name="Start the course").click()
    for number in range(1, 6):
        expect(page.get_by_text(f"Lesson {number} of 5")).to_be_visible()
        checked[f"lesson {number}"] = accessibility_violations(page)
        if number < 5:
            page.get_by_role("button", name="Next lesson").click()
    page.get_by_role("button", name="Take the quiz").click()
    checked["quiz"] = accessibility_violations(page)

    _answer_everything_right(page, "es")
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="You passed!")).to_be_visible()
    expect(page.get_by_text("Your score: 100.0% (pass mark 70%).")).to_be_visible()
    checked["results"] = accessibility_violations(page)
    screenshot(page, "learning-young-person-passed-es-phone")
    assert checked == {url: [] for url in checked}


def _answer_everything_right(page: Any, language: str) -> None:
    package = next(p for p in starter_packages() if p["slug"] == SLUG)
    for question in package["languages"][language]["questions"]:
        group = page.get_by_role("group", name=question["prompt"])
        if question["type"] == "ordering":
            for position, option in enumerate(question["options"], start=1):
                group.get_by_label(option["text"]).select_option(str(position))
        else:
            for option in question["options"]:
                if option.get("correct"):
                    group.get_by_label(option["text"], exact=True).check()


def test_the_course_works_offline_after_the_first_visit(page: Any, chromium: Any) -> None:
    for package in starter_packages():
        starter_course_install(content=package)
    page.set_default_timeout(60_000)
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + f"/learn/{SLUG}/?lang=es")
    expect(page.locator("#offline-status")).to_contain_text("kept on this device")
    try:
        chromium.set_offline(True)
        page.goto(page.base_url + f"/learn/{SLUG}/lessons/3/")
        expect(page.get_by_text("Lesson 3 of 5")).to_be_visible()
        page.get_by_role("button", name="Next lesson").click()
        expect(page.get_by_text("Lesson 4 of 5")).to_be_visible()
        page.goto(page.base_url + f"/learn/{SLUG}/quiz/")
        _answer_everything_right(page, "es")
        page.get_by_role("button", name="Check my answers").click()
        expect(page.locator("#offline-status")).to_contain_text("You are offline. Your answers are kept")
        assert page.evaluate("JSON.parse(localStorage.getItem('safeguard-learning-answers')).length") == 1
    finally:
        chromium.set_offline(False)
    # Back online the kept answers are sent and the learner lands on the course page, passed.
    expect(page.get_by_text("You passed this quiz.")).to_be_visible()
    assert page.evaluate("localStorage.getItem('safeguard-learning-answers')") is None
    # The lessons read offline came from the device: the server never saw them opened.
    expect(page.locator(".lesson-list li.done")).to_have_count(0)
    screenshot(page, "learning-offline-synced-phone")
