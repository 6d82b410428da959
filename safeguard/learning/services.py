"""Writes for courses, their versions, staff learners, assignments and certificates.

Authoring services take the ``Actor`` and check ``learning.manage`` and that the course belongs
to the actor's organisation before they write anything. Installing the starter courses is a
system service (the demo seeder and ``manage.py`` call it) and takes no actor.
"""

from __future__ import annotations

import copy
import datetime
import secrets
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import Actor, require_platform_admin
from safeguard.accounts.models import Organisation, User
from safeguard.core.audit import audit_record
from safeguard.learning import package as course_package
from safeguard.learning import records
from safeguard.learning.certificates import code_for, digest_of
from safeguard.learning.models import (
    Assignment,
    Attempt,
    Certificate,
    Course,
    CourseVersion,
    Enrolment,
    Learner,
    VersionStatus,
    Visibility,
)
from safeguard.learning.regions import region_is_known
from safeguard.learning.scoring import AnswerError, QuizResult, may_retry, score_quiz


def _checked(content: dict[str, Any]) -> dict[str, Any]:
    try:
        return course_package.validate(copy.deepcopy(content))
    except course_package.PackageError as error:
        raise ValidationError({"content": str(error)}) from error


def _require_author(actor: Actor, course: Course) -> None:
    actor.require("learning.manage")
    if course.organisation_id is None or course.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied("course of another organisation")


def _next_number(course: Course) -> int:
    last = course.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def course_create(*, actor: Actor, content: dict[str, Any]) -> Course:
    """A new course of the actor's organisation, with its first draft; audited."""
    actor.require("learning.manage")
    if actor.organisation is None:
        raise PermissionDenied("no active organisation")
    content = _checked(content)
    if Course.objects.filter(slug=content["slug"]).exists():
        raise ValidationError({"slug": "A course with this short name already exists."})
    course = Course(slug=content["slug"], audience=content["audience"], organisation=actor.organisation)
    course.full_clean()
    course.save()
    version = CourseVersion(course=course, number=1, content=content)
    version.full_clean()
    version.save()
    audit_record(action="learning.course_created", actor=actor, target=course)
    return course


@transaction.atomic
def course_draft_save(*, actor: Actor, course: Course, content: dict[str, Any]) -> CourseVersion:
    """Change the course's draft, or start a new draft from the edit when there is none.

    Published versions are never changed: learners who started one keep it.
    """
    _require_author(actor, course)
    content = _checked(content)
    if content["slug"] != course.slug:
        raise ValidationError({"slug": "The short name of a course cannot change."})
    draft = course.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        draft = CourseVersion(course=course, number=_next_number(course), content=content)
    else:
        draft.content = content
    draft.full_clean()
    draft.save()
    if course.audience != content["audience"]:
        course.audience = content["audience"]
        course.save(update_fields=["audience", "updated_at"])
    audit_record(action="learning.draft_saved", actor=actor, target=draft, detail={"course": course.pk})
    return draft


@transaction.atomic
def course_publish(*, actor: Actor, course: Course, to_everyone: bool = False) -> CourseVersion:
    """Freeze the draft as the published version; to everyone only after a platform admin approves."""
    _require_author(actor, course)
    draft = course.versions.select_for_update().filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise ValidationError("There is no draft to publish.")
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.save(update_fields=["status", "published_at"])
    course.published_version = draft
    fields = ["published_version", "updated_at"]
    if to_everyone and course.visibility != Visibility.PUBLIC:
        course.visibility = Visibility.PROPOSED
        fields.append("visibility")
    course.save(update_fields=fields)
    audit_record(
        action="learning.course_published",
        actor=actor,
        target=course,
        detail={"version": draft.number, "proposed": to_everyone},
    )
    return draft


@transaction.atomic
def course_approve_public(*, user: User, course: Course) -> Course:
    """A platform administrator opens a proposed course to everyone."""
    require_platform_admin(user)
    if course.visibility != Visibility.PROPOSED:
        raise ValidationError("Only a proposed course can be approved.")
    course.visibility = Visibility.PUBLIC
    course.save(update_fields=["visibility", "updated_at"])
    audit_record(
        action="learning.course_approved", actor=user, organisation=course.organisation, target=course
    )
    return course


def course_export(version: CourseVersion) -> dict[str, Any]:
    """The version as a self-contained course package (read by ``course_import``)."""
    return copy.deepcopy(version.content)


