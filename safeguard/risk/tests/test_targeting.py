"""Prevention targeting: the gap rule, and the page on a constructed case."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from unittest import mock

from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.cases.services import PersonDetails
from safeguard.cases.services.registration import case_register
from safeguard.intake.choices import Channel
from safeguard.intake.services import ReportInput, report_submit
from safeguard.risk import selectors
from safeguard.risk.models import IndexRun, Region, RegionLevel
from safeguard.risk.targeting import TargetingInput, targeting_rows
from safeguard.testing.fixtures import actor_of


def _entry(region: str, rank: int | None, children: int | None, reports: int | None) -> TargetingInput:
    return TargetingInput(
        region=region,
        score=None if rank is None else 100.0 - rank,
        rank=rank,
        child_population=children,
        reports=reports,
        cases=0,
    )


def test_high_vulnerability_with_few_reports_per_child_is_a_gap() -> None:
    rows, use_rates = targeting_rows(
        [
            _entry("A", 1, 100_000, 2),  # 2 per 100k: top quarter, below half the median → gap
            _entry("B", 2, 100_000, 30),
            _entry("C", 3, 50_000, 10),  # 20 per 100k
            _entry("D", 4, 10_000, 1),  # 10 per 100k
            _entry("E", 5, 20_000, 1),  # 5 per 100k: few reports, but not highly vulnerable
        ]
    )
    assert use_rates is True
    # top quarter of 5 scored: rank ≤ 2; median rate 10 → threshold 5
    assert [(r.region, r.high_vulnerability, r.few_reports, r.gap) for r in rows] == [
        ("A", True, True, True),
        ("B", True, False, False),
        ("C", False, False, False),
        ("D", False, False, False),
        ("E", False, True, False),
    ]
    assert rows[0].reports_per_100k == 2.0


def test_counts_are_compared_when_a_child_population_is_unknown() -> None:
    rows, use_rates = targeting_rows(
        [_entry("A", 1, None, 0), _entry("B", 2, 1000, 4), _entry("C", 3, 1000, 8)]
    )
    assert use_rates is False
    assert [(r.region, r.gap, r.reports_per_100k) for r in rows] == [
        ("A", True, None),
        ("B", False, 400.0),
        ("C", False, 800.0),
    ]


def test_without_report_counts_nothing_is_flagged() -> None:
    rows, _ = targeting_rows([_entry("A", 1, 1000, None), _entry("B", None, 1000, None)])
    assert [r.gap for r in rows] == [False, False]


def test_targeting_page_flags_the_constructed_gap(
    completed_run: IndexRun, manager: User, client_for: Callable[[User], Client]
) -> None:
    # Cedar is the most vulnerable (rank 1 of 3) with 1 report for 10,000 children (10 per
    # 100k); Birch has 20 reports for 20,000 (100 per 100k), Alder 40 for 50,000 (80 per 100k):
    # median 80, threshold 40 → Cedar is a likely gap. Custom districts cannot be counted from
    # reports (see the next test), so the counts are given here.
    counts = {"XT-A": 40, "XT-B": 20, "XT-C": 1, "XT-D": None}

    def fake_counts(regions: Iterable[Region]) -> dict[int, int | None]:
        return {region.pk: counts[region.code] for region in regions}

    with (
        mock.patch("safeguard.risk.selectors.report_counts", side_effect=fake_counts),
        mock.patch("safeguard.risk.selectors.case_counts", side_effect=fake_counts),
    ):
        response = client_for(manager).get(f"/risk/runs/{completed_run.pk}/targeting/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 region flagged as a likely gap." in page
    assert '<tr class="risk-gap" data-region="XT-C">' in page
    assert page.count('class="risk-gap"') == 1
    # Every scored district's child population is known (unscored Dogwood's is not): rates.
    assert "Reporting level compared: reports per 100,000 children." in page


def test_report_and_case_counts_are_real_records_by_country_and_subdivision(
    org_a: Organisation, org_b: Organisation, member: Callable[..., User]
) -> None:
    """Reports of every organisation are counted where they happened, cases where the child
    lives; a renamed intake or cases field makes this fail, not silently switch targeting off."""
    spain = Region.objects.create(code="ES", name="Spain", level=RegionLevel.COUNTRY, country_code="ES")
    madrid = Region.objects.create(
        code="ES-MD", name="Madrid", level=RegionLevel.SUBDIVISION, parent=spain, country_code="ES"
    )
    france = Region.objects.create(code="FR", name="France", level=RegionLevel.COUNTRY, country_code="FR")
    district = Region.objects.create(code="XT-Z", name="Z", level=RegionLevel.DISTRICT)
    for organisation, country, subdivision in [
        (org_a, "ES", "ES-MD"),
        (org_b, "ES", "ES-MD"),
        (org_a, "ES", ""),
        (org_a, "PT", ""),
    ]:
        report_submit(
            data=ReportInput(
                narrative="Fictional test narrative about a worrying situation.",
                country=country,
                subdivision=subdivision,
            ),
            channel=Channel.PHONE,
            organisation=organisation,
        )
    caseworker = actor_of(member(org_b, Role.CASEWORKER), org_b)
    case_register(
        actor=caseworker, person=PersonDetails(first_name="Testa", country="ES", subdivision="ES-CT")
    )
    regions = [spain, madrid, france, district]

    assert selectors.report_counts(regions) == {spain.pk: 3, madrid.pk: 2, france.pk: 0, district.pk: None}
    assert selectors.case_counts(regions) == {spain.pk: 1, madrid.pk: 0, france.pk: 0, district.pk: None}


def test_reports_with_coordinates_are_counted_per_custom_district(
    districts: dict[str, Region], org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    """Point in polygon on intake: two reports in Alder, one in Birch, one outside every district,
    one without coordinates. Dogwood has no shape, so its count stays unknown."""
    from decimal import Decimal

    from safeguard.core.models import AuditEvent
    from safeguard.risk.models import ReportPlace

    points = [(0.5, 0.5), (0.2, 0.9), (1.5, 0.5), (5.0, 5.0), None]
    reports = []
    for point in points:
        with django_capture_on_commit_callbacks(execute=True):
            reports.append(
                report_submit(
                    data=ReportInput(
                        narrative="Fictional test narrative about a worrying situation.",
                        country="XT",
                        longitude=Decimal(str(point[0])) if point else None,
                        latitude=Decimal(str(point[1])) if point else None,
                    ),
                    channel=Channel.PHONE,
                    organisation=org_a,
                ).report
            )
    placed = {
        place.report_id: place.district.code if place.district else "" for place in ReportPlace.objects.all()
    }
    assert placed == {reports[0].pk: "XT-A", reports[1].pk: "XT-A", reports[2].pk: "XT-B", reports[3].pk: ""}
    counts = selectors.report_counts(districts.values())
    assert {code: counts[region.pk] for code, region in districts.items()} == {
        "XT-A": 2,
        "XT-B": 1,
        "XT-C": 0,
        "XT-D": None,
    }
    assert AuditEvent.objects.filter(action="risk.report_place_assign").count() == 4
