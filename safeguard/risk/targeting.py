"""Prevention targeting: vulnerability beside reports, and the rule that flags a likely gap.

No Django imports. The rule, stated in docs/vulnerability-mapping.md:

* *high vulnerability*: rank within the top quarter of the scored regions
  (rank ≤ ⌈0.25 × number of scored regions⌉);
* *reporting level*: reports per 100,000 children when every scored region's child population
  is known, otherwise the plain number of reports (rates and counts are never mixed);
* *few reports*: reporting level at most half the median reporting level of the scored regions;
* a region with high vulnerability and few reports is flagged as a likely gap in awareness or
  reporting. Without report counts (custom districts, which reports do not name) nothing is
  flagged.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["GAP_RATIO", "HIGH_SHARE", "TargetingInput", "TargetingRow", "per_100k", "targeting_rows"]

HIGH_SHARE = 0.25
GAP_RATIO = 0.5


@dataclass(frozen=True)
class TargetingInput:
    region: str
    score: float | None
    rank: int | None
    child_population: int | None
    reports: int | None
    cases: int | None


@dataclass(frozen=True)
class TargetingRow:
    region: str
    score: float | None
    rank: int | None
    child_population: int | None
    reports: int | None
    cases: int | None
    reports_per_100k: float | None
    cases_per_100k: float | None
    high_vulnerability: bool
    few_reports: bool

    @property
    def gap(self) -> bool:
        return self.high_vulnerability and self.few_reports


def per_100k(count: int | None, children: int | None) -> float | None:
    if count is None or not children:
        return None
    return 100_000 * count / children


def targeting_rows(
    entries: Sequence[TargetingInput], *, high_share: float = HIGH_SHARE, gap_ratio: float = GAP_RATIO
) -> tuple[list[TargetingRow], bool]:
    """Rows in input order, and whether the reporting level compared was a rate (True) or a count."""
    scored = [entry for entry in entries if entry.rank is not None]
    high_rank = math.ceil(high_share * len(scored))
    use_rates = bool(scored) and all(entry.child_population for entry in scored)

    def level(entry: TargetingInput) -> float | None:
        if entry.reports is None:
            return None
        return per_100k(entry.reports, entry.child_population) if use_rates else float(entry.reports)

    levels = [value for entry in scored if (value := level(entry)) is not None]
    threshold = gap_ratio * statistics.median(levels) if levels else None
    rows = []
    for entry in entries:
        entry_level = level(entry)
        rows.append(
            TargetingRow(
                region=entry.region,
                score=entry.score,
                rank=entry.rank,
                child_population=entry.child_population,
                reports=entry.reports,
                cases=entry.cases,
                reports_per_100k=per_100k(entry.reports, entry.child_population),
                cases_per_100k=per_100k(entry.cases, entry.child_population),
                high_vulnerability=entry.rank is not None and entry.rank <= high_rank,
                few_reports=threshold is not None and entry_level is not None and entry_level <= threshold,
            )
        )
    return rows, use_rates
