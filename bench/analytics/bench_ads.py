"""Benchmark of ad template clustering on synthetic ads from planted templates plus noise ads.

    python -m bench.analytics.bench_ads [--n 1000000] [--seed 7]

Prints generation and clustering wall time, peak RSS and pairwise precision / recall / F1
against the planted templates (noise ads belong to no true cluster).
"""

from __future__ import annotations

import argparse
import resource
import time

from bench.analytics.generate_ads import generate
from bench.analytics.pairwise import pairwise_scores
from safeguard.analytics.adclusters import Ad, cluster_ads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    ads: list[Ad] = []
    truth: list[int | None] = []
    for record, template in generate(args.n, seed=args.seed):
        ads.append(Ad(ad_id=str(record["id"]), text=str(record["text"]), site=str(record["site"])))
        truth.append(template if template >= 0 else None)
    generated = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    started = time.perf_counter()
    cpu_started = time.process_time()
    result = cluster_ads(ads)
    clustering = time.perf_counter() - started
    clustering_cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    scores = pairwise_scores([result.cluster_of.get(ad.ad_id) for ad in ads], truth)
    print(f"ads                  {args.n} ({sum(t is None for t in truth)} noise)")
    print(f"generation           {generated:.1f} s")
    print(f"clustering wall time {clustering:.1f} s  (incl. templates for {len(result.clusters)} clusters)")
    print(f"clustering CPU time  {clustering_cpu:.1f} s (one process)")
    print(f"peak RSS             {peak:.0f} MiB (after generation: {rss_before:.0f} MiB)")
    print(f"candidate / verified pairs  {result.candidate_pairs} / {result.verified_pairs}")
    print(
        f"true / predicted / correct pairs  {scores.true_pairs} / {scores.predicted_pairs} / {scores.correct_pairs}"
    )
    print(f"precision {scores.precision:.4f}  recall {scores.recall:.4f}  F1 {scores.f1:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
