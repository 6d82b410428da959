"""Benchmark of ``python -m safeguard.analytics dedupe`` on labelled data it was not tuned on.

    python -m bench.analytics.bench_dedupe [--sets patstat,febrl1,febrl2,febrl3,febrl4,synthetic]
        [--n 20000] [--seed 11] [--labels 0,20,100]

Real data first: the PATSTAT patent inventors (from ``SAFEGUARD_LINKAGE_DATA``; one line says so
when absent) and FEBRL 1-4; then our synthetic people. For each set: wall time, peak RSS of the
command, pairwise precision / recall / F1, and the same with ``--labels`` files of k labelled
pairs (half true pairs, half pairs of different entities that share a name word), for each k.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.analytics.linkage_sets import LinkageSet, febrl, linkage_data_directory, patstat, synthetic
from bench.analytics.pairwise import pairwise_scores

ALL_SETS = ("patstat", "febrl1", "febrl2", "febrl3", "febrl4", "synthetic")


def _load(name: str, folder: Path, n: int, seed: int) -> LinkageSet | None:
    if name == "patstat":
        return patstat(folder)
    if name.startswith("febrl"):
        return febrl(int(name[-1]), folder)
    return synthetic(folder, n, seed)


def _name_words(linkage_set: LinkageSet) -> dict[str, set[str]]:
    name_column = linkage_set.arguments[linkage_set.arguments.index("--name") + 1]
    with linkage_set.csv_path.open(encoding="utf-8") as handle:
        return {
            row[linkage_set.id_column]: set(row[name_column].lower().split())
            for row in csv.DictReader(handle)
        }


def write_labels(linkage_set: LinkageSet, count: int, path: Path, seed: int) -> None:
    """``count`` labelled pairs: half true pairs, half different entities sharing a name word."""
    rng = random.Random(seed)
    members: defaultdict[str, list[str]] = defaultdict(list)
    for record_id, entity in sorted(linkage_set.truth.items()):
        members[entity].append(record_id)
    groups = [group for group in members.values() if len(group) > 1]
    positives: set[tuple[str, str]] = set()
    while groups and len(positives) < count // 2:
        left, right = rng.sample(rng.choice(groups), 2)
        positives.add((left, right))
    words = _name_words(linkage_set)
    by_word: defaultdict[str, list[str]] = defaultdict(list)
    for record_id, record_words in sorted(words.items()):
        for word in record_words:
            by_word[word].append(record_id)
    shared = [ids for ids in by_word.values() if len(ids) > 1]
    negatives: set[tuple[str, str]] = set()
    attempts = 0
    while shared and len(negatives) < count - len(positives) and attempts < 100 * count:
        attempts += 1
        left, right = rng.sample(rng.choice(shared), 2)
        if linkage_set.truth[left] != linkage_set.truth[right]:
            negatives.add((left, right))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_left", "id_right", "match"])
        writer.writerows([(left, right, 1) for left, right in sorted(positives)])
        writer.writerows([(left, right, 0) for left, right in sorted(negatives)])


def run(linkage_set: LinkageSet, out: Path, labels: Path | None) -> str:
    command = [
        sys.executable, "-m", "safeguard.analytics", "dedupe", str(linkage_set.csv_path),
        *linkage_set.arguments, "--out", str(out), "--quiet",
    ]  # fmt: skip
    if labels is not None:
        command += ["--labels", str(labels)]
    started = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)  # this command's own peak RSS, not all children's
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    peak_mib = usage.ru_maxrss / 1024
    with out.open(encoding="utf-8") as handle:
        cluster_of = {row["id"]: row["cluster_id"] for row in csv.DictReader(handle)}
    ids = sorted(linkage_set.truth)
    assert sorted(cluster_of) == ids, "every row must be in the output exactly once"
    scores = pairwise_scores([cluster_of[i] for i in ids], [linkage_set.truth[i] for i in ids])
    largest = max(list(cluster_of.values()).count(c) for c in set(cluster_of.values()))
    return (
        f"P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.3f}  "
        f"{elapsed:6.1f} s  {peak_mib:5.0f} MiB  largest cluster {largest}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--n", type=int, default=20_000, help="rows of the synthetic set")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--labels", default="0,20,100", help="numbers of labelled pairs to try")
    args = parser.parse_args(argv)
    label_counts = [int(part) for part in args.labels.split(",") if part.strip()]
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        for name in args.sets.split(","):
            linkage_set = _load(name, folder, args.n, args.seed)
            if linkage_set is None:
                print(f"{name:14s} skipped: no patstat_*.csv in {linkage_data_directory()}", flush=True)
                continue
            records = len(linkage_set.truth)
            for count in label_counts if not name.startswith("synthetic") else [0]:
                labels = None
                if count:
                    labels = folder / f"{name}-labels-{count}.csv"
                    write_labels(linkage_set, count, labels, args.seed)
                line = run(linkage_set, folder / "clusters.csv", labels)
                print(f"{linkage_set.name:14s} {records:6d} rows  labels {count:4d}  {line}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
