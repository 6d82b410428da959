"""In Chromium: the optional location picker on a phone (public form) and on a desktop (operator
intake): choose a region, click or key a point, send; the stored report has the coarse point, its
subdivision and the custom district around it. Screenshots: picker-phone.png, picker-desktop.png."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import Role
from safeguard.intake.models import Report
from safeguard.risk.models import Region, RegionLevel, ReportPlace
from safeguard.risk.services.places import report_place_assign
from safeguard.testing.browser import DESKTOP, PHONE, accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A fictional custom district drawn around central Madrid (imported GeoJSON in real use).
CENTRO = [[-4.0, 40.2], [-3.4, 40.2], [-3.4, 40.8], [-4.0, 40.8], [-4.0, 40.2]]


def _district() -> Region:
    spain = Region.objects.create(code="ES", name="Spain", level=RegionLevel.COUNTRY, country_code="ES")
    return Region.objects.create(
        code="ES-MD-CENTRO",
        name="Centro (fictional district)",
        level=RegionLevel.DISTRICT,
        parent=spain,
        country_code="ES",
        shape={"type": "Polygon", "coordinates": [CENTRO]},
    )


def _slow_server(page: Any) -> None:
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)


def _placed(report: Report) -> ReportPlace:
    report_place_assign(report_id=report.pk)  # what the worker does after intake
    return ReportPlace.objects.get(report=report)


def test_public_form_on_a_phone_region_then_a_clicked_point(page: Any, org_a: Organisation) -> None:
    district = _district()
    _slow_server(page)
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/report/")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("Country").select_option("ES")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("What happened?").fill("Fictional test: a girl sells flowers at night near a station.")
    picker = page.locator("[data-location-picker]")
    expect(picker.get_by_text("Choose a region above to see its map (optional).")).to_be_visible()
    page.get_by_label("Where did this happen?").select_option("ES-MD")
    region = picker.locator("svg.picker-map .picker-region")
    expect(region).to_be_visible()
    region.click()  # the middle of the region's box: central Madrid
    expect(picker.get_by_role("status")).to_contain_text("rounded to about 11 km")
    latitude = page.locator('input[name="latitude"]')
    assert 40.0 < float(latitude.input_value()) < 41.0
    assert -4.2 < float(page.locator('input[name="longitude"]').input_value()) < -3.2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert accessibility_violations(page) == []
    screenshot(page, "picker-phone")

    for _ in range(4):
        page.get_by_role("button", name=re.compile(r"^(Next|Check your answers)$")).click()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("sent|received", re.I))

    report = Report.objects.get()
    assert report.subdivision == "ES-MD"
    assert report.latitude is not None and report.longitude is not None
    assert (report.latitude, report.longitude) == (
        report.latitude.quantize(Decimal("0.1")),
        report.longitude.quantize(Decimal("0.1")),
    )  # stored coarse, to a tenth of a degree
    assert _placed(report).district == district
    assert ReportPlace.objects.get(report=report).subdivision == "ES-MD"


def test_operator_intake_on_a_desktop_keyboard_point_and_clear(page: Any, org_a: Organisation) -> None:
    Organisation.objects.filter(pk=org_a.pk).update(country="ES")
    district = _district()
    operator = make_member(org_a, Role.OPERATOR, email="olga@alpha.example", name="Olga")
    _slow_server(page)
    page.set_viewport_size(DESKTOP)
    sign_in(page, operator, TEST_PASSWORD)
    page.goto(page.base_url + "/reports/new/")
    expect(page.locator("#id_country")).to_have_value("ES")  # the organisation's country

    page.get_by_label("How did the report come in?").select_option("phone")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("What happened?").fill("Fictional test: a caller saw children working at night.")
    page.get_by_label("Where did this happen?").select_option("ES-MD")
    figure = page.get_by_role("application", name=re.compile("Map of Madrid"))
    latitude = page.locator('input[name="latitude"]')
    figure.focus()
    figure.press("Enter")  # the marker starts in the middle of the region
    first = float(latitude.input_value())
    figure.press("ArrowUp")
    expect(latitude).not_to_have_value(str(first))
    assert float(latitude.input_value()) > first  # up is north
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # a focus ring
    page.get_by_role("button", name="Clear the point").click()
    expect(latitude).to_have_value("")
    expect(page.locator("#location-picker-status")).to_have_text("No point chosen.")
    figure.press("Enter")
    figure.press("ArrowDown")
    assert latitude.input_value() != ""
    assert accessibility_violations(page) == []
    screenshot(page, "picker-desktop")
    page.get_by_role("button", name="Save report").click()
    expect(page.get_by_text("read them this receipt code")).to_be_visible()

    report = Report.objects.get()
    assert (report.country, report.subdivision, report.organisation_id) == ("ES", "ES-MD", org_a.pk)
    assert report.latitude is not None and report.latitude == report.latitude.quantize(Decimal("0.1"))
    assert _placed(report).district == district
