"""Person-link review (decisions kept and respected on re-run) and the hotspot view."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from safeguard.accounts.models import Organisation, User
from safeguard.analytics import hotspots, selectors
from safeguard.analytics.models import LinkStatus, PersonLinkCandidate
from safeguard.analytics.services.person_links import link_decide, link_review_update
from safeguard.analytics.tests.people import MENTIONS
from safeguard.core.models import AuditEvent
from safeguard.intake.models import Report
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def test_review_queue_keeps_and_respects_decisions(org_a: Organisation, analyst_a: User) -> None:
    first = link_review_update(organisation_id=org_a.pk, mentions=MENTIONS)
    # "Anna Testova" / "TESTOVA, Ana" (r2, r3) and r1 / r3 are both near the threshold.
    assert first["review"] == 2
    assert sorted(PersonLinkCandidate.objects.values_list("left_id", "right_id", "status")) == [
        ("r1", "r3", LinkStatus.PENDING),
        ("r2", "r3", LinkStatus.PENDING),
    ]
    candidate = PersonLinkCandidate.objects.get(left_id="r1", right_id="r3")

    link_decide(candidate=candidate, same_person=False, actor=actor_of(analyst_a, org_a))
    again = link_review_update(organisation_id=org_a.pk, mentions=MENTIONS)

    assert again["review"] == 1 and again["decisions"] == 1
    kept = PersonLinkCandidate.objects.get(left_id="r1", right_id="r3")
    assert (kept.pk, kept.status, kept.decided_by) == (candidate.pk, LinkStatus.REJECTED, analyst_a)
    event = AuditEvent.objects.get(action="analytics.link_decided")
    assert event.detail == {"status": "rejected"}


def test_confirmed_pair_is_linked_on_the_next_run(org_a: Organisation, analyst_a: User) -> None:
    link_review_update(organisation_id=org_a.pk, mentions=MENTIONS)
    for candidate in PersonLinkCandidate.objects.order_by("pk"):
        link_decide(candidate=candidate, same_person=True, actor=actor_of(analyst_a, org_a))
    result = link_review_update(organisation_id=org_a.pk, mentions=MENTIONS)
    assert result["review"] == 0
    assert PersonLinkCandidate.objects.filter(status=LinkStatus.PENDING).count() == 0


def test_reviewer_decides_a_pair_of_suspects_from_two_reports(
    submit: Callable[..., Report], org_a: Organisation, analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    first = submit(suspects=[{"names": "Vex Doe", "description": "tall man"}])
    second = submit(suspects=[{"names": "Vexx Doe", "description": "tall man with a cap"}])
    candidate = PersonLinkCandidate.objects.create(
        organisation=org_a,
        left_id=f"report:{first.pk}:suspect:0",
        right_id=f"report:{second.pk}:suspect:0",
        probability=0.8,
    )
    client = client_for(analyst_a)
    page = client.get("/analytics/review/").content.decode()
    assert "Vex Doe" in page and "Vexx Doe" in page and first.reference in page
    response = client.post(f"/analytics/review/{candidate.pk}/", {"decision": "confirm"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == LinkStatus.CONFIRMED


def test_hotspot_view_flags_a_region_rising_above_its_baseline(
    submit: Callable[..., Report], analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    now = timezone.now()
    monday = now - dt.timedelta(days=now.weekday())
    for weeks_ago in range(1, 9):
        submit(
            subdivision="ES-MD", created_at=monday - dt.timedelta(weeks=weeks_ago) + dt.timedelta(hours=12)
        )
        submit(subdivision="ES-B", created_at=monday - dt.timedelta(weeks=weeks_ago) + dt.timedelta(hours=12))
    for hour in range(6):
        submit(subdivision="ES-MD", created_at=monday + dt.timedelta(hours=hour))
    submit(subdivision="ES-B", created_at=monday + dt.timedelta(hours=1))

    client = client_for(analyst_a)
    page = client.get("/analytics/hotspots/").content.decode()
    assert "Hotspots this week:" in page
    assert "ES-MD: 6 events, 1.1 expected" in page
    assert "ES-B:" not in page
    assert '<svg id="hotspot-map" class="map"' in page
    assert 'data-region="ES-MD"' in page and 'data-country="FR"' in page  # on the basemap
    assert page.count('class="map-outline"') == 1  # ES-MD is the one hotspot
    api = client.get("/api/v1/analytics/hotspots").json()
    assert [(area["code"], area["events"], area["hot"]) for area in api["areas"]] == [
        ("ES-MD", 6, True),
        ("ES-B", 1, False),
    ]


def test_hotspot_view_counts_only_visible_reports(
    submit: Callable[..., Report], org_b: Organisation, analyst_b: User, client_for: Callable[[User], Client]
) -> None:
    now = timezone.now()
    for hour in range(4):
        submit(subdivision="ES-MD", created_at=now - dt.timedelta(hours=hour))
    api = client_for(analyst_b).get("/api/v1/analytics/hotspots").json()
    assert api["areas"] == []


def test_each_candidate_keeps_why_it_was_scored_and_the_page_draws_the_waterfall(
    org_a: Organisation, analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    link_review_update(organisation_id=org_a.pk, mentions=MENTIONS)
    candidate = PersonLinkCandidate.objects.get(left_id="r2", right_id="r3")
    columns = [comparison["column"] for comparison in candidate.comparisons]
    assert columns[:2] == ["name", "name_variants"] and "phone_keys" in columns
    # Splink's identity: match weight = prior weight + the fields' weights.
    total = candidate.prior_weight + sum(comparison["weight"] for comparison in candidate.comparisons)
    assert candidate.match_weight is not None and abs(total - candidate.match_weight) < 0.01
    assert all(set(c) == {"column", "level", "gamma", "weight"} for c in candidate.comparisons)

    steps = selectors.link_explanation(candidate)
    assert [step["label"] for step in steps[:3]] == ["Prior: any two people", "Name", "Name variants"]
    assert abs(steps[-1]["total"] - candidate.match_weight) < 0.01
    assert not any("f0_" in step["level"] for step in steps)


def test_the_review_page_shows_the_waterfall_without_javascript(
    submit: Callable[..., Report], org_a: Organisation, analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    first = submit(suspects=[{"names": "Vex Doe", "description": ""}])
    second = submit(suspects=[{"names": "Vexx Doe", "description": ""}])
    PersonLinkCandidate.objects.create(
        organisation=org_a,
        left_id=f"report:{first.pk}:suspect:0",
        right_id=f"report:{second.pk}:suspect:0",
        probability=0.7,
        match_weight=1.2,
        prior_weight=-5.0,
        comparisons=[
            {
                "column": "name",
                "level": "Jaro-Winkler distance of f0_name >= 0.92",
                "gamma": 4,
                "weight": 6.5,
            },
            {"column": "birth_year", "level": "null", "gamma": -1, "weight": 0.0},
            {"column": "place", "level": "All other comparisons", "gamma": 0, "weight": -0.3},
        ],
    )
    page = client_for(analyst_a).get("/analytics/review/").content.decode()
    assert '<svg class="an-chart an-waterfall"' in page
    assert '<rect class="an-wf-pos"' in page and '<rect class="an-wf-neg"' in page
    assert "Jaro-Winkler distance of name &gt;= 0.92" in page
    assert "Missing in one or both" in page
    assert "<script" not in page.split("an-waterfall", 1)[1].split("</svg>", 1)[0]


def test_hotspot_filters_and_week_navigation(
    submit: Callable[..., Report], analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    now = timezone.now()
    monday = now - dt.timedelta(days=now.weekday())
    submit(subdivision="ES-MD", created_at=monday + dt.timedelta(hours=1))  # by phone
    web = [
        submit(subdivision="PT-13", created_at=monday + dt.timedelta(hours=2)),
        submit(subdivision="PT-11", created_at=monday - dt.timedelta(weeks=2)),
    ]
    Report.objects.filter(pk__in=[report.pk for report in web]).update(channel="web")
    client = client_for(analyst_a)

    def areas(query: str) -> list[str]:
        page = client.get(f"/analytics/hotspots/{query}").content.decode()
        return sorted(set(re.findall(r'class="map-area [^"]*" data-region="([A-Z0-9-]+)"', page)))

    assert areas("") == ["ES-MD", "PT-11", "PT-13"]
    assert areas("?channel=web") == ["PT-11", "PT-13"]
    two_weeks_ago = hotspots.iso_week_label((monday - dt.timedelta(weeks=2)).date())
    # A past week reads as it did then: later reports are not there yet.
    assert areas(f"?week={two_weeks_ago}") == ["PT-11"]
    # The time slider: position 25 is this week, 23 two weeks back, named by its week.
    assert areas("?week_slider=23") == ["PT-11"]
    assert areas("?week_slider=25&channel=web") == areas("?channel=web")
    page = client.get(f"/analytics/hotspots/?week={two_weeks_ago}").content.decode()
    assert 'name="week_slider" min="0" max="25" step="1" value="23"' in page
    assert f'<output id="week-slider-label" for="week-slider">{two_weeks_ago}</output>' in page
    assert (
        "Ensure this value is less than or equal to 25."
        in client.get("/analytics/hotspots/?week_slider=26").content.decode()
    )
    page = client.get("/analytics/hotspots/?week=2026-W99").content.decode()
    assert "Give a week as 2026-W05." in page


def test_hotspot_map_downloads_keep_the_filters_and_are_refused_elsewhere(
    submit: Callable[..., Report],
    analyst_a: User,
    org_b: Organisation,
    client_for: Callable[[User], Client],
) -> None:
    now = timezone.now()
    submit(subdivision="ES-MD", created_at=now - dt.timedelta(days=now.weekday()) + dt.timedelta(hours=1))
    client = client_for(analyst_a)
    page = client.get("/analytics/hotspots/?channel=phone").content.decode()
    assert 'href="/analytics/hotspots/map.png?channel=phone" download>' in page
    assert 'href="/analytics/hotspots/map.pdf?channel=phone" download>' in page

    png = client.get("/analytics/hotspots/map.png?channel=phone")
    assert png["Content-Type"] == "image/png"
    image = Image.open(BytesIO(png.content))
    assert image.format == "PNG"
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert (0x5E, 0xC9, 0x62) in colours  # ES-MD's one event: the class "1"
    pdf = client.get("/analytics/hotspots/map.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    # Nothing to draw for another organisation's analyst, and no map for an operator.
    assert client_for(make_member(org_b, "analyst")).get("/analytics/hotspots/map.png").status_code == 404
    assert client_for(make_member(org_b, "operator")).get("/analytics/hotspots/map.pdf").status_code == 403
