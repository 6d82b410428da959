"""How long the proof of work of decision 092 takes: Python (an API client, the tests) and the
page's script (static/js/proof-of-work.js, run in Node when it is installed, as Chromium's V8 would).

For each difficulty it solves ``--challenges`` random challenges shaped like real ones (a signed
token of about 110 characters) and prints the median and the slowest solve time and the hash rate.

    PYTHONPATH=. .venv/bin/python bench/intake/bench_proof_of_work.py
    PYTHONPATH=. .venv/bin/python bench/intake/bench_proof_of_work.py --bits 12 16 18 --challenges 20
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from safeguard.intake.proofofwork import solve

SCRIPT = Path(__file__).resolve().parents[2] / "safeguard" / "static" / "js" / "proof-of-work.js"
NODE_RUNNER = """
global.window = {}; global.document = {addEventListener() {}};
require(process.argv[1]);
const sha256 = window.safeguardSha256;
const zeros = (d) => { let c = 0; for (const w of d) { if (w === 0) { c += 32; continue; } return c + Math.clz32(w); } return c; };
const [bits, ...tokens] = JSON.parse(process.argv[2]);
const results = tokens.map((token) => {
  const start = process.hrtime.bigint(); let nonce = 0;
  while (zeros(sha256(token + nonce)) < bits) nonce++;
  return [nonce + 1, Number(process.hrtime.bigint() - start) / 1e9];
});
console.log(JSON.stringify(results));
"""


def token() -> str:
    return secrets.token_urlsafe(60) + ":" + secrets.token_urlsafe(32)


def report(label: str, bits: int, results: list[tuple[int, float]]) -> None:
    seconds = [elapsed for _tries, elapsed in results]
    rate = sum(tries for tries, _elapsed in results) / sum(seconds)
    print(
        f"{label:>6} {bits:>2} bits: median {statistics.median(seconds):.3f} s, "
        f"slowest {max(seconds):.3f} s, {rate:,.0f} hashes/s ({len(results)} challenges)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bits", type=int, nargs="+", default=[12, 16])
    parser.add_argument("--challenges", type=int, default=10)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    node = shutil.which("node")
    for bits in args.bits:
        tokens = [token() for _ in range(args.challenges)]
        results = []
        for challenge in tokens:
            start = time.perf_counter()
            nonce = solve(challenge, bits)
            results.append((int(nonce) + 1, time.perf_counter() - start))
        report("python", bits, results)
        if node:
            out = subprocess.run(
                [node, "-e", NODE_RUNNER, str(SCRIPT), json.dumps([bits, *tokens])],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            report("js", bits, [tuple(pair) for pair in json.loads(out.stdout)])
    if not node:
        print("node is not installed: the page's script was not measured")


if __name__ == "__main__":
    main()
