"""Benchmark of the vulnerability index: 50,000 regions × 40 indicators × 10 years.

Synthetic, seeded data (numpy): four factors of ten indicators each, a latent vulnerability per
region, skewed (log-normal) indicators, indicators where higher means less vulnerable, ~10 % of
values missing and the latest year missing for a quarter of the indicators, so that the window
rule does work. Runs ``compute_index`` with 1,000 Dirichlet perturbations and leave-one-out
runs, prints the wall time of each phase, the total, peak memory and PASS/FAIL against the
30-second target (data generation is timed separately and not counted).

    .venv/bin/python bench/risk/bench_index.py
    .venv/bin/python bench/risk/bench_index.py --regions 2000 --perturbations 100
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

# Run as a script, Python puts bench/risk/ on the path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from safeguard.risk.vulnerability import IndexConfig, Indicator, compute_index

TARGET_SECONDS = 30.0
FACTORS = ("economic", "education", "geography", "community")
INDICATORS_PER_FACTOR = 10
FIRST_YEAR, YEARS = 2015, 10


def bench_config(perturbations: int, seed: int) -> IndexConfig:
    """Ten indicators per factor; every third is skewed (log), every fourth protective (−1)."""
    indicators = tuple(
        Indicator(
            id=f"{factor}_{i:02d}",
            factor=factor,
            direction=-1 if i % 4 == 3 else 1,
            log=i % 3 == 0,
        )
        for factor in FACTORS
        for i in range(INDICATORS_PER_FACTOR)
    )
    return IndexConfig(
        indicators=indicators, reference_year=FIRST_YEAR + YEARS - 1, perturbations=perturbations, seed=seed
    )


def synthetic_observations(n_regions: int, config: IndexConfig, seed: int) -> pd.DataFrame:
    """Long-form observations, one row per region × indicator × year (values may be NaN)."""
    rng = np.random.default_rng(seed)
    n_indicators = len(config.indicators)
    latent = rng.normal(size=(n_regions, 1, 1))
    direction = np.array([indicator.direction for indicator in config.indicators])[None, :, None]
    skewed = np.array([indicator.log for indicator in config.indicators])[None, :, None]
    trend = np.linspace(-0.2, 0.2, YEARS)[None, None, :]
    signal = direction * 0.8 * latent + trend + rng.normal(scale=0.6, size=(n_regions, n_indicators, YEARS))
    values = np.where(skewed, np.exp(signal), 50.0 + 15.0 * signal)
    values[rng.random(values.shape) < 0.10] = np.nan
    values[:, ::4, -1] = np.nan

    regions = pd.Index([f"R{i:06d}" for i in range(n_regions)])
    indicator_ids = pd.Index([indicator.id for indicator in config.indicators])
    region_codes = np.repeat(np.arange(n_regions, dtype=np.int32), n_indicators * YEARS)
    indicator_codes = np.tile(np.repeat(np.arange(n_indicators, dtype=np.int8), YEARS), n_regions)
    years = np.tile(np.arange(FIRST_YEAR, FIRST_YEAR + YEARS, dtype=np.int16), n_regions * n_indicators)
    return pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(region_codes, categories=regions),
            "year": years,
            "indicator": pd.Categorical.from_codes(indicator_codes, categories=indicator_ids),
            "value": values.reshape(-1),
        }
    )


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=50_000)
    parser.add_argument("--perturbations", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    config = bench_config(args.perturbations, args.seed)
    started = time.perf_counter()
    observations = synthetic_observations(args.regions, config, args.seed)
    generated = time.perf_counter() - started
    print(
        f"data: {args.regions:,} regions × {len(config.indicators)} indicators × {YEARS} years "
        f"= {len(observations):,} rows, generated in {generated:.1f} s (not counted); "
        f"{os.cpu_count()} CPUs"
    )

    started = time.perf_counter()
    result = compute_index(observations, config)
    total = time.perf_counter() - started

    for phase, seconds in result.phase_seconds.items():
        print(f"  {phase:<20} {seconds:7.2f} s")
    print(f"  {'total':<20} {total:7.2f} s  ({result.sensitivity_runs:,} sensitivity runs)")
    started = time.perf_counter()
    for region in result.table["region"]:
        result.explain(region)
    explained = time.perf_counter() - started
    print(f"  {'explain every region':<20} {explained:7.2f} s  (not counted: done when a run is saved)")
    print(f"peak memory (max RSS): {peak_memory_mb():,.0f} MB")
    scored = result.table["score"].notna().sum()
    width = (result.table["rank_high"] - result.table["rank_low"]).median()
    print(f"regions scored: {scored:,}; median rank-interval width: {width}")
    verdict = "PASS" if total < TARGET_SECONDS else "FAIL"
    print(f"{verdict}: {total:.1f} s against the {TARGET_SECONDS:.0f} s target")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
