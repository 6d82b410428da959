"""Reads for vulnerability mapping: regions, indicator values, run results, report and case counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from django.db.models import Count, Max, QuerySet

from safeguard.cases.models import Case
from safeguard.intake.models import Report
from safeguard.risk import vulnerability
from safeguard.risk.models import (
    IndexConfiguration,
    IndexRun,
    Indicator,
    IndicatorValue,
    Region,
    RegionLevel,
    RegionResult,
    ReportPlace,
)


def region_ids_in_scope(*, level: str, within: Region | None) -> list[int]:
    """Ids of the regions of ``level`` that are ``within`` (at any depth), or all of that level."""
    regions = Region.objects.filter(level=level)
    if within is None:
        return list(regions.values_list("pk", flat=True))
    ancestors = {within.pk}
    frontier = {within.pk}
    while frontier:
        frontier = set(Region.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ancestors
        ancestors |= frontier
    return list(regions.filter(pk__in=ancestors - {within.pk}).values_list("pk", flat=True))


def indicator_catalogue() -> QuerySet[Indicator]:
    return Indicator.objects.annotate(value_count=Count("values"), latest_year=Max("values__year"))


def scope_choices() -> QuerySet[Region]:
    """Regions that have parts, for 'regions within …' in a configuration."""
    return Region.objects.filter(children__isnull=False).distinct().order_by("name")


def index_observations(
    *, configuration: IndexConfiguration
) -> tuple[list[tuple[str, int, str, float]], list[str]]:
    """All values of the configured indicators for the regions in scope, and those regions' codes."""
    region_ids = region_ids_in_scope(level=configuration.level, within=configuration.within)
    codes = list(Region.objects.filter(pk__in=region_ids).order_by("code").values_list("code", flat=True))
    rows = list(
        IndicatorValue.objects.filter(
            region_id__in=region_ids, indicator__in=configuration.indicators.all()
        ).values_list("region__code", "year", "indicator__code", "value")
    )
    return rows, codes


def run_results(run: IndexRun) -> list[RegionResult]:
    return list(run.results.select_related("region").order_by("position"))


def region_trends(*, region: Region, indicator_codes: Iterable[str]) -> dict[str, list[tuple[int, float]]]:
    """Indicator code → [(year, value), …] for one region, oldest first."""
    trends: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for code, year, value in (
        IndicatorValue.objects.filter(region=region, indicator__code__in=list(indicator_codes))
        .order_by("indicator__code", "year")
        .values_list("indicator__code", "year", "value")
    ):
        trends[code].append((year, value))
    return dict(trends)


# --- reports and cases per region -------------------------------------------------------------
#
# Reports (intake) and cases (cases) are read only through these counts. Counts are
# platform-wide aggregates per region: a gap in awareness is a property of a place, not of one
# organisation, and a count reveals no report or person. A report is counted where it
# happened, a case where its child lives.


def _counts_by(records: QuerySet[Report] | QuerySet[Case], path: str) -> dict[str, int]:
    rows = records.exclude(**{path: ""}).values(path).annotate(n=Count("pk"))
    return {str(row[path]).upper(): row["n"] for row in rows if row[path]}


def _region_counts(
    records: QuerySet[Report] | QuerySet[Case],
    country_path: str,
    subdivision_path: str,
    regions: Iterable[Region],
    by_district: dict[int, int] | None = None,
) -> dict[int, int | None]:
    by_country = _counts_by(records, country_path)
    by_subdivision = _counts_by(records, subdivision_path)
    counts: dict[int, int | None] = {}
    for region in regions:
        if region.level == RegionLevel.COUNTRY:
            counts[region.pk] = by_country.get(region.code.upper(), 0)
        elif region.level == RegionLevel.SUBDIVISION:
            counts[region.pk] = by_subdivision.get(region.code.upper(), 0)
        elif by_district is not None and region.shape:
            counts[region.pk] = by_district.get(region.pk, 0)
        else:
            counts[region.pk] = None
    return counts


def report_counts(regions: Iterable[Region]) -> dict[int, int | None]:
    """Region id → number of reports that happened there (all organisations).

    Countries are matched on the report's ISO 3166-1 country code, subdivisions on its ISO
    3166-2 subdivision code; a custom district with a shape counts the reports placed in it by
    their coordinates (``ReportPlace``); a district without a shape has None (unknown) rather
    than a misleading zero.
    """
    by_district = {
        row["district"]: row["n"]
        for row in ReportPlace.objects.exclude(district=None).values("district").annotate(n=Count("pk"))
    }
    return _region_counts(Report.objects.all(), "country", "subdivision", regions, by_district)


def case_counts(regions: Iterable[Region]) -> dict[int, int | None]:
    """Region id → number of cases whose child lives there (all organisations), as ``report_counts``."""
    return _region_counts(Case.objects.all(), "person__country", "person__subdivision", regions)


# --- recomputing a stored run -----------------------------------------------------------------


def observation_frame(inputs: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """A run's stored inputs ``[region, year, indicator, value]`` as the index method reads them."""
    frame = pd.DataFrame(list(inputs), columns=["region", "year", "indicator", "value"])
    return frame.astype({"region": str, "year": "Int64", "indicator": str, "value": "float64"})


def run_recompute(run: IndexRun) -> pd.DataFrame:
    """The result table recomputed from a run's stored configuration and inputs (reproducibility)."""
    config = vulnerability.IndexConfig.from_dict(run.config_snapshot)
    return vulnerability.compute_index(observation_frame(run.inputs), config).table
