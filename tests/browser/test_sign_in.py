"""A person signs in through the real pages in Chromium: password, TOTP, their dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from safeguard.accounts.roles import Role
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_org_admin_signs_in_with_mfa_and_sees_their_dashboard(page, org_a) -> None:
    admin = make_member(org_a, Role.ORG_ADMIN, email="ada@alpha.example", name="Ada Admin")

    sign_in(page, admin, TEST_PASSWORD)

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert "Alpha Helpline" in page.locator("main hgroup").inner_text()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Users")).to_be_visible()
    expect(nav.get_by_role("link", name="Audit log")).to_be_visible()
    screenshot(page, "foundation-dashboard-org-admin")

    nav.get_by_role("link", name="Audit log").click()
    expect(page.get_by_text("auth.signed_in").first).to_be_visible()
    screenshot(page, "foundation-audit-log")


def test_an_operator_is_stopped_at_the_code_step_until_it_is_right(page, org_a) -> None:
    operator = make_member(org_a, Role.OPERATOR, email="otto@alpha.example")
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("E-mail").fill(operator.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_text("That code is not valid")).to_be_visible()
    screenshot(page, "foundation-mfa-wrong-code")
    page.goto(page.base_url + "/dashboard/")
    assert "/accounts/mfa/" in page.url


def test_the_public_landing_page_fits_a_phone_and_switches_language(page) -> None:
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/")
    expect(page.get_by_role("button", name="Make a report")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(page, "foundation-home-phone")

    page.get_by_label("Language").select_option("es")
    page.wait_for_selector("html[lang=es]")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Proteger a los niños y niñas de la trata, juntos"
    )
    screenshot(page, "foundation-home-phone-es")


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/password-reset/", "/report/", "/report/follow-up/"]
)
def test_public_pages_meet_wcag_aa_as_far_as_axe_can_tell(page, path) -> None:
    page.goto(page.base_url + path)
    assert accessibility_violations(page) == []
