"""Exact quiz scoring, without Django.

A question is worth one point. Scores are ``Fraction``s so that a pass mark is never missed
or reached by a rounding error:

- single choice and true/false: 1 if the chosen option is the correct one, else 0;
- multiple choice: (correct options chosen − wrong options chosen) / correct options, not
  below 0 — ticking every box scores 0, not full marks;
- ordering: items in their right place / items.

The score of an attempt is the sum over its questions; the percentage is score / questions × 100,
and the attempt passes when that percentage is at least the pass mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

QUESTION_KINDS = ("single", "multiple", "true_false", "ordering")


class AnswerError(ValueError):
    """An answer that does not fit its question (an unknown option, a repeated item)."""


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    points: Fraction
    feedback: tuple[str, ...]


@dataclass(frozen=True)
class QuizResult:
    points: Fraction
    questions: int
    pass_mark: int
    results: tuple[QuestionResult, ...]

    @property
    def percent(self) -> Fraction:
        return self.points * 100 / self.questions if self.questions else Fraction(0)

    @property
    def passed(self) -> bool:
        return self.questions > 0 and self.percent >= self.pass_mark


def _option_ids(question: Mapping[str, Any]) -> list[str]:
    return [str(option["id"]) for option in question["options"]]


def score_question(question: Mapping[str, Any], answer: Sequence[str]) -> QuestionResult:
    """Points and feedback for one answer (a list of option ids; in order for ordering)."""
    kind = question["type"]
    ids = _option_ids(question)
    chosen = [str(choice) for choice in answer]
    unknown = [choice for choice in chosen if choice not in ids]
    if unknown:
        raise AnswerError(f"unknown option {unknown[0]!r}")
    if len(set(chosen)) != len(chosen):
        raise AnswerError("an option was given twice")
    feedback_of = {str(option["id"]): str(option.get("feedback", "")) for option in question["options"]}
    explanation = str(question.get("explanation", ""))
    if kind in ("single", "true_false"):
        if len(chosen) > 1:
            raise AnswerError("choose one answer")
        correct = [str(option["id"]) for option in question["options"] if option.get("correct")]
        points = Fraction(1) if chosen and chosen[0] in correct else Fraction(0)
        notes = tuple(feedback_of[choice] for choice in chosen if feedback_of[choice])
    elif kind == "multiple":
        correct_set = {str(option["id"]) for option in question["options"] if option.get("correct")}
        right = sum(1 for choice in chosen if choice in correct_set)
        wrong = len(chosen) - right
        points = max(Fraction(0), Fraction(right - wrong, len(correct_set)))
        notes = tuple(feedback_of[choice] for choice in chosen if feedback_of[choice])
    elif kind == "ordering":
        if chosen and len(chosen) != len(ids):
            raise AnswerError("place every item")
        in_place = sum(1 for position, item in enumerate(chosen) if ids[position] == item)
        points = Fraction(in_place, len(ids))
        notes = ()
    else:
        raise AnswerError(f"unknown question type {kind!r}")
    if explanation:
        notes = (*notes, explanation)
    return QuestionResult(question_id=str(question["id"]), points=points, feedback=notes)


def score_quiz(
    questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Sequence[str]], *, pass_mark: int
) -> QuizResult:
    """Score every question; a question left unanswered scores 0."""
    results = tuple(score_question(question, answers.get(str(question["id"]), ())) for question in questions)
    return QuizResult(
        points=sum((result.points for result in results), Fraction(0)),
        questions=len(results),
        pass_mark=pass_mark,
        results=results,
    )


def may_retry(*, attempts_made: int, max_attempts: int, passed: bool) -> bool:
    """Whether another attempt is allowed; ``max_attempts`` 0 means no limit."""
    if passed:
        return False
    return max_attempts == 0 or attempts_made < max_attempts
