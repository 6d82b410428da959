"""Benchmark of ad template clustering on synthetic ads from planted templates plus noise ads.

    python -m bench.analytics.bench_ads [--n 100000] [--seed 7] [--only plain|drift]

Two lines, on the same planted templates: reposts that only vary their slots (``plain``), and
reposts that drift from their template as real ones do (``drift``: typos, synonyms, dropped
words, shuffled sentences, hashtags, emoji, upper case; see `generate_ads`). For each: generation
and clustering wall time, ads per second, peak RSS and pairwise precision / recall / F1 against
the planted templates (noise ads belong to no true cluster).
"""

from __future__ import annotations

import argparse
import resource
import time

from bench.analytics.generate_ads import generate
from bench.analytics.pairwise import pairwise_scores
from safeguard.analytics.adclusters import Ad, cluster_ads


def measure(n: int, seed: int, drift: bool) -> None:
    started = time.perf_counter()
    ads: list[Ad] = []
    truth: list[int | None] = []
    for record, template in generate(n, seed=seed, drift=drift):
        ads.append(Ad(ad_id=str(record["id"]), text=str(record["text"]), site=str(record["site"])))
        truth.append(template if template >= 0 else None)
    generated = time.perf_counter() - started

    started = time.perf_counter()
    cpu_started = time.process_time()
    result = cluster_ads(ads)
    clustering = time.perf_counter() - started
    clustering_cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    scores = pairwise_scores([result.cluster_of.get(ad.ad_id) for ad in ads], truth)
    label = "drift" if drift else "plain"
    print(f"[{label}] ads {n} ({sum(t is None for t in truth)} noise), generated in {generated:.1f} s")
    print(
        f"[{label}] clustering {clustering:.1f} s wall, {clustering_cpu:.1f} s CPU, "
        f"{n / clustering:.0f} ads/s (incl. templates for {len(result.clusters)} clusters); "
        f"peak RSS {peak:.0f} MiB"
    )
    print(f"[{label}] candidate / verified pairs  {result.candidate_pairs} / {result.verified_pairs}")
    print(
        f"[{label}] true / predicted / correct pairs  "
        f"{scores.true_pairs} / {scores.predicted_pairs} / {scores.correct_pairs}"
    )
    print(
        f"[{label}] precision {scores.precision:.4f}  recall {scores.recall:.4f}  F1 {scores.f1:.4f}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["plain", "drift"])
    args = parser.parse_args(argv)
    for drift in (False, True):
        if args.only in (None, "drift" if drift else "plain"):
            measure(args.n, args.seed, drift)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
