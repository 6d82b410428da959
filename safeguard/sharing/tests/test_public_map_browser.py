"""Anyone opens an organisation's public map on a phone: the map, the legend, the table, axe clean."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguard.accounts.roles import Role
from safeguard.intake import services as intake
from safeguard.intake.choices import Channel
from safeguard.sharing.public_map import public_map_set
from safeguard.sharing.services import budget_update
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_map_reads_on_a_phone_and_passes_axe(page: Any, org_a: Any) -> None:
    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    admin = actor_of(make_member(org_a, Role.ORG_ADMIN), org_a)
    budget_update(actor=admin, total_epsilon=10, threshold=5)
    for region, count in (("ES-MD", 6), ("ES-CT", 5), ("ES-B", 2)):
        for _ in range(count):
            intake.report_submit(
                data=intake.ReportInput(
                    narrative="Fictional narrative for the public map.", country="ES", subdivision=region
                ),
                channel=Channel.PHONE,
                organisation=org_a,
                created_at=timezone.now(),
            )
    public_map_set(actor=admin, enabled=True)

    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/statistics/{org_a.slug}/map/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Map of")
    expect(page.locator('#public-map path.map-area[data-region="ES-MD"]')).to_have_count(1)
    expect(page.locator('#public-map path.map-area[data-region="ES-B"]')).to_have_count(0)  # 2 in the year
    expect(page.locator("#public-map path.map-land").first).to_be_attached()  # the basemap
    expect(page.get_by_text("fewer than 5 (not shown)")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert accessibility_violations(page) == []
    screenshot(page, "sharing-public-map-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("#public-map")).to_be_visible()
    screenshot(page, "public-map")
