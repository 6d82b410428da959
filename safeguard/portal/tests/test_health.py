"""/health/ reports the task queue and answers 503 when background work is stalled; organisation
admins see the same figures on their dashboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from safeguard.accounts.models import User

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
SECRET_ARGUMENT = "reporter-phone-+34600111222"


def add_task(
    *,
    enqueued: int,
    status: str = TaskResultStatus.READY,
    started: int | None = None,
    run_after: datetime | None = None,
) -> DBTaskResult:
    """A task row enqueued ``enqueued`` seconds before NOW (started ``started`` seconds before)."""
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [SECRET_ARGUMENT], "kwargs": {}},
        task_path="safeguard.core.tests.worker_tasks.record",
        backend_name="default",
        run_after=run_after or get_date_max(),
        status=status,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=NOW - timedelta(seconds=enqueued),
        started_at=None if started is None else NOW - timedelta(seconds=started),
    )
    return row


@pytest.fixture
def frozen() -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def backlog() -> None:
    """Three tasks waiting (400 s, 200 s, 10 s), one deferred, one done: last taken 350 s ago."""
    add_task(enqueued=400)
    add_task(enqueued=200)
    add_task(enqueued=10)
    add_task(enqueued=900, run_after=NOW + timedelta(hours=1))
    add_task(enqueued=360, status=TaskResultStatus.SUCCESSFUL, started=350)


def test_health_answers_503_with_the_figures_when_background_work_is_stalled(
    client: Client, backlog: None, frozen: None, settings: Any
) -> None:
    settings.TASKS_STALL_SECONDS = 300
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "stalled",
        "tasks": {
            "status": "stalled",
            "waiting": 3,
            "oldest_waiting_seconds": 400,
            "since_last_taken_seconds": 350,
            "stall_seconds": 300,
        },
        "reason": "Background work is stalled: 3 tasks waiting, the oldest for 400 s, and no worker "
        "has taken a task for 350 s (threshold 300 s). Start or restart the workers (manage.py run_worker).",
    }
    assert SECRET_ARGUMENT not in response.content.decode()
    assert "record" not in response.content.decode()
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_health_is_200_while_a_worker_is_taking_tasks(
    client: Client, backlog: None, frozen: None, settings: Any
) -> None:
    settings.TASKS_STALL_SECONDS = 300
    add_task(enqueued=30, status=TaskResultStatus.RUNNING, started=20)
    response = client.get("/health/")
    assert response.status_code == 200
    # Behind (the oldest waited 400 s) but moving: reported, not an outage.
    assert response.json()["status"] == "ok"
    assert response.json()["tasks"] == {
        "status": "lagging",
        "waiting": 3,
        "oldest_waiting_seconds": 400,
        "since_last_taken_seconds": 20,
        "stall_seconds": 300,
    }


def test_health_is_200_when_the_queue_is_fresh(client: Client, frozen: None, settings: Any) -> None:
    settings.TASKS_STALL_SECONDS = 300
    add_task(enqueued=299)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "tasks": {
            "status": "ok",
            "waiting": 1,
            "oldest_waiting_seconds": 299,
            "since_last_taken_seconds": None,
            "stall_seconds": 300,
        },
    }


def test_the_stall_threshold_is_configurable(
    client: Client, backlog: None, frozen: None, settings: Any
) -> None:
    settings.TASKS_STALL_SECONDS = 600
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["tasks"]["status"] == "ok"


def test_the_web_scope_ignores_the_queue(client: Client, backlog: None, frozen: None, settings: Any) -> None:
    settings.TASKS_STALL_SECONDS = 300
    response = client.get("/health/?scope=web")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_health_is_503_when_the_database_does_not_answer(client: Client) -> None:
    with mock.patch("safeguard.portal.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/health/")
    assert (response.status_code, response.json()) == (
        503,
        {"status": "error", "reason": "The database does not answer."},
    )


def test_health_uses_two_queries_besides_the_ping(
    client: Client, backlog: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):
        client.get("/health/")


def panel_of(page: str) -> str:
    start = page.index("<h2>Background work</h2>")
    return page[start : page.index("</article>", start)]


def test_platform_admins_see_the_platform_wide_figures_on_their_dashboard(
    platform_admin: User, client_for: Callable[[User], Client], backlog: None, settings: Any
) -> None:
    settings.TASKS_STALL_SECONDS = 300
    client = client_for(platform_admin)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        panel = panel_of(client.get("/dashboard/").content.decode())
    assert '<dd data-figure="waiting">3</dd>' in panel
    assert '<dd data-figure="oldest-waiting">400 s</dd>' in panel
    assert '<dd data-figure="last-taken">350 s ago</dd>' in panel
    assert "Background work is stalled" in panel
    assert SECRET_ARGUMENT not in panel


def test_the_panel_says_when_all_is_well(
    platform_admin: User, client_for: Callable[[User], Client], settings: Any
) -> None:
    settings.TASKS_STALL_SECONDS = 300
    panel = panel_of(client_for(platform_admin).get("/dashboard/").content.decode())
    assert '<dd data-figure="waiting">0</dd>' in panel
    assert '<dd data-figure="oldest-waiting">—</dd>' in panel
    assert '<dd data-figure="last-taken">never</dd>' in panel
    assert "stalled" not in panel and "falling behind" not in panel


def test_organisation_admins_and_everyone_else_see_nothing_platform_wide(
    alice: User, charlie: User, bob: User, client_for: Callable[[User], Client], backlog: None
) -> None:
    # The queue's figures are everyone's: an organisation admin must not learn how busy others are.
    for user in (alice, charlie, bob):
        response = client_for(user).get("/dashboard/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "<h2>Your account</h2>" in page
        assert "Background work" not in page
        assert "data-figure" not in page
