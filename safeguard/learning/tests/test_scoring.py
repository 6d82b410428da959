"""Exact quiz scores, by hand and by property."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.learning.scoring import AnswerError, may_retry, score_question, score_quiz


def option(oid: str, correct: bool = False) -> dict[str, Any]:
    return {"id": oid, "text": oid, "correct": correct, "feedback": f"because {oid}"}


SINGLE = {
    "id": "s",
    "type": "single",
    "prompt": "?",
    "options": [option("a"), option("b", True), option("c")],
}
TRUE_FALSE = {
    "id": "t",
    "type": "true_false",
    "prompt": "?",
    "options": [option("true", True), option("false")],
}
MULTIPLE = {
    "id": "m",
    "type": "multiple",
    "prompt": "?",
    "options": [option("a", True), option("b", True), option("c", True), option("d")],
}
ORDERING = {
    "id": "o",
    "type": "ordering",
    "prompt": "?",
    "explanation": "safety first",
    "options": [{"id": x, "text": x} for x in ("w", "x", "y", "z")],
}
QUIZ = [SINGLE, TRUE_FALSE, MULTIPLE, ORDERING]


def test_single_choice_scores_one_or_zero_with_the_chosen_answers_feedback() -> None:
    assert score_question(SINGLE, ["b"]).points == Fraction(1)
    assert score_question(SINGLE, ["b"]).feedback == ("because b",)
    assert score_question(SINGLE, ["a"]).points == Fraction(0)
    assert score_question(SINGLE, []).points == Fraction(0)
    with pytest.raises(AnswerError, match="choose one answer"):
        score_question(SINGLE, ["a", "b"])


def test_multiple_choice_subtracts_wrong_ticks_and_never_goes_below_zero() -> None:
    assert score_question(MULTIPLE, ["a", "b", "c"]).points == Fraction(1)
    assert score_question(MULTIPLE, ["a", "b"]).points == Fraction(2, 3)
    assert score_question(MULTIPLE, ["a", "b", "d"]).points == Fraction(1, 3)
    assert score_question(MULTIPLE, ["a", "b", "c", "d"]).points == Fraction(2, 3)
    assert score_question(MULTIPLE, ["d"]).points == Fraction(0)


def test_ordering_counts_items_in_their_place() -> None:
    assert score_question(ORDERING, ["w", "x", "y", "z"]).points == Fraction(1)
    assert score_question(ORDERING, ["w", "x", "z", "y"]).points == Fraction(1, 2)
    assert score_question(ORDERING, ["z", "y", "x", "w"]).points == Fraction(0)
    assert score_question(ORDERING, ["x", "w", "y", "z"]).feedback == ("safety first",)
    with pytest.raises(AnswerError, match="place every item"):
        score_question(ORDERING, ["w", "x"])
    with pytest.raises(AnswerError, match="given twice"):
        score_question(ORDERING, ["w", "w", "y", "z"])


def test_unknown_options_are_refused() -> None:
    with pytest.raises(AnswerError, match="unknown option 'q'"):
        score_question(SINGLE, ["q"])


def test_a_quiz_score_is_the_exact_sum_and_the_pass_mark_is_inclusive() -> None:
    answers = {"s": ["b"], "t": ["false"], "m": ["a", "b"], "o": ["w", "x", "z", "y"]}
    result = score_quiz(QUIZ, answers, pass_mark=54)
    assert result.points == Fraction(13, 6)
    assert result.percent == Fraction(325, 6)  # 54.1666…%
    assert result.passed is True
    assert score_quiz(QUIZ, answers, pass_mark=55).passed is False
    full = score_quiz(
        QUIZ, {"s": ["b"], "t": ["true"], "m": ["a", "b", "c"], "o": ["w", "x", "y", "z"]}, pass_mark=100
    )
    assert (full.points, full.percent, full.passed) == (Fraction(4), Fraction(100), True)
    assert score_quiz(QUIZ, {}, pass_mark=1).points == Fraction(0)


def test_retries() -> None:
    assert may_retry(attempts_made=2, max_attempts=3, passed=False) is True
    assert may_retry(attempts_made=3, max_attempts=3, passed=False) is False
    assert may_retry(attempts_made=50, max_attempts=0, passed=False) is True
    assert may_retry(attempts_made=0, max_attempts=3, passed=True) is False


@given(st.sets(st.sampled_from(["a", "b", "c", "d"])))
def test_multiple_choice_is_between_zero_and_one_and_exact(chosen: set[str]) -> None:
    points = score_question(MULTIPLE, sorted(chosen)).points
    right = len(chosen & {"a", "b", "c"})
    assert points == max(Fraction(0), Fraction(right - len(chosen - {"a", "b", "c"}), 3))
    assert 0 <= points <= 1


@given(st.permutations(["w", "x", "y", "z"]))
def test_ordering_points_are_quarters_and_full_only_in_order(order: list[str]) -> None:
    points = score_question(ORDERING, order).points
    assert points * 4 == sum(1 for a, b in zip(order, ["w", "x", "y", "z"], strict=True) if a == b)
    assert (points == 1) == (order == ["w", "x", "y", "z"])
