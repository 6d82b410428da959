"""Background-task throughput of ``manage.py run_worker`` with 1 and 2 processes, and a kill test.

For each database (SQLite file, then PostgreSQL from ``bin/start-postgres``):

1. **throughput**: start 1 worker (then 2), wait until each polls, enqueue ``--tasks`` tasks in one
   transaction (``bench.tasks.noop.touch``: one INSERT each) and time them from the first claim
   to the last result (``started_at``/``finished_at``: process start-up is not counted);
2. **kill**: 2 workers, ``--kill-tasks`` tasks that sleep ``--pause`` s each; once a third are done
   one worker gets SIGKILL. Its RUNNING task is left behind (django-tasks-db never re-queues it);
   the survivor's reaper (``--running-timeout`` 5 s here, 900 s in production) puts it back and
   runs it. Checks that every task has exactly one SUCCESSFUL result, none is READY, RUNNING or
   FAILED, and every task's INSERT is there; prints executions beyond one per task (a task killed
   after its INSERT but before its result was saved runs twice: tasks must be idempotent);
3. **lock** (SQLite): holds ``BEGIN IMMEDIATE`` on the file for ``--lock-seconds`` (longer than the
   20 s busy timeout) while a ``db_worker`` and a ``run_worker`` poll: the first dies with
   "database is locked", the second backs off, carries on and runs tasks enqueued afterwards.

    bin/start-postgres                              # once, as root
    .venv/bin/python bench/tasks/bench_workers.py   # both databases, about 3 minutes on 2 cores
    .venv/bin/python bench/tasks/bench_workers.py --database sqlite --tasks 500

Uses its own databases (``var/bench-tasks.sqlite3``, PostgreSQL ``safeguard_bench_tasks``), made
afresh on every run; only the task table is migrated.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SERVER = "postgres://safeguard:safeguard@127.0.0.1:5432"
PG_DATABASE = "safeguard_bench_tasks"
SQLITE_PATH = ROOT / "var" / "bench-tasks.sqlite3"
TABLE = "bench_task_run"


def database_url(kind: str) -> str:
    return f"sqlite:///{SQLITE_PATH}" if kind == "sqlite" else f"{SERVER}/{PG_DATABASE}"


def environment(kind: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SAFEGUARD_")}
    fake_key = base64.b64encode(b"b" * 32).decode()
    env.update(
        SAFEGUARD_ENV_FILE="/dev/null",
        SAFEGUARD_SECRET_KEY="bench-only-secret-key-0123456789abcdef-0123",  # noqa: S106 - benchmark only
        SAFEGUARD_FIELD_KEYS=f"b1:{fake_key}",
        SAFEGUARD_BLIND_INDEX_KEY=fake_key,
        SAFEGUARD_DATABASE_URL=database_url(kind),
        SAFEGUARD_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SAFEGUARD_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


# ---------------------------------------------------------------------------------------------
# The parent: prepares each database and runs the measuring child in its environment.


def prepare(kind: str) -> None:
    if kind == "sqlite":
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{SERVER}/safeguard", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "django_tasks_database", "-v0"],
        cwd=ROOT,
        env=environment(kind),
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--tasks", type=int, default=1000, help="tasks per throughput run")
    parser.add_argument("--kill-tasks", type=int, default=300)
    parser.add_argument("--pause", type=float, default=0.02, help="seconds each kill-test task sleeps")
    parser.add_argument("--lock-seconds", type=float, default=25.0)
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    for kind in kinds:
        print(f"\n== {kind}", flush=True)
        prepare(kind)
        command = [sys.executable, __file__, "--child", kind, "--tasks", str(args.tasks)]
        command += ["--kill-tasks", str(args.kill_tasks), "--pause", str(args.pause)]
        command += ["--lock-seconds", str(args.lock_seconds)]
        subprocess.run(command, cwd=ROOT, env=environment(kind), check=True)


# ---------------------------------------------------------------------------------------------
# The child: Django set up on the benchmark database.


class Worker:
    """A ``manage.py run_worker`` (or ``db_worker``) process and its output."""

    def __init__(self, name: str, *extra: str, command: str = "run_worker") -> None:
        self.name = name
        self.process = subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                command,
                "--interval",
                "0.05",
                "--no-startup-delay",
                "--worker-id",
                name,
                *extra,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if "Starting worker" in line:
                self.ready.set()

    def wait_ready(self) -> None:
        if not self.ready.wait(120):
            raise SystemExit(f"worker {self.name} did not start:\n" + "\n".join(self.lines[-20:]))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(30)


def enqueue(count: int, pause: float = 0.0) -> None:
    """``count`` tasks in one transaction: they all become ready at once."""
    from django.db import transaction

    from bench.tasks.noop import touch

    with transaction.atomic():
        for number in range(count):
            touch.enqueue(number, pause)


def reset() -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"CREATE TABLE {TABLE} (number integer NOT NULL, pid integer NOT NULL)")


def counts() -> dict[str, int]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def wait_done(total: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while counts().get("SUCCESSFUL", 0) + counts().get("FAILED", 0) < total:
        if time.monotonic() > deadline:
            raise SystemExit(f"tasks not finished after {timeout:.0f} s: {counts()}")
        time.sleep(0.2)


def throughput(workers: int, tasks: int) -> float:
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    reset()
    running = [Worker(f"bench-{workers}-{n}") for n in range(workers)]
    try:
        for worker in running:
            worker.wait_ready()
        enqueue(tasks)
        wait_done(tasks, timeout=max(120.0, tasks / 5))
    finally:
        for worker in running:
            worker.stop()
    span = DBTaskResult.objects.aggregate(first=Min("started_at"), last=Max("finished_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    taken_by = list(DBTaskResult.objects.values_list("worker_ids", flat=True))
    per_worker = {worker.name: sum(1 for ids in taken_by if worker.name in ids) for worker in running}
    rate = tasks / seconds
    print(
        f"{workers} worker{'s' if workers > 1 else ''}: {tasks} tasks in {seconds:.2f} s = {rate:.0f} tasks/s "
        f"(per worker: {json.dumps(per_worker)}); results: {counts()}",
        flush=True,
    )
    return rate


def kill_test(tasks: int, pause: float) -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    reset()
    options = ("--running-timeout", "5", "--reap-interval", "1")
    victim, survivor = Worker("bench-victim", *options), Worker("bench-survivor", *options)
    try:
        victim.wait_ready()
        survivor.wait_ready()
        enqueue(tasks, pause)
        while counts().get("SUCCESSFUL", 0) < tasks // 3:
            time.sleep(0.05)
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        left = [
            str(row.id)
            for row in DBTaskResult.objects.filter(status="RUNNING")
            if "bench-victim" in row.worker_ids
        ]
        print(
            f"SIGKILL to one of 2 workers after {counts().get('SUCCESSFUL', 0)} results; "
            f"left RUNNING by it: {len(left)}",
            flush=True,
        )
        wait_done(tasks, timeout=120)
    finally:
        survivor.stop()
    final = counts()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), COUNT(DISTINCT number) FROM {TABLE}")  # noqa: S608
        executions, distinct = cursor.fetchone()
    rerun = [row for row in DBTaskResult.objects.all() if len(row.worker_ids) > 1]
    ok = final == {"SUCCESSFUL": tasks} and distinct == tasks and len(rerun) == len(left)
    print(
        f"kill test: {final.get('SUCCESSFUL', 0)}/{tasks} SUCCESSFUL exactly once each, other states: "
        f"{ {k: v for k, v in final.items() if k != 'SUCCESSFUL'} }; every task's INSERT present: "
        f"{distinct == tasks}; re-queued by the reaper: {len(rerun)} (ran on {[r.worker_ids for r in rerun]}); "
        f"executions {executions} for {tasks} tasks (extra: {executions - tasks}) → {'PASS' if ok else 'FAIL'}",
        flush=True,
    )
    reaped = [line for line in survivor.lines if "queued again" in line]
    print(f"survivor's log: {reaped[:3]}", flush=True)
    if not ok:
        raise SystemExit(1)


def lock_test(seconds: float) -> None:
    reset()
    plain, resilient = Worker("bench-db-worker", command="db_worker"), Worker("bench-run-worker")
    plain.wait_ready()
    resilient.wait_ready()
    holder = sqlite3.connect(SQLITE_PATH, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    time.sleep(seconds)
    holder.execute("ROLLBACK")
    holder.close()
    print(f"held BEGIN IMMEDIATE for {time.monotonic() - started:.1f} s", flush=True)
    enqueue(20)
    wait_done(20, timeout=60)
    try:
        dead: int | None = plain.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        dead = None
    print(
        f"db_worker: {'exited with status ' + str(dead) if dead is not None else 'still running'}"
        f" ({next((line for line in plain.lines if 'locked' in line), 'no lock error')[-80:]}); "
        f"run_worker: {'running' if resilient.process.poll() is None else 'EXITED'}, ran the 20 tasks "
        f"enqueued after the lock: {counts()}; its log: "
        f"{[line[line.find('Database') :][:90] for line in resilient.lines if 'Database unavailable' in line]}",
        flush=True,
    )
    plain.stop()
    resilient.stop()


def child(args: Any) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    throughput(1, args.tasks)
    throughput(2, args.tasks)
    kill_test(args.kill_tasks, args.pause)
    if args.child == "sqlite":
        lock_test(args.lock_seconds)


if __name__ == "__main__":
    main()
