"""Match-notice latency: from a stored report to both organisations' notices stored.

What is measured: the wall time of ``collaboration.services.match_notices_for_record`` for a
new report of one organisation whose phone number also appears in the stored records of other
organisations — reading the report and its identifiers, computing their blind keys, looking
up the analytics entities and the other organisations' mentions, and writing the pair(s) of
notices with their audit events and notifications. (The task queue's pick-up delay is not
included: with ``db_worker`` it is the worker's polling interval.)

Set-up (synthetic): ``--organisations`` organisations, all opted in; ``--entities`` phone
entities, each mentioned by ``--mentions`` records of randomly chosen other organisations.
Each sample stores a new report of organisation 0 naming one stored phone number.

    .venv/bin/python bench/collaboration/bench_notices.py                 # 20,000 entities, SQLite
    .venv/bin/python bench/collaboration/bench_notices.py --entities 1000000 --database postgres://…

Uses a fresh SQLite file under ``var/`` unless ``--database`` is given.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setup(database: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    key = base64.b64encode(b"0" * 32).decode()
    os.environ.setdefault("SAFEGUARD_SECRET_KEY", "bench-only-0123456789abcdef0123456789abcdef")
    os.environ.setdefault("SAFEGUARD_FIELD_KEYS", f"k1:{key}")
    os.environ.setdefault("SAFEGUARD_BLIND_INDEX_KEY", key)
    os.environ["SAFEGUARD_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    if database is None:
        handle, path = tempfile.mkstemp(prefix="bench-notices-", suffix=".sqlite3")
        os.close(handle)
        database = f"sqlite:///{path}"
    os.environ["SAFEGUARD_DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _phone(number: int) -> str:
    return f"+336{number:08d}"


def _load(organisations: int, entities: int, mentions: int, rng: random.Random) -> list[int]:
    from safeguard.accounts.models import Organisation
    from safeguard.analytics import extraction
    from safeguard.analytics.models import Entity, Mention
    from safeguard.collaboration.models import CollaborationSettings
    from safeguard.core.fields import blind_index_for

    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Bench organisation {n}", slug=f"bench-{n}", kind="ngo")
        for n in range(organisations)
    )
    CollaborationSettings.objects.bulk_create(
        CollaborationSettings(organisation=org, match_notices=True) for org in orgs
    )
    record_id = 100_000_000  # stored records' ids, apart from the reports the samples store
    chunk = 10_000
    for first in range(0, entities, chunk):
        batch: list[Entity] = []
        for number in range(first, min(first + chunk, entities)):
            key = extraction.normalise(extraction.EntityKind.PHONE, _phone(number), default_region="FR")
            assert key is not None, _phone(number)
            batch.append(
                Entity(kind="phone", key_index=blind_index_for(key, purpose="phone"), record_count=mentions)
            )
        rows: list[Mention] = []
        for entity in Entity.objects.bulk_create(batch, batch_size=5000):
            for other in rng.sample(orgs[1:], k=min(mentions, len(orgs) - 1)):
                record_id += 1
                rows.append(
                    Mention(entity=entity, record_type="report", record_id=record_id, organisation=other)
                )
        Mention.objects.bulk_create(rows, batch_size=5000)
    return [org.pk for org in orgs]


def _report(organisation_id: int, phone: str, number: int) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.analytics import extraction
    from safeguard.core.fields import blind_index_for
    from safeguard.intake.models import Report, ReportIdentifier

    report = Report.objects.create(
        reference=f"BENCH-{number:06d}",
        organisation_id=organisation_id,
        channel="web",
        narrative="A bench report.",
        country="FR",
        receipt_lookup=f"B{number:07d}",
        receipt_hash="x",
        due_at=timezone.now() + timedelta(hours=4),
    )
    key = extraction.normalise(extraction.EntityKind.PHONE, phone, default_region="FR") or phone
    ReportIdentifier.objects.create(
        report=report,
        kind="phone",
        value=phone,
        normalised=key,
        value_index=blind_index_for(key, purpose="phone"),
    )
    return report.pk


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--mentions", type=int, default=2, help="records of other organisations per entity")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database", default=None, help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    started = time.perf_counter()
    _setup(args.database)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    org_ids = _load(args.organisations, args.entities, args.mentions, rng)
    loaded = time.perf_counter() - started

    from django.db import connection

    from safeguard.collaboration.models import MatchNotice
    from safeguard.collaboration.services import match_notices_for_record

    latencies: list[float] = []
    for sample in range(args.samples):
        report_id = _report(org_ids[0], _phone(rng.randrange(args.entities)), sample)
        begin = time.perf_counter()
        notices = match_notices_for_record(record_type="report", record_id=report_id)
        latencies.append((time.perf_counter() - begin) * 1000)
        assert len(notices) == 2 * min(args.mentions, args.organisations - 1), [
            (n.organisation_id, n.kinds, n.own_records) for n in notices
        ]
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"database             {connection.vendor}")
    print(f"organisations        {args.organisations} (all opted in)")
    print(f"entities / mentions  {args.entities:,} / {args.entities * args.mentions:,}")
    print(f"set-up               migrate {migrated:.1f} s, load {loaded:.1f} s")
    print(f"samples              {args.samples} reports, {MatchNotice.objects.count():,} notices stored")
    print(f"match notice latency p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {latencies[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
