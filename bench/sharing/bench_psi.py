"""Benchmark of private set intersection (OpenMined PSI): 100,000 × 100,000 identifiers.

Synthetic identifiers (fictional phone numbers and example.org addresses, normalised keys);
10 % of the asker's identifiers are held by the other side. Prints the time of each step and
the bytes of each message (what goes over the wire between two installations).

    .venv/bin/python -m bench.sharing.bench_psi [--size 100000] [--overlap 0.1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from safeguard.sharing.intersection import PsiClient, PsiServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--overlap", type=float, default=0.1)
    args = parser.parse_args(argv)
    common = int(args.size * args.overlap)
    mine = [f"phone:+4420794{i:07d}" for i in range(args.size)]
    theirs = [f"phone:+4420794{i:07d}" for i in range(args.size - common, 2 * args.size - common)]
    started = time.perf_counter()
    client = PsiClient(mine)
    request = client.request()
    step1 = time.perf_counter()
    answer = PsiServer(theirs).answer(request, client_size=len(mine))
    step2 = time.perf_counter()
    found = client.intersection(answer)
    step3 = time.perf_counter()
    assert len(found) == common, (len(found), common)
    total_bytes = len(request) + len(answer.setup) + len(answer.response)
    print(f"PSI {args.size:,} × {args.size:,} identifiers, {common:,} in common (exact)")
    print(f"  client request  {step1 - started:6.2f} s  {len(request) / 1e6:6.2f} MB")
    print(
        f"  server answer   {step2 - step1:6.2f} s  setup {len(answer.setup) / 1e6:6.2f} MB, "
        f"response {len(answer.response) / 1e6:6.2f} MB"
    )
    print(f"  client result   {step3 - step2:6.2f} s")
    print(f"  total           {step3 - started:6.2f} s  {total_bytes / 1e6:6.2f} MB on the wire")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
