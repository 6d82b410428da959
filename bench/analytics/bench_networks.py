"""End-to-end benchmark: extraction → linking → networks on generated reports, scored against
the planted networks.

    python bench/analytics/generate_reports.py --reports 1000000 --out var/bench/analytics
    python bench/analytics/bench_networks.py --data var/bench/analytics

``--reports N`` generates N reports into a temporary folder first, for a quick run.
Prints wall time per phase, peak RSS (this process and the extraction workers), the number of
networks, the stop-entities and the pairwise precision/recall of planted-network recovery.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from safeguard.analytics.extraction import link_keys_for_batch
from safeguard.analytics.networks import NetworkSettings, build_networks_from_mentions

BATCH = 2_000


@contextmanager
def phase(name: str, timings: dict[str, float]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - started
    print(f"  {name:<12} {timings[name]:8.1f} s", flush=True)


def extract(texts: Sequence[str], regions: Sequence[str], processes: int) -> list[list[str]]:
    batches = [
        list(zip(texts[i : i + BATCH], regions[i : i + BATCH], strict=True))
        for i in range(0, len(texts), BATCH)
    ]
    keys: list[list[str]] = []
    with Pool(processes) as pool, tqdm(total=len(texts), unit="report", mininterval=2.0) as progress:
        for batch_keys in pool.imap(link_keys_for_batch, batches, chunksize=1):
            keys.extend(batch_keys)
            progress.update(len(batch_keys))
    return keys


def link(keys: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    """Flatten per-record keys into columnar mentions (record index, key)."""
    counts = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    mention_records = np.repeat(np.arange(len(keys), dtype=np.int64), counts)
    mention_keys = [key for record_keys in keys for key in record_keys]
    return mention_records, mention_keys


def _pairs(sizes: np.ndarray) -> int:
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_scores(truth: np.ndarray, found: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall by counting: a pair is positive when both reports share a
    planted network (truth ≥ 0) and predicted when they share a found network."""
    truth = truth.astype(np.int64).copy()
    background = truth < 0
    # Each background report is its own planted "network" of one.
    truth[background] = truth.max(initial=0) + 1 + np.arange(int(background.sum()))
    frame = pd.DataFrame({"truth": truth, "found": found})
    both = _pairs(frame.groupby(["truth", "found"]).size().to_numpy())
    true_pairs = _pairs(frame.groupby("truth").size().to_numpy())
    found_pairs = _pairs(frame.groupby("found").size().to_numpy())
    precision = both / found_pairs if found_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return precision, recall


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("var/bench/analytics"))
    parser.add_argument("--reports", type=int, help="generate this many reports into a temp folder first")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--max-records-per-entity", type=int, default=NetworkSettings().max_records_per_entity
    )
    args = parser.parse_args()

    data = args.data
    if args.reports or not (data / "reports.parquet").exists():
        from generate_reports import generate_to

        if args.reports:
            data = Path(tempfile.mkdtemp(prefix="safeguard-bench-"))
        print(f"generating {args.reports or 1_000_000:,} synthetic reports into {data} (not timed)")
        generate_to(args.reports or 1_000_000, 20240501, data)

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with phase("read", timings):
        reports = pq.read_table(data / "reports.parquet").to_pydict()
    print(f"{len(reports['id']):,} reports, mean {np.mean([len(t) for t in reports['text']]):.0f} chars")
    load_at_start = os.getloadavg()[0]
    with phase("extraction", timings):
        keys = extract(reports["text"], reports["country"], args.processes)
    # Other jobs on a shared machine stretch wall time; worker CPU time is what extraction costs.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    timings["extraction_cpu"] = children.ru_utime + children.ru_stime
    with phase("linking", timings):
        mention_records, mention_keys = link(keys)
        del keys
    with phase("networks", timings):
        settings = NetworkSettings(max_records_per_entity=args.max_records_per_entity)
        result = build_networks_from_mentions(reports["id"], mention_records, mention_keys, settings=settings)
    total = time.perf_counter() - started

    truth = pq.read_table(data / "truth.parquet").to_pandas().set_index("id")["network"]
    precision, recall = pairwise_scores(truth.loc[list(result.record_ids)].to_numpy(), result.network_ids)

    print(f"mentions            {len(mention_keys):,} ({len(result.entity_keys):,} distinct keys)")
    print(
        f"networks (≥2)       {len(result.networks):,}; largest {result.networks[0].size if result.networks else 0}"
    )
    print(f"stop-entities       {len(result.stop_entities)}: "
          + ", ".join(f"{s.key} ({s.record_count:,})" for s in result.stop_entities[:5]))  # fmt: skip
    print(f"total wall time     {total:.1f} s")
    print(f"peak RSS            main {peak_rss_mb(resource.RUSAGE_SELF):,.0f} MB, "
          f"largest worker {peak_rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB")  # fmt: skip
    print(f"extraction CPU      {timings['extraction_cpu']:.1f} s in workers (load average at start "
          f"{load_at_start:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    print(f"pairwise precision  {precision:.4f}")
    print(f"pairwise recall     {recall:.4f}")


if __name__ == "__main__":
    main()
