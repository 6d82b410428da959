"""A background worker that does not die of a locked or lost database (``manage.py run_worker``).

django-tasks-db's ``db_worker`` catches "database is locked" only around *finding* a task; the lock
usually bites one line earlier, when SQLite's ``BEGIN EXCLUSIVE`` waits out its busy timeout, and
any lost PostgreSQL connection ends the process too. While it was dead the platform still took
reports and their notifications waited. This worker runs the same steps (claim with ``SELECT …
FOR UPDATE SKIP LOCKED`` on PostgreSQL, an exclusive transaction on SQLite, then tasks-db's own
``run_task``) inside a loop that, on a *transient* database error, closes the connections, logs
one line, sleeps with capped exponential backoff and carries on.

It also puts back in the queue tasks left RUNNING by a worker that was killed (SIGKILL, OOM,
power): tasks-db never does, so such a task would wait forever. Every ``reap_interval`` seconds a
worker moves RUNNING tasks started more than ``running_timeout`` seconds ago
(``SAFEGUARD_TASKS_RUNNING_TIMEOUT``) back to READY; the next worker runs them again. A task
killed half-way therefore runs twice: tasks must be idempotent (ours are: notifications and
analytics updates are keyed on the report), and must finish well within the timeout.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import (
    DatabaseError,
    Error,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("safeguard.worker")


def is_transient(error: BaseException) -> bool:
    """A database error that waiting can cure: a lock, a lost or refused connection, a restart.

    Programming errors (a missing table, a bad query, a constraint) are not: retrying them would
    hide a bug, so they end the worker and its supervisor (bin/serve, systemd) restarts it.
    """
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return type(error) is DatabaseError


def backoff_delay(failures: int, *, base: float = 0.5, cap: float = 30.0) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: base, 2·base, 4·base, … ≤ cap."""
    return float(min(cap, base * 2 ** max(0, failures - 1)))


def reap_stale_running(*, older_than: timedelta) -> list[str]:
    """Put RUNNING tasks started before ``now - older_than`` back in the queue; returns their ids."""
    cutoff = timezone.now() - older_than
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    ids = [str(pk) for pk in stale.values_list("id", flat=True)]
    if ids:
        # The filter is repeated in the UPDATE: a task that finished meanwhile stays finished.
        DBTaskResult.objects.filter(
            id__in=ids, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY)
    return ids


class ResilientWorker(Worker):
    """tasks-db's worker with its loop rewritten around transient database errors."""

    def __init__(
        self,
        *,
        running_timeout: float,
        reap_interval: float = 60.0,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        **options: object,
    ) -> None:
        super().__init__(**options)  # type: ignore[arg-type]  # the keyword arguments of Worker
        self.running_timeout = running_timeout
        self.reap_interval = reap_interval
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.sleep = sleep
        self.failures = 0
        self._next_reap = 0.0

    def claim_next(self) -> DBTaskResult | None:
        """Claim the next ready task for this worker (one short transaction), or None."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def reap(self) -> None:
        if time.monotonic() < self._next_reap:
            return
        self._next_reap = time.monotonic() + self.reap_interval
        for task_id in reap_stale_running(older_than=timedelta(seconds=self.running_timeout)):
            logger.warning(
                "Task id=%s was RUNNING for over %d s (its worker died): queued again",
                task_id,
                self.running_timeout,
            )

    def step(self) -> bool | None:
        """One turn of the loop: True when a task ran, False when none was ready, None to stop."""
        close_old_connections()
        self.reap()
        task_result = self.claim_next()
        if task_result is not None:
            self.run_task(task_result)
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info(
                "Ran the maximum of %d tasks on worker_id=%s; exiting.", self._run_tasks, self.worker_id
            )
            return None
        if task_result is None and self.batch:
            logger.info("No more tasks for worker_id=%s; exiting.", self.worker_id)
            return None
        return task_result is not None

    @staticmethod
    def close_connections() -> None:
        """Drop every connection (a broken one is replaced on next use), except inside a transaction."""
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            self.sleep(random.random())  # several workers started together do not poll in step
        while self.running:
            try:
                ran = self.step()
            except Exception as error:
                if not isinstance(error, Error) or not is_transient(error):
                    raise
                self.failures += 1
                delay = backoff_delay(self.failures, base=self.backoff_base, cap=self.backoff_cap)
                logger.warning(
                    "Database unavailable (%s: %s); worker_id=%s retries in %.1f s (failure %d in a row)",
                    type(error).__name__,
                    str(error).strip().splitlines()[0] if str(error).strip() else "",
                    self.worker_id,
                    delay,
                    self.failures,
                )
                self.close_connections()
                self.sleep(delay)
                continue
            self.failures = 0
            if ran is None:
                return
            if self.running and not ran:
                self.sleep(self.interval)
