"""Pairwise precision, recall and F1 of a clustering, by counting pairs (never listing them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PairwiseScores:
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(labels: Sequence[Hashable | None]) -> int:
    return sum(size * (size - 1) // 2 for size in Counter(x for x in labels if x is not None).values())


def pairwise_scores(predicted: Sequence[Hashable | None], truth: Sequence[Hashable | None]) -> PairwiseScores:
    """None means "in no cluster" (counts in no pair)."""
    both = [
        (p, t) if p is not None and t is not None else None for p, t in zip(predicted, truth, strict=True)
    ]
    return PairwiseScores(_pairs(predicted), _pairs(truth), _pairs(both))
