"""An analyst opens a network, clicks an identifier and sees its reports; an operator sees the
link alert on a new report."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.analytics.models import Network
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.intake import services as intake_services
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.testing.browser import DESKTOP, PHONE, screenshot, sign_in
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
