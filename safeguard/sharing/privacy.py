"""Differentially private counts and histograms, through OpenDP.

A histogram of rows by some columns changes by at most 1 in one cell when one row (one
person) is added or removed, so its L1 sensitivity is 1 and the discrete Laplace mechanism with
scale ``1 / ε`` makes the whole histogram ε-differentially private. OpenDP builds and checks the
measurement (``then_laplace`` over a vector of integers, ``check(1, ε)``) and samples the noise
from the operating system's secure source. The 95 % interval of every noisy count is
``noisy ± discrete_laplacian_scale_to_accuracy(scale, 0.05)``.

The set of cells is the declared domain of each column where one is given, so that an empty
cell is released (noisily) like any other; a column without a declared domain takes its
values from the data, which reveals which values occur — the report says so.

Cells whose noisy count is below ``threshold`` are suppressed after the noise (post-processing:
it costs no privacy). Published counts are clamped at 0, also post-processing.

``seed`` exists for tests only: it samples the same discrete Laplace distribution from NumPy's
seeded generator instead of OpenDP, which is *not* a secure source of noise.

No Django imports.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import opendp.prelude as dp
import pandas as pd

__all__ = [
    "BudgetExceeded",
    "CountsResult",
    "NoisyCell",
    "PrivacyError",
    "check_budget",
    "discrete_laplace_sample",
    "interval_half_width",
    "noisy_counts",
]

dp.enable_features("contrib")

CONFIDENCE = 0.95
MAX_CELLS = 1_000_000


class PrivacyError(ValueError):
    """The table or the options cannot make a release; the message says what to change."""


class BudgetExceeded(PrivacyError):
    """A release would spend more ε than is left in the budget."""


@dataclass(frozen=True)
class NoisyCell:
    values: tuple[str, ...]
    count: int | None  # None: suppressed below the threshold after noise
    low: int | None
    high: int | None
    noisy: int  # before thresholding and clamping; never published, kept for calibration checks


@dataclass(frozen=True)
class CountsResult:
    by: tuple[str, ...]
    epsilon: float
    scale: float
    half_width: float
    threshold: int
    cells: tuple[NoisyCell, ...]
    declared_domains: tuple[str, ...]
    secure_noise: bool

    @property
    def suppressed(self) -> int:
        return sum(1 for cell in self.cells if cell.count is None)

    def table(self) -> pd.DataFrame:
        rows = [
            {
                **dict(zip(self.by, cell.values, strict=True)),
                "count": cell.count,
                "low": cell.low,
                "high": cell.high,
            }
            for cell in self.cells
        ]
        frame = pd.DataFrame(rows, columns=[*self.by, "count", "low", "high"])
        return frame.astype({"count": "Int64", "low": "Int64", "high": "Int64"})

    def report(self) -> dict[str, object]:
        return {
            "by": list(self.by),
            "epsilon": self.epsilon,
            "mechanism": "discrete Laplace (OpenDP)"
            if self.secure_noise
            else "discrete Laplace (seeded, tests only)",
            "sensitivity": 1,
            "noise_scale": self.scale,
            "confidence": CONFIDENCE,
            "interval_half_width": round(self.half_width, 6),
            "threshold": self.threshold,
            "cells": len(self.cells),
            "suppressed_cells": self.suppressed,
            "declared_domains": list(self.declared_domains),
            "domain_from_data": [column for column in self.by if column not in self.declared_domains],
        }


def check_budget(*, epsilon: float, spent: float, total: float) -> None:
    """Refuse a release of ``epsilon`` when ``spent`` of ``total`` leaves too little."""
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise PrivacyError(f"ε must be a positive number, got {epsilon}")
    if spent + epsilon > total + 1e-12:
        raise BudgetExceeded(
            f"ε {epsilon:g} is more than the {max(0.0, total - spent):g} left of the budget of {total:g}"
        )


def interval_half_width(scale: float) -> float:
    """Half-width of the 95 % interval of discrete Laplace noise of ``scale``."""
    return float(dp.discrete_laplacian_scale_to_accuracy(scale, 1 - CONFIDENCE))


def discrete_laplace_sample(scale: float, size: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """Seeded discrete Laplace noise: the difference of two geometric variables (tests only)."""
    p = 1.0 - math.exp(-1.0 / scale)
    return np.asarray(rng.geometric(p, size) - rng.geometric(p, size), dtype=np.int64)


def _opendp_noise(counts: list[int], scale: float, epsilon: float) -> list[int]:
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    measurement = space >> dp.m.then_laplace(scale=scale)
    if not measurement.check(1, epsilon):
        raise PrivacyError(f"OpenDP could not certify ε {epsilon:g} at scale {scale:g}")
    return [int(value) for value in measurement(counts)]


def noisy_counts(
    table: pd.DataFrame,
    *,
    by: Sequence[str],
    epsilon: float,
    domains: Mapping[str, Sequence[str]] | None = None,
    threshold: int = 0,
    seed: int | None = None,
) -> CountsResult:
    """ε-differentially private counts of ``table``'s rows for every combination of ``by``."""
    if not by:
        raise PrivacyError("choose at least one column to count by")
    missing = [column for column in by if column not in table.columns]
    if missing:
        raise PrivacyError(
            f"no column named {', '.join(missing)} (columns: {', '.join(map(str, table.columns))})"
        )
    if len(set(by)) != len(by):
        raise PrivacyError("a column is named twice")
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise PrivacyError(f"ε must be a positive number, got {epsilon}")
    if threshold < 0:
        raise PrivacyError(f"the threshold cannot be negative, got {threshold}")
    unknown = set(domains or {}) - set(by)
    if unknown:
        raise PrivacyError(f"a domain is given for {', '.join(sorted(unknown))}, which is not counted by")
    frame = table[list(by)].fillna("").astype(str)
    value_lists: list[list[str]] = []
    for column in by:
        declared = (domains or {}).get(column)
        value_lists.append(
            list(dict.fromkeys(declared)) if declared is not None else sorted(set(frame[column]))
        )
    cells = math.prod(len(values) for values in value_lists)
    if cells > MAX_CELLS:
        raise PrivacyError(f"{cells:,} combinations is more than {MAX_CELLS:,}: count by fewer columns")
    combinations = list(itertools.product(*value_lists))
    # Rows outside a declared domain are counted nowhere (the domain is the release's promise).
    exact: dict[tuple[str, ...], int] = {}
    for key, size in frame.groupby(list(by), sort=False).size().items():
        exact[tuple(str(part) for part in key) if isinstance(key, tuple) else (str(key),)] = int(size)
    counts = [exact.get(tuple(combination), 0) for combination in combinations]
    scale = 1.0 / epsilon
    if seed is None:
        noisy = _opendp_noise(counts, scale, epsilon) if counts else []
    else:
        noise = discrete_laplace_sample(scale, len(counts), np.random.default_rng(seed))
        noisy = [count + int(value) for count, value in zip(counts, noise, strict=True)]
    half = interval_half_width(scale)
    released = []
    for combination, value in zip(combinations, noisy, strict=True):
        if value < threshold:
            released.append(NoisyCell(tuple(combination), None, None, None, value))
            continue
        shown = max(0, value)
        low, high = max(0, math.floor(value - half)), max(0, math.ceil(value + half))
        released.append(NoisyCell(tuple(combination), shown, low, high, value))
    return CountsResult(
        by=tuple(by),
        epsilon=epsilon,
        scale=scale,
        half_width=half,
        threshold=threshold,
        cells=tuple(released),
        declared_domains=tuple(column for column in by if domains and column in domains),
        secure_noise=seed is None,
    )
