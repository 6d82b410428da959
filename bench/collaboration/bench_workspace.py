"""Task-force workspace page time with many shared items.

What is measured: the wall time of ``GET /task-forces/<id>/`` through Django's test client for a
signed-in participant (middleware, session, MFA check, access rules, selectors, template
rendering) — the whole server side of the page, not the network or the browser.

Set-up (synthetic): a task force led by a police unit with two member organisations, each
agreement accepted by its admin; ``--shares`` shares of reports split between the three
members (a tenth revoked, a tenth expired, as a live task force has), 200 timeline events,
``--actions`` actions (each with its status form) and as many decisions. The page is read by a
supervisor of one member organisation. Wall time and the process's CPU time are both printed:
on a shared machine the wall time includes waiting for the CPU.

    .venv/bin/python bench/collaboration/bench_workspace.py                  # 10,000 shares, SQLite
    .venv/bin/python bench/collaboration/bench_workspace.py --database postgres://…

Uses a fresh SQLite file under the system temp directory unless ``--database`` is given.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _setup(database: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    import safeguard.testing.env  # noqa: F401  (test keys, immediate tasks, cookies over http)

    os.environ["SAFEGUARD_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    if database is None:
        handle, path = tempfile.mkstemp(prefix="bench-workspace-", suffix=".sqlite3")
        os.close(handle)
        database = f"sqlite:///{path}"
    os.environ["SAFEGUARD_DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in the test suite: plain static storage (no collectstatic manifest) and fast hashing.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    call_command("migrate", verbosity=0)


def _load(shares: int, actions: int) -> tuple[Any, Any]:
    """The task force and the supervisor who reads its workspace."""
    from django.utils import timezone

    from safeguard.accounts.models import Organisation
    from safeguard.accounts.roles import OrganisationKind, Role
    from safeguard.collaboration import services
    from safeguard.collaboration.models import (
        ItemType,
        MemberRole,
        Purpose,
        Share,
        ShareLevel,
        SharingAgreement,
        TaskForceAction,
        TaskForceDecision,
        TaskForceEvent,
        TaskForceMember,
    )
    from safeguard.testing.fixtures import actor_of, make_member

    today = timezone.localdate()
    terms = services.AgreementTerms(
        legal_basis="Memorandum of understanding (bench)",
        purposes=list(Purpose.values),
        record_kinds=list(ItemType.values),
        max_level=ShareLevel.FULL,
        retention_days=365,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=365),
    )
    police = Organisation.objects.create(name="Bench police", slug="bench-police", kind=OrganisationKind.LAW_ENFORCEMENT)  # fmt: skip
    hotline = Organisation.objects.create(name="Bench hotline", slug="bench-hotline", kind=OrganisationKind.HOTLINE)  # fmt: skip
    ngo = Organisation.objects.create(name="Bench NGO", slug="bench-ngo", kind=OrganisationKind.NGO)
    liaison = make_member(police, Role.LIAISON, email="liaison@bench.example")
    lead = actor_of(liaison, police)
    task_force = services.task_force_create(
        actor=lead, name="Bench operation", purpose="Benchmark", jurisdictions=["FR"], terms=terms
    )
    readers = {}
    for organisation in (hotline, ngo):
        services.member_add(
            actor=lead, task_force=task_force, organisation=organisation, role=MemberRole.MEMBER, terms=terms
        )
    for organisation, slug in ((police, "police"), (hotline, "hotline"), (ngo, "ngo")):
        admin = make_member(organisation, Role.ORG_ADMIN, email=f"admin@{slug}.bench.example")
        for agreement in SharingAgreement.objects.filter(member__organisation=organisation, accepted_at__isnull=True):  # fmt: skip
            services.agreement_accept(actor=actor_of(admin, organisation), agreement=agreement)
        if organisation != police:
            reader = make_member(organisation, Role.SUPERVISOR, email=f"supervisor@{slug}.bench.example")
            member = TaskForceMember.objects.get(task_force=task_force, organisation=organisation)
            services.participant_add(actor=actor_of(admin, organisation), member=member, user=reader)
            readers[slug] = reader
    sharers = [(police, liaison), (hotline, readers["hotline"]), (ngo, readers["ngo"])]
    now = timezone.now()
    rows = []
    for number in range(shares):
        organisation, user = sharers[number % 3]
        rows.append(
            Share(
                task_force=task_force,
                organisation=organisation,
                item_type=ItemType.REPORT,
                item_id=1_000_000 + number,
                item_label=f"SG-BENCH{number:05d}",
                purpose=Purpose.values[number % len(Purpose.values)],
                level=ShareLevel.DEIDENTIFIED,
                expires_on=today - timedelta(days=1) if number % 10 == 1 else today + timedelta(days=90),
                shared_by=user,
                created_at=now - timedelta(minutes=shares - number),
                revoked_at=now if number % 10 == 2 else None,
            )
        )
    Share.objects.bulk_create(rows, batch_size=2000)
    TaskForceEvent.objects.bulk_create(
        TaskForceEvent(task_force=task_force, kind="item_shared", organisation=hotline, detail={})
        for _ in range(200)
    )
    TaskForceAction.objects.bulk_create(
        TaskForceAction(
            task_force=task_force,
            title=f"Action {n}",
            assignee=ngo,
            due_on=today + timedelta(days=n),
            created_by=liaison,
        )
        for n in range(actions)
    )
    TaskForceDecision.objects.bulk_create(
        TaskForceDecision(
            task_force=task_force,
            text=f"Decision {n}",
            decided_on=today,
            organisation=police,
            recorded_by=liaison,
        )
        for n in range(actions)
    )
    return task_force, readers["ngo"]


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)], ordered[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--actions", type=int, default=20, help="actions and decisions in the task force")
    parser.add_argument("--database", default=None, help="a database URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    _setup(args.database)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    task_force, reader = _load(args.shares, args.actions)
    loaded = time.perf_counter() - started

    from django.db import connection
    from django.test.utils import setup_test_environment

    from safeguard.testing.fixtures import signed_in_client

    setup_test_environment()  # the test client's ALLOWED_HOSTS and in-memory e-mail
    client = signed_in_client(reader)
    url = f"/collaboration/task-forces/{task_force.pk}/"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    body = first.content.decode()
    assert "SG-BENCH" in body, "the workspace lists no shares"
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    latencies: list[float] = []
    cpu: list[float] = []
    for _sample in range(args.samples):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        latencies.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
        assert response.status_code == 200
    p50, p95, top = _percentiles(latencies)
    cpu50, cpu95, cpu_top = _percentiles(cpu)
    on_page = body.count("SG-BENCH")
    last = client.get(f"{url}?page=10000").content.decode()  # past the end: the last page
    assert "SG-BENCH" in last and "Page " in last
    print(f"database             {connection.vendor}")
    print(
        f"shares               {args.shares:,} in the task force ({on_page} on a page); {args.actions} actions and decisions"
    )
    print(f"set-up               migrate {migrated:.1f} s, load {loaded:.1f} s")
    print(f"queries per page     {len(queries)}")
    print(f"page size            {len(first.content) / 1024:.0f} KiB")
    print(f"workspace page wall  p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {top:.1f} ms ({args.samples} samples)")  # fmt: skip
    print(f"workspace page CPU   p50 {cpu50:.1f} ms  p95 {cpu95:.1f} ms  max {cpu_top:.1f} ms")
    print(f"load average         {' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
