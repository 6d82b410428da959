"""Tracing matches on synthetic data: how often a family's enquiry finds the right child, how
often it proposes a wrong one, and how long scoring one search takes.

Generates (seeded) fictional children from combinations of common West African and Arabic given
and family names, then for each child an enquiry as a family would give it: a spelling variant of
the names (one letter doubled, dropped or swapped for a sound-alike), the age guessed within ±2
years, the region or only the country. Every enquiry is scored against every child of the same
phonetic block (what the database join hands the scorer); prints recall (right child at or above
the threshold), the false proposals per enquiry, and the p95 time of one search.

    python bench/tracing/bench_matching.py [--children 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from safeguard.cases.matching import name_keys
from safeguard.tracing.matching import THRESHOLD, ChildSide, EnquirySide, score

GIVEN = ["Amina", "Fatima", "Aisha", "Hauwa", "Zainab", "Musa", "Ibrahim", "Yusuf", "Grace", "Blessing",
         "Chinedu", "Emeka", "Ngozi", "Kemi", "Tunde", "Sani", "Bello", "Halima", "Maryam", "Umar"]  # fmt: skip
FAMILY = ["Yusuf", "Bello", "Okafor", "Adeyemi", "Abubakar", "Mohammed", "Okonkwo", "Ibrahim", "Danjuma",
          "Eze", "Nwosu", "Lawal", "Garba", "Suleiman", "Balogun"]  # fmt: skip
REGIONS = ["NG-KN", "NG-LA", "NG-KD", "NG-BO", "NG-OY"]
SOUNDS = {"y": "i", "i": "y", "ou": "u", "u": "ou", "c": "k", "k": "c", "ph": "f"}


def variant(name: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return name
    if choice == 1:  # a letter doubled or an "h" added at the end
        return name + "h" if name[-1] in "aeiou" else name[:-1] + name[-1] * 2
    if choice == 2:
        for old, new in SOUNDS.items():
            if old in name[1:]:
                return name[0] + name[1:].replace(old, new, 1)
        return name
    i = rng.randrange(1, len(name))
    return name[:i] + name[i + 1 :] if len(name) > 4 else name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    children = []
    for _ in range(args.children):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        children.append(
            ChildSide(
                names=[f"{given} {family}"],
                age=rng.randrange(5, 18),
                sex=rng.choice(["Feminine", "Masculine"]),
                places=[region := rng.choice(REGIONS), region[:2]],
            )
        )
    blocks: dict[str, set[int]] = defaultdict(set)
    for index, child in enumerate(children):
        for key in name_keys(child.names):
            blocks[key].add(index)
    found = proposals_wrong = 0
    timings: list[float] = []
    sizes: list[int] = []
    for index, child in enumerate(children):
        given, family = child.names[0].split()
        age = child.age + rng.randint(-2, 2) if child.age is not None else None
        enquiry = EnquirySide(
            names=[f"{variant(given, rng)} {variant(family, rng)}"],
            age=age,
            sex=child.sex,
            place=child.places[0] if rng.random() < 0.5 else child.places[1],
        )
        candidates = set().union(*(blocks.get(key, set()) for key in name_keys(enquiry.names)))
        sizes.append(len(candidates))
        started = time.perf_counter()
        scored = {candidate: score(children[candidate], enquiry).value for candidate in candidates}
        timings.append(time.perf_counter() - started)
        found += scored.get(index, 0.0) >= THRESHOLD
        proposals_wrong += sum(1 for c, value in scored.items() if c != index and value >= THRESHOLD)
    n = len(children)
    timings.sort()
    print(f"children {n}, enquiries {n} (spelling variants, age ±2, region or country), seed {args.seed}")
    print(f"recall at {THRESHOLD}: {found / n:.3f}")
    # Many synthetic children share a name, sex and age: a "wrong" proposal is often a namesake
    # that only the description and the case team can tell apart.
    print(f"other children proposed per enquiry: {proposals_wrong / n:.2f}")
    print(f"candidates per search (mean): {statistics.mean(sizes):.1f}")
    print(f"one search p95: {timings[int(0.95 * (n - 1))] * 1000:.2f} ms")


if __name__ == "__main__":
    main()
