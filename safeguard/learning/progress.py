"""Where a learner's progress is kept: the session for the public, an enrolment for staff.

A public learner's progress lives only in their own server-side session, and holds no answer
and nothing about the person: the version they started, the language, the lessons they opened,
how many attempts they made, whether they passed and their best score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest

from safeguard.accounts.access import actor_for, mfa_verified
from safeguard.learning import services
from safeguard.learning.models import Certificate, Course, CourseVersion, Enrolment, Learner
from safeguard.learning.scoring import QuizResult, may_retry, score_quiz

SESSION_KEY = "learning"
ACCOUNT_KEY = "learning_account"


@dataclass
class Progress:
    course: Course
    version: CourseVersion
    language: str
    lessons_done: list[int]
    attempts: int
    passed: bool
    best_percent: Decimal | None
    enrolment: Enrolment | None = None

    @property
    def content(self) -> dict[str, Any]:
        return self.version.language(self.language)

    @property
    def can_attempt(self) -> bool:
        return may_retry(
            attempts_made=self.attempts, max_attempts=self.version.max_attempts, passed=self.passed
        )

    @property
    def attempts_left(self) -> int | None:
        limit = self.version.max_attempts
        return None if limit == 0 else max(0, limit - self.attempts)


def is_staff_learner(request: HttpRequest) -> bool:
    return mfa_verified(request.user) and getattr(request, "organisation", None) is not None


def signed_in_learner(request: HttpRequest) -> Learner | None:
    """The learner account signed in in this session (never for staff: they learn as staff)."""
    learner_id = request.session.get(ACCOUNT_KEY)
    if learner_id is None or is_staff_learner(request):
        return None
    return Learner.objects.filter(pk=learner_id).first()


def _from_enrolment(course: Course, enrolment: Enrolment) -> Progress:
    return Progress(
        course=course,
        version=enrolment.version,
        language=enrolment.language,
        lessons_done=list(enrolment.lessons_done),
        attempts=enrolment.attempts,
        passed=enrolment.completed_at is not None,
        best_percent=enrolment.best_percent,
        enrolment=enrolment,
    )


def progress_for(request: HttpRequest, course: Course, language: str) -> Progress:
    """The learner's progress in ``course``, starting it (on the version published now) if new."""
    assert course.published_version is not None
    if is_staff_learner(request):
        enrolment = services.enrolment_start(actor=actor_for(request), course=course, language=language)
        return _from_enrolment(course, enrolment)
    account = signed_in_learner(request)
    if account is not None and course.visibility == "public":
        enrolment = services.learner_enrolment_start(learner=account, course=course, language=language)
        return _from_enrolment(course, enrolment)
    store = request.session.get(SESSION_KEY, {})
    state = store.get(course.slug)
    version = None
    if state is not None:
        version = CourseVersion.objects.filter(pk=state["version"], course=course, status="published").first()
    if state is None or version is None:
        version = course.published_version
        state = {"version": version.pk, "language": version.language_code(language), "done": [], "attempts": 0, "passed": False, "best": None}  # fmt: skip
        store[course.slug] = state
        request.session[SESSION_KEY] = store
    return Progress(
        course=course,
        version=version,
        language=state["language"],
        lessons_done=list(state["done"]),
        attempts=int(state["attempts"]),
        passed=bool(state["passed"]),
        best_percent=Decimal(state["best"]) if state["best"] else None,
    )


def switch_language(request: HttpRequest, progress: Progress, language: str) -> None:
    """Follow the learner into another language of the same version."""
    code = progress.version.language_code(language)
    if code == progress.language:
        return
    progress.language = code
    if progress.enrolment is not None:
        progress.enrolment.language = code
        progress.enrolment.save(update_fields=["language"])
    else:
        _save(request, progress)


def lesson_done(request: HttpRequest, progress: Progress, lesson: int) -> None:
    if lesson in progress.lessons_done:
        return
    progress.lessons_done = sorted([*progress.lessons_done, lesson])
    if progress.enrolment is not None:
        services.enrolment_lesson_done(enrolment=progress.enrolment, lesson=lesson)
    else:
        _save(request, progress)


def submit(
    request: HttpRequest, progress: Progress, answers: dict[str, list[str]]
) -> tuple[QuizResult, Certificate | None]:
    """Score an attempt; staff attempts are recorded, public ones only counted in the session."""
    if progress.enrolment is not None:
        result, certificate = services.attempt_submit(enrolment=progress.enrolment, answers=answers)
        progress.enrolment.refresh_from_db()
        progress.attempts = progress.enrolment.attempts
        progress.passed = progress.enrolment.completed_at is not None
        return result, certificate
    result = score_quiz(progress.content["questions"], answers, pass_mark=progress.version.pass_mark)
    progress.attempts += 1
    progress.passed = result.passed
    percent = Decimal(result.percent.numerator) / Decimal(result.percent.denominator)
    progress.best_percent = max(progress.best_percent or Decimal(0), percent.quantize(Decimal("0.01")))
    _save(request, progress)
    return result, None


def _save(request: HttpRequest, progress: Progress) -> None:
    store = request.session.get(SESSION_KEY, {})
    store[progress.course.slug] = {
        "version": progress.version.pk,
        "language": progress.language,
        "done": progress.lessons_done,
        "attempts": progress.attempts,
        "passed": progress.passed,
        "best": str(progress.best_percent) if progress.best_percent is not None else None,
    }
    request.session[SESSION_KEY] = store
