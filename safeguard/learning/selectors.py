"""Reads for courses, learners' completions and coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import Count, Q

from safeguard.learning import package as course_package
from safeguard.learning.models import Assignment, Course, Enrolment

CONTENT = Path(__file__).resolve().parent / "content"


def starter_packages() -> list[dict[str, Any]]:
    """The platform's own courses, read from ``content/<course>/``."""
    return [
        course_package.read_directory(folder)
        for folder in sorted(CONTENT.iterdir())
        if (folder / "manifest.json").exists()
    ]


def public_courses(*, audience: str | None = None) -> list[Course]:
    courses = Course.objects.public().select_related("published_version")
    if audience:
        courses = courses.filter(audience=audience)
    return list(courses)


def courses_for(organisation: Any) -> list[Course]:
    return list(Course.objects.visible_to(organisation).select_related("published_version"))


def authored_by(organisation: Any) -> list[Course]:
    return list(Course.objects.filter(organisation=organisation).prefetch_related("versions"))


def assignments_of(organisation: Any) -> list[dict[str, Any]]:
    """Each assignment of the organisation with whether (and when) its user completed the course."""
    rows = []
    for assignment in Assignment.objects.filter(organisation=organisation).select_related("user", "course"):
        enrolment = Enrolment.objects.filter(user=assignment.user, course=assignment.course).first()
        rows.append(
            {
                "assignment": assignment,
                "completed_at": enrolment.completed_at if enrolment else None,
                "started": enrolment is not None,
            }
        )
    return rows


def completions_by_region(*, audience: str | None = None, since: Any = None) -> dict[str, int]:
    """Completed enrolments per country (the learner's organisation's ISO 3166-1 code).

    Only counts, never who: for the risk app's prevention targeting page.
    """
    enrolments = Enrolment.objects.filter(completed_at__isnull=False, organisation__isnull=False)
    if audience:
        enrolments = enrolments.filter(course__audience=audience)
    if since is not None:
        enrolments = enrolments.filter(completed_at__gte=since)
    rows = (
        enrolments.exclude(organisation__country="")
        .values("organisation__country")
        .annotate(completions=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by("organisation__country")
    )
    return {row["organisation__country"]: row["completions"] for row in rows}
