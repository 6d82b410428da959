"""Alert-on-intake latency at 1,000,000 stored entities, on PostgreSQL with a real db_worker.

What is measured: the wall time from calling intake's ``report_submit`` (the report is stored,
its transaction commits, ``report_received`` enqueues the analytics task in the database) to the
moment the ``UrgencyRaise`` row written by the task is visible — i.e. submission → a separate
``manage.py db_worker`` process picks the task up → extraction, incremental network look-up,
``report_raise_urgency``. The worker polls every ``--interval`` seconds when idle (50 ms here;
django-tasks' default is 1 s, which alone would add up to a second).

Set-up (synthetic, loaded with COPY in well under a minute): ``--entities`` entities, one per
stored record plus one shared phone per group of 4 records, so 1,000,000 entities means 800,000
records, 1,000,000 mentions… see the printed counts. Every group is a stored network.

    bin/start-postgres            # prints the server URL; the role may create databases
    .venv/bin/python bench/analytics/bench_alert.py --entities 1000000 --samples 60

Uses its own database ``safeguard_bench_analytics`` (dropped and re-created with ``--fresh``).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = "postgres://safeguard:safeguard@127.0.0.1:5432"
DATABASE = "safeguard_bench_analytics"
GROUP = 4


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    for line in (ROOT / "var" / "safeguard.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env.setdefault(key, value)
    env["SAFEGUARD_DATABASE_URL"] = url
    env["SAFEGUARD_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    env.pop("SAFEGUARD_TEST_DATABASE_URL", None)
    return env


def _ensure_database(fresh: bool) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/safeguard", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and fresh:
            connection.execute(f"DROP DATABASE {DATABASE} WITH (FORCE)")
            exists = None
        if not exists:
            connection.execute(f"CREATE DATABASE {DATABASE}")


def _phone(group: int) -> str:
    return f"+346{group:08d}"


def _load(entities: int) -> tuple[int, int]:
    """COPY the synthetic graph; returns (organisation id, number of groups)."""
    from django.db import connection

    from safeguard.accounts.models import Organisation
    from safeguard.analytics.models import Entity
    from safeguard.analytics.services import entity_index

    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-helpline", defaults={"name": "Bench helpline"}
    )
    if Entity.objects.exists():
        groups = Entity.objects.filter(record_count=GROUP).count()
        print(f"reusing the loaded graph: {Entity.objects.count():,} entities, {groups:,} networks")
        return organisation.pk, groups
    # entities = records + groups, records = GROUP * groups
    groups = entities // (GROUP + 1)
    records = groups * GROUP
    started = time.perf_counter()
    raw = connection.connection
    now = "2026-01-01 00:00:00+00"
    with raw.cursor() as cursor:
        with cursor.copy(
            "COPY analytics_network (id, size, entity_count, community_count, first_seen, last_seen, updated_at) FROM STDIN"
        ) as copy:
            for group in range(groups):
                copy.write_row((group + 1, GROUP, 1, 1, now, now, now))
        with cursor.copy(
            "COPY analytics_entity (id, kind, key_index, label, value, network_id, record_count, is_stop, created_at) FROM STDIN"
        ) as copy:
            for group in range(groups):  # the shared phone of each group: its real blind index
                copy.write_row(
                    (
                        group + 1,
                        "phone",
                        entity_index("phone", _phone(group)),
                        "",
                        "",
                        group + 1,
                        GROUP,
                        False,
                        now,
                    )
                )
            for record in range(records):  # each record's own identifier
                copy.write_row(
                    (
                        groups + record + 1,
                        "handle",
                        secrets.token_hex(20),
                        "",
                        "",
                        record // GROUP + 1,
                        1,
                        False,
                        now,
                    )
                )
        with cursor.copy(
            "COPY analytics_mention (entity_id, record_type, record_id, organisation_id, field, occurred_at, country, subdivision) FROM STDIN"
        ) as copy:
            for record in range(records):
                record_id = 10_000_000 + record
                copy.write_row(
                    (
                        record // GROUP + 1,
                        "report",
                        record_id,
                        organisation.pk,
                        "identifier",
                        now,
                        "ES",
                        "ES-MD",
                    )
                )
                copy.write_row(
                    (
                        groups + record + 1,
                        "report",
                        record_id,
                        organisation.pk,
                        "identifier",
                        now,
                        "ES",
                        "ES-MD",
                    )
                )
        with cursor.copy(
            "COPY analytics_networkmembership (network_id, record_type, record_id, organisation_id, community, occurred_at) FROM STDIN"
        ) as copy:
            for record in range(records):
                copy.write_row((record // GROUP + 1, "report", 10_000_000 + record, organisation.pk, 0, now))
        for table in ("analytics_network", "analytics_entity"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608 - constant names
            )
        cursor.execute("ANALYZE")
    raw.commit()
    print(
        f"loaded {groups + records:,} entities, {2 * records:,} mentions, {groups:,} networks, "
        f"{records:,} memberships in {time.perf_counter() - started:.1f} s"
    )
    return organisation.pk, groups


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--interval", type=float, default=0.05, help="db_worker idle polling interval (s)")
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the benchmark database")
    args = parser.parse_args()

    url = f"{SERVER}/{DATABASE}"
    env = _env(url)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    _ensure_database(args.fresh)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    organisation_id, groups = _load(args.entities)

    from safeguard.accounts.models import Organisation
    from safeguard.intake import services as intake
    from safeguard.intake.choices import Channel
    from safeguard.intake.models import UrgencyRaise

    organisation = Organisation.objects.get(pk=organisation_id)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", str(args.interval), "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies: list[float] = []
    try:
        time.sleep(3)  # let the worker start before the first sample
        picked = [int.from_bytes(secrets.token_bytes(4)) % groups for _ in range(args.samples + 3)]
        for number, group in enumerate(picked):
            started = time.perf_counter()
            report = intake.report_submit(
                data=intake.ReportInput(
                    narrative="Benchmark report (synthetic).",
                    country="ES",
                    identifiers=[("phone", _phone(group))],
                ),
                channel=Channel.PHONE,
                organisation=organisation,
            ).report
            deadline = started + 30
            while not UrgencyRaise.objects.filter(report_id=report.pk).exists():
                if time.perf_counter() > deadline:
                    raise SystemExit(f"no urgency raised for report {report.pk} within 30 s")
                time.sleep(0.005)
            elapsed = time.perf_counter() - started
            if number >= 3:  # the first few warm the worker's caches and connections
                latencies.append(elapsed)
            reason = UrgencyRaise.objects.filter(report_id=report.pk).values_list("reason", flat=True).first()
            if number == 3:
                print(f"example reason: {reason}")
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"samples: {len(latencies)}; submission → urgency raised: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
