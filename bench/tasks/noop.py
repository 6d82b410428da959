"""The benchmark's task (``bench.tasks.noop.touch``): one INSERT, so every execution is counted.

Workers import it by its path; ``manage.py`` puts the repository root on ``sys.path``.
"""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import task

TABLE = "bench_task_run"


@task()
def touch(number: int, pause: float = 0.0) -> int:
    """Record that task ``number`` ran here; ``pause`` keeps it running a while (kill test)."""
    if pause:
        time.sleep(pause)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (number, pid) VALUES (%s, %s)", [number, os.getpid()])  # noqa: S608
    return number
