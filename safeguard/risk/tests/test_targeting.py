"""Prevention targeting: the gap rule, and the page on a constructed case."""

from __future__ import annotations

from typing import Any
from unittest import mock

from safeguard.risk.models import IndexRun, RegionLevel
from safeguard.risk.targeting import TargetingInput, targeting_rows


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
    completed_run: IndexRun, manager: Any, client_for: Any
) -> None:
    # Cedar is the most vulnerable (rank 1 of 3) with 1 report for 10,000 children (10 per
    # 100k); Birch has 20 reports for 20,000 (100 per 100k), Alder 40 for 50,000 (80 per 100k):
    # median 80, threshold 40 → Cedar is a likely gap.
    counts = {"XT-A": 40, "XT-B": 20, "XT-C": 1, "XT-D": None}

    def fake_counts(kind: str, regions: Any) -> dict[int, int | None]:
        return {region.pk: counts[region.code] for region in regions}

    with mock.patch("safeguard.risk.selectors.activity_counts", side_effect=fake_counts):
        page = client_for(manager).get(f"/risk/runs/{completed_run.pk}/targeting/").content.decode()
    assert "1 region flagged as a likely gap." in page
    assert '<tr class="risk-gap" data-region="XT-C">' in page
    assert page.count('class="risk-gap"') == 1
    # Every scored district's child population is known (unscored Dogwood's is not): rates.
    assert "Reporting level compared: reports per 100,000 children." in page


def test_report_counts_come_from_intake_reports_by_country(db: None) -> None:
    from django.apps import apps

    from safeguard.risk import selectors
    from safeguard.risk.models import Region

    kenya = Region.objects.create(code="KE", name="Kenya", level=RegionLevel.COUNTRY, country_code="KE")
    district = Region.objects.create(code="XT-Z", name="Z", level=RegionLevel.DISTRICT)
    counts = selectors.activity_counts("reports", [kenya, district])
    if not apps.is_installed("safeguard.intake") or counts is None:
        return  # the reporting module is absent or not migrated: the view shows no gaps
    assert counts == {kenya.pk: 0, district.pk: None}
