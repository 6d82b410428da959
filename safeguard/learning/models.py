"""Courses, their versions, staff learners' enrolments and attempts, assignments, certificates.

A course's content lives in its versions: each version holds the whole course (every language's
lessons and quiz) as one JSON document in the course file format (``package.py``). A published
version is never changed again; an edit makes a new draft. A learner keeps the version they
started, so a certificate always names exactly what was learnt.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeguard.core.fields import EncryptedTextField


class Audience(models.TextChoices):
    EDUCATORS = "educators", _("Educators")
    PARENTS = "parents", _("Parents and caregivers")
    YOUNG_PEOPLE = "young_people", _("Young people (12–17)")
    FRONTLINE = "frontline", _("Front-line workers")


class Visibility(models.TextChoices):
    ORGANISATION = "organisation", _("My organisation")
    PROPOSED = "proposed", _("Proposed to everyone (awaiting approval)")
    PUBLIC = "public", _("Everyone")


class CourseQuerySet(models.QuerySet["Course"]):
    def public(self) -> CourseQuerySet:
        return self.filter(visibility=Visibility.PUBLIC, published_version__isnull=False)

    def visible_to(self, organisation: Any) -> CourseQuerySet:
        """Public courses, and the published courses of ``organisation``."""
        mine = Q(organisation=organisation) if organisation is not None else Q(pk__in=[])
        return self.filter(published_version__isnull=False).filter(Q(visibility=Visibility.PUBLIC) | mine)


class Course(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="courses",
        help_text=_("The organisation that writes it; empty for the platform's starter courses."),
    )
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION)
    published_version = models.ForeignKey(
        "learning.CourseVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["audience", "slug"]

    def __str__(self) -> str:
        return self.slug


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CourseVersion(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    content = models.JSONField(help_text=_("The whole course in the course file format."))
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="learning_version_number_unique"),
            models.UniqueConstraint(
                fields=["course"], condition=Q(status="draft"), name="learning_one_draft_per_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.slug} v{self.number}"

    @property
    def languages(self) -> list[str]:
        return list(self.content["languages"])

    def language(self, code: str) -> dict[str, Any]:
        """The content in ``code``, or in the course's first language when it has no such one."""
        languages = self.content["languages"]
        return languages.get(code) or next(iter(languages.values()))

    def language_code(self, code: str) -> str:
        return code if code in self.content["languages"] else next(iter(self.content["languages"]))

    @property
    def pass_mark(self) -> int:
        return int(self.content["pass_mark"])

    @property
    def max_attempts(self) -> int:
        return int(self.content["max_attempts"])


class Learner(models.Model):
    """A learner account for the public: optional, to keep progress and earn certificates.

    No e-mail and no password: the learner signs in with a code shown once at sign-up, kept here
    as a look-up handle and a slow hash of the secret part (as receipt codes are). The name is
    optional and encrypted; the region (for coverage) is required; the organisation is optional
    and chosen by the learner.
    """

    handle = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=200)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the xAPI pseudonym
    name = EncryptedTextField(_("name"), blank=True)
    region = models.CharField(_("region"), max_length=20)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"learner {self.handle}"


class Enrolment(models.Model):
    """A learner's progress in one version of a course: a staff user's or a learner account's
    (public learners without an account keep theirs in the session)."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="enrolments"
    )
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, null=True, blank=True, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="enrolments")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8)
    region = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("Where the learner is, for coverage: a region code (ISO 3166 or a custom district)."),
    )
    lessons_done = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    best_percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learning_one_enrolment"),
            models.UniqueConstraint(fields=["learner", "course"], name="learning_one_learner_enrolment"),
            models.CheckConstraint(
                condition=Q(user__isnull=False, learner__isnull=True)
                | Q(user__isnull=True, learner__isnull=False),
                name="learning_enrolment_one_learner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id or self.learner_id} in {self.course_id}"


class Attempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    points = models.DecimalField(max_digits=8, decimal_places=4)
    questions = models.PositiveIntegerField()
    percent = models.DecimalField(max_digits=6, decimal_places=2)
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"attempt {self.pk} {self.percent}%"


class Assignment(models.Model):
    """An organisation admin asks one of their users to take a course by a date."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="learning_assignments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    due_on = models.DateField(_("due date"))
    assigned_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user", "course"], name="learning_one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} for {self.user_id}"


class Certificate(models.Model):
    """Proof that a learner passed a course version.

    The verification code is an HMAC of the certificate's random serial under a key kept outside
    the database (see ``certificates.py``); only its SHA-256 digest is stored, for look-up. The names and title
    printed on the PDF are copied here at issue, so a re-download prints the same certificate.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="certificates"
    )
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, null=True, blank=True, related_name="certificates"
    )
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="certificates")
    serial = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code_digest = models.CharField(max_length=64, unique=True)
    learner_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=300)
    language = models.CharField(max_length=8)
    percent = models.DecimalField(max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"certificate {self.pk}"


class Pseudonym(models.Model):
    """The random name a staff learner has in learning records (xAPI ``account.name``): never
    their e-mail, name or user id, so a record store cannot tell who they are."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="learning_pseudonym")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    def __str__(self) -> str:
        return str(self.key)


class Statement(models.Model):
    """One xAPI statement (a quiz question answered, a quiz passed or failed, a course completed).

    Written in the same transaction as the attempt it records; ``sent_at`` is set once the
    configured learning record store accepted it.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="statements")
    verb = models.CharField(max_length=20)
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="learning_statement_org")]

    def __str__(self) -> str:
        return f"{self.verb} {self.id}"
