from __future__ import annotations

import copy
from typing import Any

import pytest

from safeguard.learning.models import Course
from safeguard.learning.selectors import starter_packages
from safeguard.learning.services import starter_course_install
from safeguard.risk.tests.conftest import (  # noqa: F401 - the risk app's small world, for coverage
    completed_run,
    configuration,
    country,
    districts,
    indicators,
    manager,
    manager_actor,
    small_world,
)


def small_course(slug: str = "alpha-course", title: str = "Alpha course") -> dict[str, Any]:
    """A one-lesson, two-question course in the course file format."""
    return {
        "format": "safeguard-course/1",
        "slug": slug,
        "audience": "frontline",
        "pass_mark": 50,
        "max_attempts": 2,
        "languages": {
            "en": {
                "title": title,
                "summary": "A test course.",
                "lessons": [{"title": "First", "body": "Hello **world**.\n"}],
                "questions": [
                    {
                        "id": "q1",
                        "type": "true_false",
                        "prompt": "Documents should stay with their owner.",
                        "options": [
                            {"id": "true", "text": "True", "correct": True, "feedback": "Yes."},
                            {"id": "false", "text": "False", "feedback": "No: keeping them is a sign."},
                        ],
                    },
                    {
                        "id": "q2",
                        "type": "single",
                        "prompt": "Where to report?",
                        "options": [
                            {"id": "a", "text": "The report form", "correct": True, "feedback": "Right."},
                            {"id": "b", "text": "Nowhere", "feedback": "Always tell someone."},
                        ],
                    },
                ],
            }
        },
    }


@pytest.fixture
def starter_courses(db: None) -> dict[str, Course]:
    return {
        starter_course_install(content=copy.deepcopy(p))[0].audience: Course.objects.get(slug=p["slug"])
        for p in starter_packages()
    }
