"""Benchmark of ``python -m safeguard.analytics dedupe`` on synthetic people with known duplicates.

    python -m bench.analytics.bench_dedupe [--n 100000] [--seed 11]

Prints wall time, peak RSS of the command and pairwise precision / recall / F1.
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.analytics.generate_people import main as generate_people
from bench.analytics.pairwise import pairwise_scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        people, truth, out = folder / "people.csv", folder / "truth.csv", folder / "clusters.csv"
        generate_people(
            ["--n", str(args.n), "--seed", str(args.seed), "--out", str(people), "--truth", str(truth)]
        )
        command = [
            sys.executable, "-m", "safeguard.analytics", "dedupe", str(people), "--id", "id",
            "--name", "full_name", "--address", "address", "--postcode", "postcode", "--phone", "phone",
            "--email", "email", "--date", "dob", "--out", str(out),
        ]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, check=True)
        elapsed = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with truth.open(encoding="utf-8") as handle:
            person_of = {row["id"]: row["person"] for row in csv.DictReader(handle)}
        with out.open(encoding="utf-8") as handle:
            cluster_of = {row["id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    ids = sorted(person_of)
    assert sorted(cluster_of) == ids, "every row must be in the output exactly once"
    scores = pairwise_scores([cluster_of[i] for i in ids], [person_of[i] for i in ids])
    print(f"rows                 {args.n}")
    print(f"wall time            {elapsed:.1f} s")
    print(f"peak RSS (command)   {peak_mib:.0f} MiB")
    print(
        f"true / predicted / correct pairs  {scores.true_pairs} / {scores.predicted_pairs} / {scores.correct_pairs}"
    )
    print(f"precision {scores.precision:.4f}  recall {scores.recall:.4f}  F1 {scores.f1:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
