"""The four starter courses, from the content files; idempotent (unchanged content is left alone).

Then learners for the demo ministry, so its training-coverage page has something to compare:
learner accounts in the Examplia districts, most of whom took a course and passed, spread over
the past year — and two districts left with none, which the page shows as campaign targets.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from safeguard.learning.models import Course, Enrolment, Learner
from safeguard.learning.selectors import starter_packages
from safeguard.learning.services import (
    attempt_submit,
    learner_enrolment_start,
    learner_register,
    starter_course_install,
)
from safeguard.portal.demo import DemoWorld
from safeguard.risk.models import Region

COVERAGE_ORGANISATION = "ministry-social"
LEARNERS = 48
DISTRICTS_WITHOUT_LEARNERS = 2


def seed(world: DemoWorld) -> None:
    installed = sum(starter_course_install(content=package)[1] for package in starter_packages())
    world.log.write(f"learning: {installed} starter courses installed or updated")
    _seed_learners(world)


def _seed_learners(world: DemoWorld) -> None:
    organisation = world.organisation(COVERAGE_ORGANISATION)
    if Learner.objects.filter(organisation=organisation).exists():
        return
    districts = list(
        Region.objects.filter(code__startswith="XE-").order_by("code").values_list("code", flat=True)
    )
    courses = list(Course.objects.filter(published_version__isnull=False).order_by("slug"))
    if not districts or not courses:
        return
    reached = districts[:-DISTRICTS_WITHOUT_LEARNERS] or districts
    now = timezone.now()
    passed = 0
    for number in range(LEARNERS):
        # Uneven on purpose: the first districts get most of the learners.
        region = reached[min(int(world.rng.expovariate(1.5) * len(reached) / 3), len(reached) - 1)]
        learner, _code = learner_register(name="", region=region, organisation=organisation)
        course = courses[number % len(courses)]
        enrolment = learner_enrolment_start(
            learner=learner, course=course, language=world.rng.choice(["en", "es", "fr"])
        )
        if world.rng.random() < 0.15:
            continue  # started, not finished
        attempt_submit(enrolment=enrolment, answers=_right_answers(enrolment))
        when = now - datetime.timedelta(days=world.rng.randrange(0, 360))
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=when)  # spread over the year
        passed += 1
    world.log.write(f"learning: {LEARNERS} demo learners for {organisation.name}, {passed} passed a course")


def _right_answers(enrolment: Enrolment) -> dict[str, list[str]]:
    questions: list[dict[str, Any]] = enrolment.version.language(enrolment.language)["questions"]
    answers = {}
    for question in questions:
        options = [str(option["id"]) for option in question["options"]]
        if question["type"] != "ordering":
            options = [str(option["id"]) for option in question["options"] if option.get("correct")]
        answers[str(question["id"])] = options
    return answers