@transaction.atomic
def course_import(*, actor: Actor, name: str, data: bytes) -> Course:
    """Import a JSON or zip course file: a new course, or a new draft of one of ours with that name."""
    actor.require("learning.manage")
    try:
        content = course_package.read_upload(name, data)
    except course_package.PackageError as error:
        raise ValidationError({"file": str(error)}) from error
    existing = Course.objects.filter(slug=content["slug"]).first()
    if existing is None:
        return course_create(actor=actor, content=content)
    course_draft_save(actor=actor, course=existing, content=content)
    return existing


@transaction.atomic
def starter_course_install(*, content: dict[str, Any]) -> tuple[Course, bool]:
    """Install or update one of the platform's own public courses (system service, no actor).

    Idempotent: a course whose published content is already this one is left alone; otherwise
    a new version is published, and learners who started the old one keep it.
    """
    content = _checked(content)
    course = Course.objects.filter(slug=content["slug"]).first()
    if course is None:
        course = Course(slug=content["slug"], audience=content["audience"], visibility=Visibility.PUBLIC)
        course.full_clean()
        course.save()
    elif course.organisation_id is not None:
        raise ValidationError({"slug": "This short name belongs to an organisation's course."})
    if course.published_version is not None and course.published_version.content == content:
        return course, False
    course.versions.filter(status=VersionStatus.DRAFT).delete()
    version = CourseVersion(
        course=course,
        number=_next_number(course),
        content=content,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    version.full_clean()
    version.save()
    course.published_version = version
    course.audience = content["audience"]
    course.save(update_fields=["published_version", "audience", "updated_at"])
    audit_record(
        action="learning.starter_course_installed", target=course, detail={"version": version.number}
    )
    return course, True


# Staff learners -------------------------------------------------------------------------------


@transaction.atomic
def enrolment_start(*, actor: Actor, course: Course, language: str) -> Enrolment:
    """The actor's enrolment in the course; a new one pins the version published now."""
    if course.published_version is None:
        raise ValidationError("This course is not published.")
    enrolment = Enrolment.objects.filter(user=actor.user, course=course).first()
    if enrolment is not None:
        return enrolment
    version = course.published_version
    enrolment = Enrolment(
        user=actor.user,
        course=course,
        version=version,
        organisation=actor.organisation,
        region=getattr(actor.organisation, "country", ""),
        language=version.language_code(language),
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


def enrolment_lesson_done(*, enrolment: Enrolment, lesson: int) -> None:
    if lesson not in enrolment.lessons_done:
        enrolment.lessons_done = sorted([*enrolment.lessons_done, lesson])
        enrolment.save(update_fields=["lessons_done"])


def _percent(result: QuizResult) -> Decimal:
    return (Decimal(result.percent.numerator) / Decimal(result.percent.denominator)).quantize(Decimal("0.01"))


@transaction.atomic
def attempt_submit(
    *, enrolment: Enrolment, answers: dict[str, list[str]]
) -> tuple[QuizResult, Certificate | None]:
    """Score one attempt at the enrolment's quiz, record it, and issue a certificate on a pass."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    version = enrolment.version
    if enrolment.completed_at is not None or not may_retry(
        attempts_made=enrolment.attempts, max_attempts=version.max_attempts, passed=False
    ):
        raise ValidationError("No attempts are left for this quiz.")
    questions = version.language(enrolment.language)["questions"]
    try:
        result = score_quiz(questions, answers, pass_mark=version.pass_mark)
    except AnswerError as error:
        raise ValidationError(str(error)) from error
    percent = _percent(result)
    Attempt.objects.create(
        enrolment=enrolment,
        points=Decimal(result.points.numerator) / Decimal(result.points.denominator),
        questions=result.questions,
        percent=percent,
        passed=result.passed,
    )
    records.statements_record_attempt(enrolment=enrolment, result=result)
    enrolment.attempts += 1
    enrolment.best_percent = max(enrolment.best_percent or Decimal(0), percent)
    fields = ["attempts", "best_percent"]
    certificate = None
    if result.passed:
        enrolment.completed_at = timezone.now()
        fields.append("completed_at")
        certificate = _certificate_issue(enrolment=enrolment, percent=percent)
    enrolment.save(update_fields=fields)
    return result, certificate


def _certificate_issue(*, enrolment: Enrolment, percent: Decimal) -> Certificate:
    user, learner = enrolment.user, enrolment.learner
    if user is not None:
        printed_name = user.name or user.email
    else:
        assert learner is not None
        printed_name = learner.name or f"{learner.handle[:4]}-{learner.handle[4:]}"
    certificate = Certificate(
        user=user,
        learner=learner,
        version=enrolment.version,
        learner_name=printed_name,
        course_title=enrolment.version.language(enrolment.language)["title"],
        language=enrolment.language,
        percent=percent,
        issued_at=timezone.now(),
    )
    certificate.code_digest = digest_of(code_for(certificate.serial))
    certificate.full_clean()
    certificate.save()
    audit_record(
        action="learning.certificate_issued",
        actor=user,
        organisation=enrolment.organisation,
        target=certificate,
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate of a learner of the actor's organisation (issued in error, say)."""
    actor.require("learning.manage")
    of_mine = Enrolment.objects.filter(
        user=certificate.user,
        learner=certificate.learner,
        version=certificate.version,
        organisation=actor.organisation,
    ).exists()
    if not of_mine:
        raise PermissionDenied("certificate of another organisation")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(action="learning.certificate_revoked", actor=actor, target=certificate)
    return certificate


@transaction.atomic
def assignment_create(*, actor: Actor, user: User, course: Course, due_on: datetime.date) -> Assignment:
    """An organisation admin asks one of their users to take a course by ``due_on``."""
    actor.require("users.manage")
    if not user.memberships.filter(organisation=actor.organisation).exists():
        raise PermissionDenied("not a member of your organisation")
    if not Course.objects.visible_to(actor.organisation).filter(pk=course.pk).exists():
        raise PermissionDenied("course not available to your organisation")
    assignment, _created = Assignment.objects.update_or_create(
        organisation=actor.organisation,
        user=user,
        course=course,
        defaults={"due_on": due_on, "assigned_by": actor.user},
    )
    audit_record(action="learning.course_assigned", actor=actor, target=assignment, detail={"user": user.pk})
    return assignment


# Learner accounts for the public -----------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
HANDLE_LENGTH, SECRET_LENGTH = 8, 12


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def learner_code_normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)


@transaction.atomic
def learner_register(*, name: str, region: str, organisation: Organisation | None) -> tuple[Learner, str]:
    """A learner account for a member of the public (no actor: anyone may make one).

    Returns the account and its sign-in code, which is shown once and never stored: only its
    handle and a slow hash of its secret part are kept. No e-mail, address or agent is stored.
    """
    if not region_is_known(region):
        raise ValidationError({"region": "Choose your region from the list."})
    handle, secret = _random_code(HANDLE_LENGTH), _random_code(SECRET_LENGTH)
    learner = Learner(
        handle=handle,
        secret_hash=make_password(secret),
        name=name.strip()[:200],
        region=region,
        organisation=organisation,
    )
    learner.full_clean()
    learner.save()
    code = handle + secret
    return learner, "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def learner_sign_in(*, code: str) -> Learner | None:
    """The learner account of a sign-in code, or None for a wrong code (same work either way)."""
    code = learner_code_normalise(code)
    handle, secret = code[:HANDLE_LENGTH], code[HANDLE_LENGTH:]
    learner = (
        Learner.objects.filter(handle=handle).first() if len(code) == HANDLE_LENGTH + SECRET_LENGTH else None
    )
    if learner is None:
        make_password(secret)  # as slow as a real check, so a wrong handle is not told apart
        return None
    return learner if check_password(secret, learner.secret_hash) else None


@transaction.atomic
def learner_delete(*, learner: Learner) -> int:
    """Delete a learner account with its progress, attempts, certificates and learning records.

    The learner asks for it themselves (no staff actor can). Completions leave the coverage
    figures with it; statements already sent to a record store stay there, under the account's
    random id only. Returns the number of courses the account had started.
    """
    started = learner.enrolments.count()
    audit_record(
        action="learning.learner_deleted",
        actor=None,
        organisation=learner.organisation,
        detail={"courses": started},
    )
    learner.delete()
    return started


@transaction.atomic
def learner_enrolment_start(*, learner: Learner, course: Course, language: str) -> Enrolment:
    """The learner account's enrolment in a public course; a new one pins the version published now."""
    if course.published_version is None or course.visibility != Visibility.PUBLIC:
        raise ValidationError("This course is not open to everyone.")
    enrolment = Enrolment.objects.filter(learner=learner, course=course).first()
    if enrolment is not None:
        return enrolment
    version = course.published_version
    enrolment = Enrolment(
        learner=learner,
        course=course,
        version=version,
        organisation=learner.organisation,
        region=learner.region,
        language=version.language_code(language),
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment
