"""Hotspots: weekly counts per area and significant rises over each area's own baseline."""

from __future__ import annotations

import datetime as dt
import math

import h3
import pandas as pd
import pytest

from safeguard.analytics.hotspots import (
    Hotspot,
    TrendPoint,
    detect_hotspots,
    h3_cells,
    iso_week_label,
    poisson_upper_tail,
    trend_series,
    weekly_counts,
)

MONDAY = dt.datetime(2024, 1, 1, 9, 0)  # 2024-W01 starts on Monday 1 January 2024


def events(per_week: dict[str, list[int]]) -> pd.DataFrame:
    """Events for each area: ``per_week[area][w]`` events in week ``w`` after MONDAY."""
    rows = [
        (area, MONDAY + dt.timedelta(weeks=week, days=i % 7, hours=i))
        for area, counts in per_week.items()
        for week, count in enumerate(counts)
        for i in range(count)
    ]
    return pd.DataFrame(rows, columns=["area", "occurred_at"])


def hand_poisson_tail(observed: int, expected: float) -> float:
    return 1 - sum(math.exp(-expected) * expected**k / math.factorial(k) for k in range(observed))


class TestWeeklyCounts:
    def test_exact_counts_with_zero_weeks_filled_in(self) -> None:
        counts = weekly_counts(events({"MX-CHH": [2, 0, 1], "MX-JAL": [0, 3, 0]}))
        assert counts.to_dict("records") == [
            {"area": "MX-CHH", "week_start": pd.Timestamp("2024-01-01"), "iso_week": "2024-W01", "events": 2},
            {"area": "MX-CHH", "week_start": pd.Timestamp("2024-01-08"), "iso_week": "2024-W02", "events": 0},
            {"area": "MX-CHH", "week_start": pd.Timestamp("2024-01-15"), "iso_week": "2024-W03", "events": 1},
            {"area": "MX-JAL", "week_start": pd.Timestamp("2024-01-01"), "iso_week": "2024-W01", "events": 0},
            {"area": "MX-JAL", "week_start": pd.Timestamp("2024-01-08"), "iso_week": "2024-W02", "events": 3},
            {"area": "MX-JAL", "week_start": pd.Timestamp("2024-01-15"), "iso_week": "2024-W03", "events": 0},
        ]

    def test_sunday_closes_the_iso_week_and_monday_opens_the_next(self) -> None:
        frame = pd.DataFrame(
            {
                "area": ["A", "A", "A"],
                "occurred_at": ["2024-01-07 23:59", "2024-01-08 00:00", "2024-12-30 12:00"],
            }
        )
        counts = weekly_counts(frame)
        nonzero = counts[counts["events"] > 0]
        assert nonzero[["iso_week", "events"]].to_dict("records") == [
            {"iso_week": "2024-W01", "events": 1},
            {"iso_week": "2024-W02", "events": 1},
            {"iso_week": "2025-W01", "events": 1},  # 30 December 2024 is in ISO week 1 of 2025
        ]

    def test_aware_timestamps_are_counted_in_utc(self) -> None:
        frame = pd.DataFrame(
            {"area": ["A"], "occurred_at": [pd.Timestamp("2024-01-08 00:30", tz="Europe/Paris")]}
        )
        assert weekly_counts(frame)["iso_week"].tolist() == ["2024-W01"]  # Sunday 23:30 UTC

    def test_grid_extends_to_last_week_and_missing_values_are_ignored(self) -> None:
        frame = pd.DataFrame({"area": ["A", None], "occurred_at": [MONDAY, MONDAY]})
        counts = weekly_counts(frame, last_week=dt.date(2024, 1, 17))
        assert counts["events"].tolist() == [1, 0, 0]

    def test_no_events(self) -> None:
        counts = weekly_counts(pd.DataFrame({"area": [], "occurred_at": []}))
        assert counts.empty
        assert list(counts.columns) == ["area", "week_start", "iso_week", "events"]


