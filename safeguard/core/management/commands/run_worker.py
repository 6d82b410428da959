"""``manage.py run_worker``: run background tasks, surviving database locks and lost connections.

Takes django-tasks-db's ``db_worker`` options (``--queue-name``, ``--interval``, ``--batch``,
``--max-tasks``, ``--worker-id``, …) plus the retry and reaper settings; see
``safeguard.core.worker`` for what it does and ``docs/operations.md`` for how many to run.
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from safeguard.core.worker import ResilientWorker


@contextmanager
def persistent_connections() -> Iterator[None]:
    """Keep the worker's connections open between tasks, without a health-check query each time.

    The settings close SQLite connections after each use (for the web) and check PostgreSQL
    ones before reuse. For a worker, closing a SQLite connection checkpoints the write-ahead
    log, which halved its throughput (42 → 79 tasks/s, bench/tasks/bench_workers.py); a broken
    connection is caught by the worker's retry loop, which reconnects.
    """
    saved = {}
    for connection in connections.all():
        saved[connection.alias] = (
            connection.settings_dict["CONN_MAX_AGE"],
            connection.settings_dict.get("CONN_HEALTH_CHECKS", False),
        )
        connection.settings_dict["CONN_MAX_AGE"] = None
        connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    try:
        yield
    finally:
        for connection in connections.all():
            if connection.alias in saved:
                max_age, health_checks = saved[connection.alias]
                connection.settings_dict["CONN_MAX_AGE"] = max_age
                connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks


class Command(DbWorkerCommand):
    help = "Run a background worker that retries (with backoff) on transient database errors."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)
        parser.add_argument(
            "--running-timeout",
            type=valid_interval,
            default=None,
            help="Queue again a task RUNNING for longer than this many seconds "
            "(default: SAFEGUARD_TASKS_RUNNING_TIMEOUT).",
        )
        parser.add_argument(
            "--reap-interval", type=valid_interval, default=60.0, help="How often to look for such tasks (s)."
        )
        parser.add_argument(
            "--backoff-cap", type=valid_interval, default=30.0, help="Longest wait between retries (s)."
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        levels = {0: logging.CRITICAL, 1: logging.INFO}
        logging.getLogger("safeguard.worker").setLevel(levels.get(verbosity, logging.DEBUG))

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options["reload"]:
            raise CommandError("run_worker does not reload; use db_worker --reload while developing.")
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        running_timeout = options["running_timeout"]
        worker = ResilientWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            running_timeout=settings.TASKS_RUNNING_TIMEOUT if running_timeout is None else running_timeout,
            reap_interval=options["reap_interval"],
            backoff_cap=options["backoff_cap"],
        )
        worker.configure_signals()
        with persistent_connections():
            try:
                worker.run()
            finally:
                worker.reset_signals()
