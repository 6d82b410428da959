"""Hotspots: areas where reports or cases rose well above their own recent baseline.

Events are counted by area (an ISO 3166-2 subdivision code, or an H3 cell from latitude and
longitude, see :func:`h3_cells`) and ISO week (Monday to Sunday). Each area's target week is
compared with its own previous weeks, so a busy capital and a quiet village are each measured
against themselves.

Pure pandas/numpy/scipy, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import h3
import numpy as np
import pandas as pd
from scipy.stats import poisson

__all__ = [
    "Hotspot",
    "TrendPoint",
    "detect_hotspots",
    "h3_cells",
    "iso_week_label",
    "poisson_upper_tail",
    "trend_series",
    "weekly_counts",
]


@dataclass(frozen=True, slots=True)
class Hotspot:
    area: str
    iso_week: str  # "2024-W05"
    week_start: dt.date  # the Monday of that week
    observed: int
    expected: float
    ratio: float  # observed / expected
    p_value: float
    baseline_weeks: int  # weeks the expectation was averaged over


@dataclass(frozen=True, slots=True)
class TrendPoint:
    iso_week: str
    week_start: dt.date
    events: int


def h3_cells(latitudes: Iterable[float], longitudes: Iterable[float], *, resolution: int = 7) -> list[str]:
    """The H3 cell (v4 string id) of each point at ``resolution`` (0–15; 7 is about 5 km²)."""
    return [
        h3.latlng_to_cell(float(lat), float(lon), resolution)
        for lat, lon in zip(latitudes, longitudes, strict=True)
    ]


def iso_week_label(week_start: dt.date) -> str:
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


def _week_starts(timestamps: pd.Series) -> pd.Series:
    # Aware timestamps are compared in UTC; naive ones are taken as they are.
    moments = pd.to_datetime(timestamps, utc=True).dt.tz_localize(None)
    days = moments.dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def weekly_counts(
    events: pd.DataFrame,
    *,
    area_column: str = "area",
    time_column: str = "occurred_at",
    last_week: dt.date | None = None,
) -> pd.DataFrame:
    """Events per area and ISO week, with explicit zeros.

    Returns columns ``area``, ``week_start`` (Monday, ``datetime64``), ``iso_week`` and ``events``,
    one row for every area that has at least one event times every week from the earliest event's
    week through the latest event's week (or through ``last_week``'s week if later), sorted by area
    then week. Rows with a missing area or time are ignored.
    """
    columns = ["area", "week_start", "iso_week", "events"]
    present = events[[area_column, time_column]].dropna()
    if present.empty:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in
                             zip(columns, ["object", "datetime64[ns]", "object", "int64"], strict=True)})  # fmt: skip
    weeks = _week_starts(present[time_column])
    counted = (
        pd.DataFrame({"area": present[area_column].astype(str).to_numpy(), "week_start": weeks.to_numpy()})
        .groupby(["area", "week_start"])
        .size()
    )
    end = weeks.max()
    if last_week is not None:
        end = max(end, _week_starts(pd.Series([pd.Timestamp(last_week)])).iloc[0])
    all_weeks = pd.date_range(weeks.min(), end, freq="7D")
    grid = pd.MultiIndex.from_product(
        [sorted(counted.index.unique(0)), all_weeks], names=["area", "week_start"]
    )
    table = counted.reindex(grid, fill_value=0).rename("events").reset_index()
    table["iso_week"] = [iso_week_label(week.date()) for week in table["week_start"]]
    table["events"] = table["events"].astype(np.int64)
    return table[columns]


def poisson_upper_tail(observed: int | np.ndarray, expected: float | np.ndarray) -> np.ndarray:
    """P(X ≥ observed) for X ~ Poisson(expected): the one-sided p-value of a rise."""
    return np.asarray(poisson.sf(np.asarray(observed) - 1, expected), dtype=float)


def detect_hotspots(
    counts: pd.DataFrame,
    *,
    week: dt.date | str | None = None,
    baseline_weeks: int = 8,
    min_baseline_weeks: int = 4,
    min_count: int = 3,
    prior_events: float = 0.5,
    alpha: float = 0.01,
) -> list[Hotspot]:
    """Areas whose count in ``week`` is a significant rise over their own baseline, most
    significant first (ascending p-value, then descending ratio, then area).

    ``counts`` is the output of :func:`weekly_counts`; ``week`` is any date in the target ISO week or
    a label like "2024-W05" (default: the latest week in ``counts``).

    The test, per area: let ``m`` be the number of weeks in ``counts`` among the ``baseline_weeks``
    weeks just before the target week and ``B`` their total. The expected count is
    ``λ = (B + prior_events) / m`` — the prior keeps λ above zero for an area that was silent, so one
    new event is not infinitely surprising. The p-value is ``P(X ≥ observed)`` for
    ``X ~ Poisson(λ)``. An area is a hotspot when ``observed ≥ min_count``, ``m ≥ min_baseline_weeks``
    and ``p ≤ alpha``. No correction for testing many areas is applied: with many areas, lower
    ``alpha`` (e.g. divide it by the number of areas for Bonferroni).
    """
    if counts.empty:
        return []
    matrix = counts.pivot(index="area", columns="week_start", values="events").sort_index(axis=1)
    week_columns = list(matrix.columns)
    target = _target_week(week, week_columns)
    if target is None:
        return []
    t = week_columns.index(target)
    first = max(0, t - baseline_weeks)
    available = t - first
    if available < max(min_baseline_weeks, 1):
        return []
    values = matrix.to_numpy(dtype=np.int64)
    observed = values[:, t]
    expected = (values[:, first:t].sum(axis=1) + prior_events) / available
    p_values = poisson_upper_tail(observed, expected)
    chosen = np.flatnonzero((observed >= min_count) & (p_values <= alpha))
    week_start = target.date()
    hotspots = [
        Hotspot(
            area=str(matrix.index[i]),
            iso_week=iso_week_label(week_start),
            week_start=week_start,
            observed=int(observed[i]),
            expected=float(expected[i]),
            ratio=float(observed[i] / expected[i]),
            p_value=float(p_values[i]),
            baseline_weeks=available,
        )
        for i in chosen
    ]
    hotspots.sort(key=lambda spot: (spot.p_value, -spot.ratio, spot.area))
    return hotspots


def _target_week(week: dt.date | str | None, week_columns: Sequence[pd.Timestamp]) -> pd.Timestamp | None:
    if week is None:
        return week_columns[-1]
    if isinstance(week, str):
        monday = dt.date.fromisocalendar(int(week[:4]), int(week.split("W")[1]), 1)
    else:
        monday = week - dt.timedelta(days=week.weekday())
    target = pd.Timestamp(monday)
    return target if target in week_columns else None


def trend_series(counts: pd.DataFrame, *, areas: Iterable[str] | None = None) -> dict[str, list[TrendPoint]]:
    """Weekly event counts per area for charts, oldest week first, zeros included.

    ``counts`` is the output of :func:`weekly_counts`; ``areas`` limits the areas (unknown areas are
    absent from the result).
    """
    selected = counts if areas is None else counts[counts["area"].isin(list(areas))]
    series: dict[str, list[TrendPoint]] = {}
    for area, rows in selected.sort_values(["area", "week_start"]).groupby("area", sort=True):
        series[str(area)] = [
            TrendPoint(iso_week, week_start.date(), int(events))
            for iso_week, week_start, events in zip(
                rows["iso_week"], rows["week_start"], rows["events"], strict=True
            )
        ]
    return series
