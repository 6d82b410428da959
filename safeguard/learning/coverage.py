"""Training coverage beside vulnerability: where the next awareness campaign should go.

No Django imports. The rule (docs/learning.md, decision 081), the same shape as the risk app's
reporting-gap rule:

* *coverage level*: completions per 100,000 children when every scored region's child
  population is known, else per 100,000 people when every scored region's population is known,
  else the plain number of completions (rates and counts are never mixed);
* *low coverage*: a scored region whose level is at most half the median level of the scored
  regions (with a median of 0, only regions with no completion at all);
* a region with high vulnerability (from the risk app's targeting rule) and low coverage is a
  *campaign target*.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["LOW_RATIO", "Basis", "CoverageInput", "CoverageRow", "coverage_rows"]

LOW_RATIO = 0.5

Basis = Literal["children", "population", "count"]


@dataclass(frozen=True)
class CoverageInput:
    region: str
    scored: bool
    high_vulnerability: bool
    completions: int
    child_population: int | None
    population: int | None


@dataclass(frozen=True)
class CoverageRow:
    region: str
    completions: int
    per_100k: float | None  # per 100,000 children or people, as ``basis`` says; None for counts
    low: bool
    campaign: bool


def _basis(scored: Sequence[CoverageInput]) -> Basis:
    if scored and all(entry.child_population for entry in scored):
        return "children"
    if scored and all(entry.population for entry in scored):
        return "population"
    return "count"


def _rate(entry: CoverageInput, basis: Basis) -> float | None:
    denominator = entry.child_population if basis == "children" else entry.population
    if basis == "count" or not denominator:
        return None
    return 100_000 * entry.completions / denominator


def coverage_rows(
    entries: Sequence[CoverageInput], *, low_ratio: float = LOW_RATIO
) -> tuple[list[CoverageRow], Basis]:
    """Rows in input order, and what the coverage level was computed over."""
    scored = [entry for entry in entries if entry.scored]
    basis = _basis(scored)

    def level(entry: CoverageInput) -> float:
        rate = _rate(entry, basis)
        return float(entry.completions) if rate is None else rate

    threshold = low_ratio * statistics.median([level(entry) for entry in scored]) if scored else None
    rows = []
    for entry in entries:
        low = entry.scored and threshold is not None and level(entry) <= threshold
        rows.append(
            CoverageRow(
                region=entry.region,
                completions=entry.completions,
                per_100k=_rate(entry, basis),
                low=low,
                campaign=low and entry.high_vulnerability,
            )
        )
    return rows, basis
