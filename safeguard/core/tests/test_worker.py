"""manage.py run_worker: transient database errors are survived with capped backoff, a task left
RUNNING by a killed worker runs again, anything else still ends the worker."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, ProgrammingError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from safeguard.core.tests import worker_tasks
from safeguard.core.worker import ResilientWorker, backoff_delay, is_transient

# Transactional: the worker manages its own transactions and connections, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

real_get_locked = DBTaskResultQuerySet.get_locked


@pytest.fixture(autouse=True)
def _database_tasks(settings: Any) -> Iterator[None]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    worker_tasks.RAN.clear()
    yield
    worker_tasks.RAN.clear()


def make_worker(sleeps: list[float], **options: Any) -> ResilientWorker:
    defaults: dict[str, Any] = {
        "queue_names": ["default"],
        "excluded_queue_names": [],
        "interval": 0.1,
        "batch": False,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "running_timeout": 900,
    }
    return ResilientWorker(**{**defaults, **options}, sleep=sleeps.append)


def failing_first(errors: list[Exception]) -> Any:
    """A get_locked that raises each of ``errors`` in turn, then finds tasks as usual."""

    def get_locked(queryset: DBTaskResultQuerySet) -> DBTaskResult | None:
        if errors:
            raise errors.pop(0)
        return real_get_locked(queryset)

    return get_locked


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        DatabaseError("SSL SYSCALL error: EOF detected"),
    ],
    ids=["sqlite-locked", "postgres-gone", "connection-closed", "plain-database-error"],
)
def test_a_transient_error_while_claiming_is_survived_and_the_next_tasks_run(error: Exception) -> None:
    worker_tasks.record.enqueue(1)
    worker_tasks.record.enqueue(2)
    sleeps: list[float] = []
    worker = make_worker(sleeps, max_tasks=2)
    with mock.patch.object(
        DBTaskResultQuerySet, "get_locked", autospec=True, side_effect=failing_first([error])
    ):
        worker.run()
    assert worker_tasks.RAN == [1, 2]
    assert sleeps == [0.5]
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
    assert worker.failures == 0


def test_the_backoff_doubles_and_caps_while_the_database_stays_away() -> None:
    worker_tasks.record.enqueue(7)
    sleeps: list[float] = []
    worker = make_worker(sleeps, max_tasks=1)
    errors: list[Exception] = [OperationalError("database is locked") for _ in range(9)]
    with mock.patch.object(
        DBTaskResultQuerySet, "get_locked", autospec=True, side_effect=failing_first(errors)
    ):
        worker.run()
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    assert worker_tasks.RAN == [7]


def test_backoff_delay_is_capped() -> None:
    assert [backoff_delay(n, base=1, cap=5) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


@pytest.mark.parametrize("error", [ProgrammingError("no such table"), IntegrityError("NOT NULL constraint")])
def test_a_programming_error_still_ends_the_worker(error: Exception) -> None:
    worker_tasks.record.enqueue(1)
    sleeps: list[float] = []
    worker = make_worker(sleeps, max_tasks=1)
    with (
        mock.patch.object(DBTaskResultQuerySet, "get_locked", autospec=True, side_effect=[error]),
        pytest.raises(type(error), match=str(error)),
    ):
        worker.run()
    assert worker_tasks.RAN == []
    assert sleeps == []
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]


def test_which_errors_count_as_transient() -> None:
    assert is_transient(OperationalError("database is locked"))
    assert is_transient(InterfaceError("connection already closed"))
    assert is_transient(DatabaseError("lost"))
    assert not is_transient(ProgrammingError("syntax error"))
    assert not is_transient(IntegrityError("duplicate key"))


def test_an_idle_worker_polls_at_its_interval() -> None:
    sleeps: list[float] = []
    worker = make_worker(sleeps, interval=0.25)
    calls = 0

    def stop_after_three(delay: float) -> None:
        nonlocal calls
        sleeps.append(delay)
        calls += 1
        if calls == 3:
            worker.running = False

    worker.sleep = stop_after_three
    worker.run()
    assert sleeps == [0.25, 0.25, 0.25]


def test_a_task_left_running_by_a_killed_worker_runs_again() -> None:
    dead = worker_tasks.record.enqueue(1)
    recent = worker_tasks.record.enqueue(2)
    now = timezone.now()
    DBTaskResult.objects.filter(id=dead.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(seconds=901), worker_ids=["killed"]
    )
    DBTaskResult.objects.filter(id=recent.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(seconds=60), worker_ids=["alive"]
    )
    sleeps: list[float] = []
    make_worker(sleeps, batch=True).run()
    assert worker_tasks.RAN == [1]
    reaped = DBTaskResult.objects.get(id=dead.id)
    assert (reaped.status, reaped.worker_ids) == ("SUCCESSFUL", ["killed", "test-worker"])
    assert DBTaskResult.objects.get(id=recent.id).status == "RUNNING"


def test_run_worker_runs_the_queue_in_batch_mode() -> None:
    worker_tasks.record.enqueue(3)
    worker_tasks.record.enqueue(4)
    call_command("run_worker", "--batch", "--no-startup-delay", "--verbosity", "0")
    assert worker_tasks.RAN == [3, 4]
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]