class TestDetectHotspots:
    def test_a_planted_rise_is_detected_with_exact_figures(self) -> None:
        counts = weekly_counts(events({"MX-CHH": [2] * 8 + [9], "MX-JAL": [2] * 9}))
        (hotspot,) = detect_hotspots(counts)
        expected = (16 + 0.5) / 8
        assert hotspot == Hotspot(
            area="MX-CHH",
            iso_week="2024-W09",
            week_start=dt.date(2024, 2, 26),
            observed=9,
            expected=expected,
            ratio=9 / expected,
            p_value=pytest.approx(hand_poisson_tail(9, expected), rel=1e-9),  # type: ignore[arg-type]  # compared within tolerance by ==
            baseline_weeks=8,
        )
        assert hotspot.p_value == pytest.approx(0.0002964374, rel=1e-6)

    def test_a_flat_series_is_not_flagged(self) -> None:
        counts = weekly_counts(
            events({"A": [5] * 12, "B": [0] * 11 + [1], "C": [3, 4, 2, 3, 5, 3, 4, 3, 2, 4, 3, 4]})
        )
        assert detect_hotspots(counts) == []

    def test_a_new_area_with_enough_events_is_flagged_against_the_prior(self) -> None:
        counts = weekly_counts(events({"NEW": [0] * 8 + [3], "OLD": [1] * 9}))
        (hotspot,) = detect_hotspots(counts)
        assert (hotspot.area, hotspot.observed, hotspot.expected) == ("NEW", 3, 0.5 / 8)

    def test_fewer_events_than_the_minimum_count_are_never_flagged(self) -> None:
        counts = weekly_counts(events({"A": [0] * 8 + [2], "B": [1] * 9}))
        assert detect_hotspots(counts, min_count=3) == []
        assert [spot.area for spot in detect_hotspots(counts, min_count=2)] == ["A"]

    def test_a_chosen_week_by_date_or_label_and_a_short_baseline(self) -> None:
        counts = weekly_counts(events({"A": [1, 1, 1, 1, 1, 8, 1, 1]}))
        by_label = detect_hotspots(counts, week="2024-W06")
        by_date = detect_hotspots(counts, week=dt.date(2024, 2, 8))
        assert by_label == by_date
        assert [(s.observed, s.baseline_weeks, s.expected) for s in by_label] == [(8, 5, 5.5 / 5)]
        assert detect_hotspots(counts, week="2024-W04") == []  # only 3 baseline weeks
        assert detect_hotspots(counts, week="2030-W01") == []

    def test_hotspots_are_sorted_by_significance(self) -> None:
        counts = weekly_counts(events({"A": [1] * 8 + [6], "B": [1] * 8 + [12], "C": [1] * 8 + [9]}))
        assert [spot.area for spot in detect_hotspots(counts)] == ["B", "C", "A"]


@pytest.mark.parametrize(("observed", "expected"), [(0, 1.0), (1, 0.5), (3, 0.0625), (9, 2.0625), (20, 7.5)])
def test_poisson_tail_matches_the_hand_computed_sum(observed: int, expected: float) -> None:
    assert float(poisson_upper_tail(observed, expected)) == pytest.approx(
        hand_poisson_tail(observed, expected), rel=1e-9, abs=1e-15
    )


def test_trend_series_for_charts() -> None:
    counts = weekly_counts(events({"A": [1, 0, 2], "B": [0, 1, 0]}))
    assert trend_series(counts, areas=["A", "Z"]) == {
        "A": [
            TrendPoint("2024-W01", dt.date(2024, 1, 1), 1),
            TrendPoint("2024-W02", dt.date(2024, 1, 8), 0),
            TrendPoint("2024-W03", dt.date(2024, 1, 15), 2),
        ]
    }
    assert sorted(trend_series(counts)) == ["A", "B"]


def test_h3_cells_and_week_labels() -> None:
    cells = h3_cells([19.4326, 19.4327], [-99.1332, -99.1333], resolution=7)
    assert cells[0] == cells[1] == h3.latlng_to_cell(19.4326, -99.1332, 7)
    assert h3.get_resolution(cells[0]) == 7
    assert iso_week_label(dt.date(2021, 1, 3)) == "2020-W53"
