"""A programme manager imports indicators, runs an index, opens the map and a region profile."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.risk import demo
from safeguard.risk.models import Direction, Indicator, Region, RegionLevel
from safeguard.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from safeguard.testing.fixtures import TEST_PASSWORD, make_member


@pytest.fixture
def examplia(transactional_db: None) -> list[demo.District]:
    """Examplia's 30 district shapes and the catalogue, but no values yet: those are imported."""
    country = Region.objects.create(code="XE", name="Examplia (fictional)", level=RegionLevel.COUNTRY)
    districts = demo.examplia_districts(2026)
    for district in districts:
        Region.objects.create(
            code=district.code,
            name=district.name,
            level=RegionLevel.DISTRICT,
            parent=country,
            shape={"type": "Polygon", "coordinates": [district.polygon]},
            child_population=district.children,
        )
    for code, name, factor, direction, unit, log, _, _ in demo.INDICATORS:
        Indicator.objects.create(
            code=code,
            name=name,
            factor=factor,
            direction=Direction.MORE if direction == 1 else Direction.LESS,
            unit=unit,
            log_transform=log,
        )
    return districts


def _long_csv(districts: list[demo.District], tmp_path: Any) -> Any:
    path = tmp_path / "examplia-indicators.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["region", "year", "indicator", "value"])
    writer.writerows(demo.examplia_values(2026, districts))
    path.write_text(buffer.getvalue())
    return path


@pytest.mark.browser
def test_programme_manager_imports_runs_and_reads_the_map(page: Any, examplia: Any, tmp_path: Any) -> None:
    ministry = Organisation.objects.create(
        name="Ministry of Social Affairs (test)", slug="ministry", kind=OrganisationKind.NGO
    )
    manager = make_member(ministry, Role.PROGRAMME_MANAGER, email="pm@ministry.example", name="Pat Programme")
    sign_in(page, manager, TEST_PASSWORD)

    page.get_by_role("link", name="Vulnerability", exact=True).click()
    page.wait_for_url(re.compile(r".*/risk/$"))
    page.get_by_role("button", name="Import indicators").click()
    page.get_by_label("File (CSV, UTF-8)").set_input_files(str(_long_csv(examplia, tmp_path)))
    page.locator("#id_format").select_option("long")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(r".*/risk/imports/\d+/"))
    assert re.search(r"Imported \d+ values\.", page.get_by_role("status").last.inner_text())
    screenshot(page, "risk-import-report")

    page.get_by_role("button", name="Configure an index").click()
    page.locator("#id_name").fill("Examplia districts")
    page.get_by_label("Index regions of level").select_option("district")
    page.locator("#id_within").select_option(label="Examplia (fictional) (XE)")
    for code, name, *_ in demo.INDICATORS:
        page.get_by_label(f"{name} ({code})").check()
    page.get_by_label("Weight perturbations").fill("200")
    page.get_by_role("button", name="Save and run").click()
    page.wait_for_url(re.compile(r".*/risk/runs/\d+/"))

    # Tests run tasks inline, so the run is finished when the page opens.
    assert page.locator("svg.map .map-areas path").count() == 30
    assert page.locator("table.risk-ranking tbody tr").count() == 30
    screenshot(page, "risk-map-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "risk-map-phone")
    page.set_viewport_size(DESKTOP)

    first = page.locator("table.risk-ranking tbody tr").first.locator("th a")
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r".*/risk/runs/\d+/regions/XE-\d+/"))
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert page.locator("svg.risk-bars").count() == 1
    assert page.locator("svg.risk-trend").count() == len(demo.INDICATORS)
    screenshot(page, "risk-region-profile")
    page.set_viewport_size(PHONE)
    screenshot(page, "risk-region-profile-phone")

    page.set_viewport_size(DESKTOP)
    page.go_back()
    page.get_by_role("link", name="Prevention targeting").click()
    screenshot(page, "risk-targeting")
