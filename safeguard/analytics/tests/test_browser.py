"""An analyst opens a network, clicks an identifier and sees its reports; an operator sees the
link alert on a new report."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.analytics.models import Network, PersonLinkCandidate
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.intake import services as intake_services
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.testing.browser import DESKTOP, PHONE, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD, make_member


def _report(organisation: Organisation, **fields: Any) -> Report:
    fields.setdefault("narrative", "Fictional test narrative: a man offers jobs abroad to teenagers (test).")
    fields.setdefault("country", "ES")
    fields.setdefault("subdivision", "ES-MD")
    return intake_services.report_submit(
        data=intake_services.ReportInput(**fields), channel=Channel.PHONE, organisation=organisation
    ).report


@pytest.fixture
def helpline(transactional_db: None) -> Organisation:
    return Organisation.objects.create(
        name="Alpha Helpline (test)", slug="alpha-browser", kind=OrganisationKind.NGO
    )


@pytest.mark.browser
def test_analyst_opens_a_network_and_an_identifier(page: Any, helpline: Organisation) -> None:
    analyst = make_member(helpline, Role.ANALYST, email="ana@alpha.example", name="Ana Analyst")
    reports = [
        _report(helpline, identifiers=[("phone", "612 345 678"), ("handle", "@vex_doe")]),
        _report(helpline, identifiers=[("phone", "+34 612 345 678")]),
        _report(helpline, identifiers=[("handle", "vex_doe"), ("email", "jobs@agency-x.example")]),
        _report(helpline, identifiers=[("email", "jobs@agency-x.example")]),
    ]
    records_extract_all()
    networks_rebuild()
    network = Network.objects.get()

    sign_in(page, analyst, TEST_PASSWORD)
    page.get_by_role("link", name="Analytics").first.click()
    page.get_by_role("link", name=f"Network {network.pk}").click()
    page.wait_for_selector("#network-graph[data-ready='true'] canvas")
    expect(page.locator("#network-graph canvas").first).to_be_visible()
    screenshot(page, "analytics-network")

    page.get_by_role("link", name=re.compile(r"Phone number •••678")).click()
    page.wait_for_url(re.compile(r".*/analytics/entities/\d+/"))
    expect(page.locator("#entity-records tbody tr")).to_have_count(2)
    for report in reports[:2]:
        expect(page.get_by_role("link", name=report.reference)).to_be_visible()
    expect(page.get_by_text("+34612345678")).to_be_visible()
    screenshot(page, "analytics-entity")

    page.set_viewport_size(PHONE)
    page.goto(page.base_url + f"/analytics/networks/{network.pk}/")
    page.wait_for_selector("#network-graph[data-ready='true'] canvas")
    screenshot(page, "analytics-network-phone")
    page.set_viewport_size(DESKTOP)


@pytest.mark.browser
def test_operator_sees_the_link_alert_on_a_new_report(page: Any, helpline: Organisation) -> None:
    operator = make_member(helpline, Role.OPERATOR, email="oscar@alpha.example", name="Oscar Operator")
    _report(helpline, identifiers=[("phone", "612 345 678")])
    _report(helpline, identifiers=[("phone", "612345678")])
    records_extract_all()
    networks_rebuild()
    network = Network.objects.get()
    # Not inside a test transaction: intake's on-commit signal runs the alert task inline.
    new = _report(helpline, narrative="Caller says a recruiter uses 612 345 678 to contact girls (test).")
    new.refresh_from_db()
    assert new.urgency_raises.count() == 1

    sign_in(page, operator, TEST_PASSWORD)
    page.goto(page.base_url + "/reports/")
    page.get_by_role("link", name=new.reference).click()
    alert = page.get_by_text(f"Linked to network {network.pk} (2 reports) through phone number •••678")
    expect(alert).to_be_visible()
    screenshot(page, "analytics-operator-alert")


# In Chromium: the triage page suggests a duplicate and merges it; the review queue explains a
# pair with its match-weight waterfall (desktop and phone width, with screenshots).
DUPLICATE_TEXT = (
    "A man in a grey van waits outside the school gate every afternoon and offers the older girls "
    "jobs in a restaurant in another city, with free travel and a place to stay (test)."
)


@pytest.mark.browser
def test_operator_merges_a_suggested_duplicate(page: Any, helpline: Organisation) -> None:
    operator = make_member(helpline, Role.OPERATOR, email="olga@alpha.example", name="Olga Operator")
    first = _report(helpline, narrative=DUPLICATE_TEXT, identifiers=[("phone", "612 345 678")])
    second = _report(helpline, narrative=DUPLICATE_TEXT, identifiers=[("phone", "+34 612-345-678")])
    page.set_default_navigation_timeout(60_000)  # the first page of the live server can be slow under load
    sign_in(page, operator, TEST_PASSWORD)
    for size, name in (
        (DESKTOP, "triage-duplicate-suggestion"),
        (PHONE, "triage-duplicate-suggestion-phone"),
    ):
        page.set_viewport_size(size)
        page.goto(f"{page.base_url}/reports/{second.pk}/")
        section = page.locator("section.duplicate-suggestions")
        expect(section).to_contain_text(first.reference)
        expect(section).to_contain_text("Shares: phone number")
        expect(section).to_contain_text("Narrative 100% alike")
        section.scroll_into_view_if_needed()
        screenshot(page, name)
    assert accessibility_violations(page) == []
    page.get_by_role("button", name=f"Merge with {first.reference}").click()
    expect(page.locator("body")).to_contain_text("are one report now")
    expect(page.locator("section.duplicate-suggestions")).to_have_count(0)


@pytest.mark.browser
def test_analyst_reads_why_a_pair_was_scored(page: Any, helpline: Organisation) -> None:
    analyst = make_member(helpline, Role.ANALYST, email="an@alpha.example", name="Ana Analyst")
    first = _report(
        helpline, narrative="Seen at the station (test).", suspects=[{"names": "Boris Fictionov"}]
    )
    second = _report(
        helpline, narrative="Seen at the market (test).", suspects=[{"names": "Borys Fictionov"}]
    )
    PersonLinkCandidate.objects.create(
        organisation=helpline,
        left_id=f"report:{first.pk}:suspect:0",
        right_id=f"report:{second.pk}:suspect:0",
        probability=0.7589,
        match_weight=1.654,
        prior_weight=-4.1,
        comparisons=[
            {
                "column": "name",
                "level": "Jaro-Winkler distance of f0_name >= 0.92",
                "gamma": 4,
                "weight": 6.2,
            },
            {"column": "name_variants", "level": "All other comparisons", "gamma": 0, "weight": -0.737},
            {"column": "place", "level": "Exact match on f5_place", "gamma": 2, "weight": 0.29},
            {"column": "birth_year", "level": "null", "gamma": -1, "weight": 0.0},
        ],
    )
    page.set_default_navigation_timeout(60_000)  # as above
    sign_in(page, analyst, TEST_PASSWORD)
    for size, name in ((DESKTOP, "review-waterfall"), (PHONE, "review-waterfall-phone")):
        page.set_viewport_size(size)
        page.goto(f"{page.base_url}/analytics/review/")
        expect(page.locator("svg.an-waterfall")).to_be_visible()
        table = page.locator("table.an-wf-table")
        expect(table).to_contain_text("Jaro-Winkler distance of name >= 0.92")
        expect(table).to_contain_text("Prior: any two people")
        screenshot(page, name)
    assert accessibility_violations(page) == []
