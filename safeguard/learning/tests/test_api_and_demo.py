"""The read API, completions by region, and the idempotent demo seeder."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.learning import demo
from safeguard.learning.models import Course, CourseVersion, Enrolment
from safeguard.learning.selectors import completions_by_region
from safeguard.learning.services import enrolment_start
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def test_the_demo_seeder_installs_four_courses_once() -> None:
    lines: list[str] = []
    world: Any = type("World", (), {"log": type("Log", (), {"write": staticmethod(lines.append)})()})()
    demo.seed(world)
    demo.seed(world)
    assert sorted(Course.objects.public().values_list("audience", flat=True)) == [
        "educators",
        "frontline",
        "parents",
        "young_people",
    ]
    assert CourseVersion.objects.count() == 4
    assert lines == [
        "learning: 4 starter courses installed or updated",
        "learning: 0 starter courses installed or updated",
    ]


def test_completions_are_counted_by_region_for_the_learners_organisation_only(
    starter_courses: dict[str, Course], bob: Any, org_a: Any, charlie: Any, org_b: Any, alice: Any
) -> None:
    from django.utils import timezone

    org_a.country, org_b.country = "GB", "ES"
    org_a.save(update_fields=["country"])
    org_b.save(update_fields=["country"])
    for user, org in ((bob, org_a), (alice, org_a), (charlie, org_b)):
        enrolment_start(actor=actor_of(user, org), course=starter_courses["frontline"], language="en")
    Enrolment.objects.update(completed_at=timezone.now())
    assert completions_by_region(organisation=org_a) == {"GB": 2}
    assert completions_by_region(organisation=org_b) == {"ES": 1}
    assert completions_by_region(organisation=org_a, audience="parents") == {}


def test_the_read_api_lists_courses_and_refuses_completions_to_operators(
    starter_courses: dict[str, Course], alice: Any, bob: Any, client_for: Any
) -> None:
    as_alice = client_for(alice)
    courses = as_alice.get("/api/v1/learning/courses")
    assert courses.status_code == 200
    assert [(row["slug"], row["lessons"], row["questions"], row["languages"]) for row in courses.json()] == [
        ("signs-for-educators", 5, 10, ["en", "es", "fr"]),
        ("identify-and-refer-frontline", 5, 10, ["en", "es", "fr"]),
        ("keeping-children-safe-parents", 5, 10, ["en", "es", "fr"]),
        ("stay-safe-young-people", 5, 10, ["en", "es", "fr"]),
    ]
    assert as_alice.get("/api/v1/learning/completions").json() == []
    assert client_for(bob).get("/api/v1/learning/completions").status_code == 403
