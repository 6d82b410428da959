"""Reads for courses, learners' completions and coverage."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from safeguard.learning import package as course_package
from safeguard.learning.models import Assignment, Course, Enrolment
from safeguard.risk.models import Region

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


def visible_completions(organisation: Any) -> QuerySet[Enrolment]:
    """Completed enrolments whose figures ``organisation`` may see: those of its own learners
    (staff, and learner accounts that chose it) and of learner accounts of the public that chose
    no organisation. Another organisation's learners are never counted, not even as a number.
    """
    if organisation is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(completed_at__isnull=False).filter(
        Q(organisation=organisation) | Q(learner__isnull=False, organisation__isnull=True)
    )


def completions_by_region(
    *, organisation: Any, audience: str | None = None, since: Any = None
) -> dict[str, int]:
    """Completions of ``organisation``'s learners per learner region code (counts, never who)."""
    enrolments = visible_completions(organisation)
    if audience:
        enrolments = enrolments.filter(course__audience=audience)
    if since is not None:
        enrolments = enrolments.filter(completed_at__gte=since)
    rows = enrolments.exclude(region="").values("region").annotate(completions=Count("pk")).order_by("region")
    return {row["region"]: row["completions"] for row in rows}


def _enclosing_codes(codes: set[str]) -> dict[str, set[str]]:
    """Each learner region code with the codes of every region that contains it.

    The risk app's region tree is followed where it knows the code (custom districts, say);
    otherwise an ISO 3166-2 code lies in its country (``ES-MD`` in ``ES``).
    """
    parents = dict(Region.objects.values_list("code", "parent__code"))
    enclosing = {}
    for code in codes:
        chain, current = {code}, code
        while (parent := parents.get(current)) and parent not in chain:
            chain.add(parent)
            current = parent
        if "-" in code:
            chain.add(code.split("-", 1)[0])
        enclosing[code] = chain
    return enclosing


def completions_in_regions(*, organisation: Any, codes: list[str]) -> dict[str, int]:
    """Completions of ``organisation``'s learners in each region of ``codes``, sub-regions included."""
    by_code = completions_by_region(organisation=organisation)
    counts = dict.fromkeys(codes, 0)
    for code, enclosing in _enclosing_codes(set(by_code)).items():
        for region in enclosing & counts.keys():
            counts[region] += by_code[code]
    return counts


def completions_per_month(
    *, organisation: Any, since: datetime.date, region: str = ""
) -> dict[tuple[str, str], int]:
    """Completions of ``organisation``'s learners by (audience, ``YYYY-MM``) from ``since``.

    With ``region``, only learners in that region or in a region inside it.
    """
    enrolments = visible_completions(organisation).filter(completed_at__date__gte=since)
    if region:
        inside = [code for code, enclosing in _enclosing_codes(set(_learner_regions(enrolments))).items() if region in enclosing]  # fmt: skip
        enrolments = enrolments.filter(region__in=inside)
    rows = (
        enrolments.annotate(month=TruncMonth("completed_at"))
        .values("course__audience", "month")
        .annotate(completions=Count("pk"))
    )
    return {(row["course__audience"], row["month"].strftime("%Y-%m")): row["completions"] for row in rows}


def _learner_regions(enrolments: QuerySet[Enrolment]) -> list[str]:
    return list(enrolments.exclude(region="").values_list("region", flat=True).distinct())
