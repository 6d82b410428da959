"""The read API, completions by region, and the idempotent demo seeder."""

from __future__ import annotations

import random
from typing import Any

import pytest

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind
from safeguard.learning import demo
from safeguard.learning.models import Attempt, Course, CourseVersion, Enrolment, Learner
from safeguard.learning.selectors import completions_by_region
from safeguard.learning.services import enrolment_start
from safeguard.portal.demo import DemoWorld
from safeguard.risk.models import Region, RegionLevel
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def _world(lines: list[str], organisations: dict[str, Any]) -> DemoWorld:
    log: Any = type("Log", (), {"write": staticmethod(lines.append)})()
    return DemoWorld(
        seed=1, rng=random.Random(1), organisations=organisations, users={}, created=True, log=log
    )


def test_the_demo_seeder_installs_four_courses_once_and_the_ministrys_learners_once() -> None:
    ministry = Organisation.objects.create(
        name="Ministry (test)", slug="ministry-social", kind=OrganisationKind.GOVERNMENT
    )
    country = Region.objects.create(code="XE", name="Examplia", level=RegionLevel.COUNTRY)
    for number in range(1, 7):
        Region.objects.create(
            code=f"XE-{number:02d}", name=f"D{number}", level=RegionLevel.DISTRICT, parent=country
        )
    lines: list[str] = []
    demo.seed(_world(lines, {"ministry-social": ministry}))
    demo.seed(_world(lines, {"ministry-social": ministry}))
    assert sorted(Course.objects.public().values_list("audience", flat=True)) == [
        "educators",
        "frontline",
        "parents",
        "young_people",
    ]
    assert CourseVersion.objects.count() == 4
    passed = Enrolment.objects.filter(completed_at__isnull=False).count()
    assert lines == [
        "learning: 4 starter courses installed or updated",
        f"learning: 48 demo learners for Ministry (test), {passed} passed a course",
        "learning: 0 starter courses installed or updated",
    ]
    assert Learner.objects.filter(organisation=ministry).count() == 48
    by_region = completions_by_region(organisation=ministry)
    assert sum(by_region.values()) == passed > 30
    # The last two districts have no learners: the coverage page shows them as gaps.
    assert set(by_region) <= {"XE-01", "XE-02", "XE-03", "XE-04"}
    assert Attempt.objects.filter(passed=True).count() == passed


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
