"""Differentially private counts: calibration of the noise, domains, thresholds and the budget."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from safeguard.sharing.privacy import (
    BudgetExceeded,
    PrivacyError,
    check_budget,
    discrete_laplace_sample,
    interval_half_width,
    noisy_counts,
)

TABLE = pd.DataFrame({"country": ["ES"] * 50 + ["FR"] * 30, "gender": ["female", "male"] * 40})


def _expected_absolute_error(scale: float) -> float:
    # Discrete Laplace of scale b: P(x) ∝ p^|x| with p = exp(-1/b), so E|X| = 2p / (1 - p²).
    p = math.exp(-1 / scale)
    return 2 * p / (1 - p**2)


@pytest.mark.parametrize("epsilon", [0.1, 0.5, 1.0])
def test_seeded_noise_matches_the_documented_scale(epsilon: float) -> None:
    table = pd.DataFrame({"cell": [f"{i:03}" for i in range(100)] * 50})
    errors: list[int] = []
    for seed in range(40):
        result = noisy_counts(table, by=["cell"], epsilon=epsilon, seed=seed)
        errors.extend(cell.noisy - 50 for cell in result.cells)
    assert result.scale == pytest.approx(1 / epsilon)
    assert np.mean(np.abs(errors)) == pytest.approx(_expected_absolute_error(1 / epsilon), rel=0.06)


def test_opendp_noise_matches_the_documented_scale_and_interval() -> None:
    epsilon = 0.5
    table = pd.DataFrame({"cell": [str(i) for i in range(2000)] * 100})
    result = noisy_counts(table, by=["cell"], epsilon=epsilon)
    errors = np.array([cell.noisy - 100 for cell in result.cells], dtype=float)
    assert result.report()["mechanism"] == "discrete Laplace (OpenDP)"
    # OpenDP's noise cannot be seeded, so both checks allow five standard errors over the 2,000
    # cells: a correct sampler fails them about once in a million runs.
    p = math.exp(-1 / 2.0)
    mean_absolute = _expected_absolute_error(2.0)
    spread = math.sqrt(2 * p / (1 - p) ** 2 - mean_absolute**2)  # E[X²] = 2p / (1 - p)²
    assert np.mean(np.abs(errors)) == pytest.approx(mean_absolute, abs=5 * spread / math.sqrt(2000))
    # The noise is whole numbers, so the 95 % interval covers P(|X| <= floor(half-width)) exactly.
    expected = 1 - 2 * p ** (math.floor(result.half_width) + 1) / (1 + p)
    assert expected >= 0.95
    covered = np.mean(np.abs(errors) <= result.half_width)
    assert covered == pytest.approx(expected, abs=5 * math.sqrt(expected * (1 - expected) / 2000))


def test_discrete_laplace_sampler_variance() -> None:
    scale = 4.0
    noise = discrete_laplace_sample(scale, 200_000, np.random.default_rng(1))
    p = math.exp(-1 / scale)
    assert noise.var() == pytest.approx(2 * p / (1 - p) ** 2, rel=0.03)


def test_declared_domain_releases_empty_cells_and_ignores_values_outside() -> None:
    result = noisy_counts(TABLE, by=["country"], epsilon=1.0, domains={"country": ["ES", "FR", "MX"]}, seed=3)
    assert list(result.table()["country"]) == ["ES", "FR", "MX"]
    assert result.report()["domain_from_data"] == []
    from_data = noisy_counts(TABLE, by=["country", "gender"], epsilon=1.0, seed=3)
    assert len(from_data.cells) == 4
    assert from_data.report()["domain_from_data"] == ["country", "gender"]


def test_cells_below_the_threshold_after_noise_are_suppressed() -> None:
    table = pd.DataFrame({"country": ["ES"] * 100 + ["FR"] * 2})
    result = noisy_counts(table, by=["country"], epsilon=2.0, threshold=20, seed=5)
    counts = dict(zip(result.table()["country"], result.table()["count"], strict=True))
    assert counts["FR"] is pd.NA
    assert 80 <= counts["ES"] <= 120
    assert result.suppressed == 1
    assert interval_half_width(0.5) == pytest.approx(result.half_width)


def test_the_budget_refuses_a_release_over_what_is_left() -> None:
    check_budget(epsilon=0.5, spent=0.5, total=1.0)
    with pytest.raises(BudgetExceeded, match=r"more than the 0\.2 left"):
        check_budget(epsilon=0.5, spent=0.8, total=1.0)
    with pytest.raises(PrivacyError, match="positive"):
        check_budget(epsilon=0.0, spent=0.0, total=1.0)


def test_bad_options() -> None:
    with pytest.raises(PrivacyError, match="no column named region"):
        noisy_counts(TABLE, by=["region"], epsilon=1.0)
    with pytest.raises(PrivacyError, match="positive"):
        noisy_counts(TABLE, by=["country"], epsilon=-1.0)
