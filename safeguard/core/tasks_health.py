"""How background work is doing, read from django-tasks-db's table (``DBTaskResult``).

Three figures, each from one indexed query, none of them about a person:

- ``waiting``: tasks ready to run now (status READY, ``run_after`` passed or unset), counted over
  tasks-db's partial index on READY rows;
- ``oldest_waiting_seconds``: how long the oldest of them has waited (``enqueued_at``);
- ``since_last_taken_seconds``: how long ago a worker last claimed a task (``MAX(started_at)``,
  over the index of migration ``core.0003``); ``None`` when no task was ever taken.

Background work is *stalled* when a task has waited longer than ``SAFEGUARD_TASKS_STALL_SECONDS``
and no worker has taken any task for as long: every worker is dead, stuck or locked out. Workers
that take tasks but fall behind are *lagging*: reported, not stalled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


@dataclass(frozen=True)
class TaskHealth:
    waiting: int
    oldest_waiting_seconds: int | None
    since_last_taken_seconds: int | None
    stall_seconds: int

    @property
    def lagging(self) -> bool:
        return self.oldest_waiting_seconds is not None and self.oldest_waiting_seconds > self.stall_seconds

    @property
    def stalled(self) -> bool:
        idle = self.since_last_taken_seconds is None or self.since_last_taken_seconds > self.stall_seconds
        return self.lagging and idle

    @property
    def status(self) -> str:
        return "stalled" if self.stalled else "lagging" if self.lagging else "ok"

    @property
    def reason(self) -> str:
        """One sentence for operators (and the 503 body); empty when all is well."""
        if self.stalled:
            taken = (
                "no worker has ever taken a task"
                if self.since_last_taken_seconds is None
                else f"no worker has taken a task for {self.since_last_taken_seconds} s"
            )
            return (
                f"Background work is stalled: {self.waiting} tasks waiting, the oldest for "
                f"{self.oldest_waiting_seconds} s, and {taken} (threshold {self.stall_seconds} s). "
                "Start or restart the workers (manage.py run_worker)."
            )
        if self.lagging:
            return (
                f"Workers are falling behind: {self.waiting} tasks waiting, the oldest for "
                f"{self.oldest_waiting_seconds} s. Run more workers."
            )
        return ""

    def as_dict(self) -> dict[str, int | str | None]:
        return {
            "status": self.status,
            "waiting": self.waiting,
            "oldest_waiting_seconds": self.oldest_waiting_seconds,
            "since_last_taken_seconds": self.since_last_taken_seconds,
            "stall_seconds": self.stall_seconds,
        }


def _age(now: datetime, then: datetime | None) -> int | None:
    return None if then is None else max(0, int((now - then).total_seconds()))


def task_health(*, now: datetime | None = None) -> TaskHealth:
    """The figures above, as of ``now`` (default: the current time)."""
    now = now or timezone.now()
    backlog = DBTaskResult.objects.ready().aggregate(waiting=Count("id"), oldest=Min("enqueued_at"))
    last_taken = DBTaskResult.objects.aggregate(last=Max("started_at"))["last"]
    return TaskHealth(
        waiting=backlog["waiting"],
        oldest_waiting_seconds=_age(now, backlog["oldest"]),
        since_last_taken_seconds=_age(now, last_taken),
        stall_seconds=settings.TASKS_STALL_SECONDS,
    )
