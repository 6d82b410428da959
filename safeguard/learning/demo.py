"""The four starter courses, from the content files; idempotent (unchanged content is left alone)."""

from __future__ import annotations

from safeguard.learning.selectors import starter_packages
from safeguard.learning.services import starter_course_install
from safeguard.portal.demo import DemoWorld


def seed(world: DemoWorld) -> None:
    installed = sum(starter_course_install(content=package)[1] for package in starter_packages())
    world.log.write(f"learning: {installed} starter courses installed or updated")
