"""Every step of the public report form passes the axe WCAG 2.1 AA check, on a phone."""

from __future__ import annotations

import pytest

from safeguard.testing.browser import PHONE, accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_step_of_the_report_form_is_accessible(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/report/")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Country").select_option("ES")

    for step in range(1, 6):
        page.get_by_text(f"Step {step} of 6").first.wait_for()
        assert accessibility_violations(page) == [], f"step {step}"
        if step == 2:
            page.get_by_label("What happened?").fill("A fictional test: a boy sells sweets late at night.")
        if step < 5:
            page.get_by_role("button", name="Next").click()
