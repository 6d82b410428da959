"""A task for the worker tests: it records its argument, in this process."""

from __future__ import annotations

from django_tasks import task

RAN: list[int] = []


@task()
def record(number: int) -> int:
    RAN.append(number)
    return number
