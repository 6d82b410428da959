"""In Chromium: the country-level vulnerability map and the hotspot map draw real geography,
pan and zoom with the keyboard, and pass axe (screenshots of both)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.intake.services import ReportInput, report_submit
from safeguard.risk.models import Indicator, IndicatorValue, Region, RegionLevel
from safeguard.risk.services.runs import configuration_create, run_execute, run_request
from safeguard.testing.browser import accessibility_violations, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD, actor_of, make_member

COUNTRIES = [("ES", "Spain", 20.4), ("PT", "Portugal", 17.2), ("MA", "Morocco", 4.8), ("KE", "Kenya", 36.1)]


def _slow_server(page: Any) -> None:
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)


def _viewbox_after(page: Any, key: str) -> str:
    before = page.locator("svg.map").get_attribute("viewBox")
    page.locator(".map-figure").press(key)
    expect(page.locator("svg.map")).not_to_have_attribute("viewBox", before)
    return str(page.locator("svg.map").get_attribute("viewBox"))


@pytest.mark.browser
def test_country_vulnerability_map_on_natural_earth_boundaries(page: Any, transactional_db: None) -> None:
    ministry = Organisation.objects.create(slug="ministry", name="Ministry", kind=OrganisationKind.NGO)
    manager = make_member(ministry, Role.PROGRAMME_MANAGER, email="pm@ministry.example", name="Pat")
    actor: Actor = actor_of(manager, ministry)
    poverty = Indicator.objects.create(code="T.POV", name="Poverty", factor="economic", unit="%")
    for code, name, value in COUNTRIES:
        region = Region.objects.create(code=code, name=name, level=RegionLevel.COUNTRY, country_code=code)
        IndicatorValue.objects.create(region=region, indicator=poverty, year=2022, value=value)
    configuration = configuration_create(
        actor=actor,
        name="Countries",
        level=RegionLevel.COUNTRY,
        within=None,
        indicators=[poverty],
        perturbations=20,
    )
    run = run_execute(run_id=run_request(actor=actor, configuration=configuration).pk)
    _slow_server(page)
    sign_in(page, manager, TEST_PASSWORD)
    page.goto(f"{page.base_url}/risk/runs/{run.pk}/")

    areas = page.locator("svg.map .map-areas path")
    expect(areas.first).to_be_attached()
    assert areas.count() == len(COUNTRIES)  # a path per country, from the shipped boundaries
    assert page.locator('svg.map .map-basemap [data-country="IT"]').count() == 1  # land around them
    assert page.locator('svg.map [data-region="KE"]').count() == 1
    kenya = page.locator('svg.map a:has([data-region="KE"])')
    expect(kenya).to_have_attribute("aria-label", re.compile(r"Kenya: score [\d.]+, rank \d+ \(\d+–\d+\)"))
    screenshot(page, "vulnerability-country")

    zoomed = _viewbox_after(page, "+")
    assert float(zoomed.split()[2]) < float(page.locator("svg.map").get_attribute("data-width") or 0)
    _viewbox_after(page, "ArrowRight")
    _viewbox_after(page, "0")  # back to the whole map
    kenya.focus()
    expect(page.locator("[data-map-readout]")).to_contain_text("Kenya")
    assert accessibility_violations(page) == []


@pytest.mark.browser
def test_hotspot_map_places_the_week_on_real_subdivisions(page: Any, transactional_db: None) -> None:
    helpline = Organisation.objects.create(slug="helpline", name="Helpline", kind=OrganisationKind.HOTLINE)
    analyst = make_member(helpline, Role.ANALYST, email="ana@helpline.example", name="Ana")
    now = timezone.now()
    monday = now - dt.timedelta(days=now.weekday())
    for subdivision, weeks_ago, count in [("ES-MD", 0, 5), ("ES-MD", 3, 1), ("PT-13", 0, 1), ("ES-B", 1, 1)]:
        for _ in range(count):
            report = report_submit(
                data=ReportInput(
                    narrative="Fictional test narrative about a worrying situation.",
                    country=subdivision[:2],
                    subdivision=subdivision,
                ),
                channel=Channel.PHONE,
                organisation=helpline,
            ).report
            Report.objects.filter(pk=report.pk).update(
                created_at=monday - dt.timedelta(weeks=weeks_ago) + dt.timedelta(hours=1)
            )
    _slow_server(page)
    sign_in(page, analyst, TEST_PASSWORD)
    page.goto(f"{page.base_url}/analytics/hotspots/")

    expect(page.locator('svg.map [data-region="ES-MD"]')).to_be_attached()
    assert page.locator('svg.map [data-region="PT-13"]').count() == 1
    assert page.locator('svg.map .map-basemap [data-country="FR"]').count() == 1  # land around Iberia
    expect(page.locator("table#hotspot-trends")).to_contain_text("PT-13")
    screenshot(page, "hotspot-map")
    _viewbox_after(page, "+")
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("link", name=re.compile("Previous week")).click()
    expect(page.locator("body")).to_contain_text(re.compile(r"Week \d{4}-W\d{2}"))
    assert accessibility_violations(page) == []
    # The time slider: three weeks back by keyboard, and the map is that week's.
    page.goto(f"{page.base_url}/analytics/hotspots/")
    slider = page.locator("#week-slider")
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"week_slider=22"))
    three_weeks_ago = (monday - dt.timedelta(weeks=3)).date().isocalendar()
    expect(page.locator("#week-slider-label")).to_have_text(f"{three_weeks_ago[0]}-W{three_weeks_ago[1]:02d}")
    expect(page.locator("table#hotspot-trends")).not_to_contain_text("PT-13")


def _square(lon: float, lat: float) -> dict[str, Any]:
    ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.browser
def test_district_vulnerability_map_on_imported_custom_districts(page: Any, transactional_db: None) -> None:
    ministry = Organisation.objects.create(slug="ministry", name="Ministry", kind=OrganisationKind.NGO)
    manager = make_member(ministry, Role.PROGRAMME_MANAGER, email="pm@ministry.example", name="Pat")
    actor: Actor = actor_of(manager, ministry)
    poverty = Indicator.objects.create(code="T.POV", name="Poverty", factor="economic", unit="%")
    country = Region.objects.create(code="XE", name="Examplia (fictional)", level=RegionLevel.COUNTRY)
    districts = [("XE-01", "Amberfield", 0, 0, 12.0), ("XE-02", "Brackenmoor", 1, 0, 31.0),
                 ("XE-03", "Cinderford", 0, 1, 47.5), ("XE-04", "Dunmere", 1, 1, 22.2)]  # fmt: skip
    for code, name, column, row, value in districts:
        region = Region.objects.create(
            code=code,
            name=name,
            level=RegionLevel.DISTRICT,
            parent=country,
            shape=_square(10 + column, 5 + row),
        )
        IndicatorValue.objects.create(region=region, indicator=poverty, year=2022, value=value)
    configuration = configuration_create(
        actor=actor,
        name="Districts",
        level=RegionLevel.DISTRICT,
        within=country,
        indicators=[poverty],
        perturbations=20,
    )
    run = run_execute(run_id=run_request(actor=actor, configuration=configuration).pk)
    _slow_server(page)
    sign_in(page, manager, TEST_PASSWORD)
    page.goto(f"{page.base_url}/risk/runs/{run.pk}/")

    areas = page.locator("svg.map .map-areas path")
    expect(areas.first).to_be_attached()
    assert areas.count() == len(districts)  # a path per imported district
    assert page.locator("svg.map .map-basemap path").count() == 0  # a fictional country: no real land
    cinderford = page.locator('svg.map a:has([data-region="XE-03"])')
    expect(cinderford).to_have_attribute(
        "aria-label", re.compile(r"Cinderford: score [\d.]+, rank \d+ \(\d+–\d+\)")
    )
    screenshot(page, "vulnerability-district")
    _viewbox_after(page, "+")
    _viewbox_after(page, "ArrowDown")
    assert accessibility_violations(page) == []
