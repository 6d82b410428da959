"""The report queue (``/reports/``) at 100,000 reports on PostgreSQL: p95 of each filter,
sort and search an operator or a supervisor uses.

Creates (once) the database ``--database`` (default ``safeguard_bench_queue``) beside the one in
``SAFEGUARD_BENCH_DATABASE_URL``, as ``bench/cases`` does, and fills it with synthetic, obviously
fictional reports with ``bulk_create`` and a progress bar: a hotline's own reports over two
years (most closed, the rest spread over the open statuses), each with an encrypted narrative,
a phone number for three in ten (encrypted, with its blind index), an open flag for one in a
hundred, an assignee for half, and 2,000 hand-overs offered or accepted from a partner. Then it
measures, as a signed-in, MFA-verified operator and supervisor, the queue's page of 50 with its
counters and duplicate hints, as the page renders it. Target p95 < 200 ms.

    python bench/intake/bench_queue.py [--reports 100000] [--runs 40] [--database NAME]
"""

from __future__ import annotations

import argparse
import random
import statistics
from datetime import timedelta

from bench.cases.bench_cases import client_for, ensure_database, p95, setup_django, time_page

BENCH_DB = "safeguard_bench_queue"
BATCH = 2_000
# Narratives put together from parts, so that two reports share some wording but rarely all of it.
WHO = [
    "A girl of about {age}",
    "A boy of about {age}",
    "Two sisters, maybe {age}",
    "Several teenagers",
    "A child of {age}",
]
WHAT = [
    "sells sweets late at night",
    "works in the kitchen instead of school",
    "begs every day",
    "was promised study abroad and had her passport taken",
    "carries boxes for a man who is not family",
    "is collected by a van at dawn",
    "answers to an adult who keeps the money",
    "sleeps in the back room",
]
WHERE = ["near the fictional {place}", "behind the {place} (fictional)", "at the {place}, which is made up"]
DETAIL = [
    "",
    "The man drives a blue car.",
    "Neighbours hear shouting at night.",
    "She looked scared and tired.",
    "They do not speak the local language.",
    "A woman takes photos of the children.",
    "It has gone on for weeks.",
]
PLACES = [
    "Plaza Inventada",
    "Example Farm",
    "Nowhere Station",
    "Demo Market",
    "Fictional Mill",
    "Sample Quay",
]
REGIONS = ["ES-MD", "ES-B", "ES-SE", "ES-V", ""]
CHANNELS = ["web", "web", "web", "phone", "sms", "whatsapp", "app"]
LANGUAGES = ["es", "es", "en", "fr", "ar"]
OPEN = ["new", "in_triage", "needs_information", "referred", "escalated"]


def populate(total: int, seed: int = 5) -> dict:
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from tqdm import tqdm

    from safeguard.accounts.models import Membership, Organisation, User
    from safeguard.intake.models import Report, ReportFlag, ReportIdentifier, ReportRoute

    hotline, _ = Organisation.objects.get_or_create(
        slug="bench-hotline",
        defaults={"name": "Bench Hotline (fictional)", "kind": "hotline", "country": "ES"},
    )
    partner, _ = Organisation.objects.get_or_create(
        slug="bench-partner", defaults={"name": "Bench Partner (fictional)", "kind": "ngo", "country": "ES"}
    )
    operators = []
    for n in range(20):
        user = User.objects.filter(email=f"op{n}@bench.example").first() or User.objects.create_user(
            f"op{n}@bench.example", None, name=f"Bench Operator {n}"
        )
        Membership.objects.get_or_create(user=user, organisation=hotline, role="operator")
        operators.append(user)
    supervisor = User.objects.filter(email="hsup@bench.example").first() or User.objects.create_user(
        "hsup@bench.example", None, name="Bench Hotline Supervisor"
    )
    Membership.objects.get_or_create(user=supervisor, organisation=hotline, role="supervisor")
    for user in [*operators, supervisor]:
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})

    existing = Report.objects.count()
    rng = random.Random(seed + existing)
    now = timezone.now()
    made = existing
    with tqdm(total=total, initial=min(existing, total), unit="report", desc="reports") as bar:
        while made < total:
            size = min(BATCH, total - made)
            with transaction.atomic():
                batch = [_report(rng, made + n, hotline, partner, operators, now) for n in range(size)]
                reports = Report.objects.bulk_create(batch)
                ReportIdentifier.objects.bulk_create(
                    _phone_of(report) for report in reports if report.pk % 10 < 3
                )
                ReportFlag.objects.bulk_create(
                    ReportFlag(report=report, organisation=hotline, reason="safety", raised_by=operators[0])
                    for report in reports
                    if report.pk % 100 == 0 and report.status != "closed"
                )
                ReportRoute.objects.bulk_create(
                    ReportRoute(
                        report=report, organisation=hotline, status=rng.choice(["offered", "accepted"])
                    )
                    for report in reports
                    if report.organisation_id == partner.pk
                )
            made += size
            bar.update(size)
    return {"organisation": hotline, "operator": operators[0], "supervisor": supervisor}


def _report(rng: random.Random, n: int, hotline, partner, operators, now):
    from safeguard.intake.models import Report

    created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
    status = "closed" if rng.random() < 0.7 else rng.choice(OPEN)
    age = rng.randint(6, 17)
    return Report(
        reference=f"SG-B{n:08d}",
        organisation=partner if n % 50 == 0 else hotline,
        channel=rng.choice(CHANNELS),
        language=rng.choice(LANGUAGES),
        narrative=" ".join(
            [rng.choice(WHO), rng.choice(WHAT), rng.choice(WHERE) + ".", rng.choice(DETAIL)]
        ).format(age=age, place=rng.choice(PLACES)),
        country="ES",
        subdivision=rng.choice(REGIONS),
        children_count=1,
        youngest_age=age,
        receipt_lookup=f"{n:08x}",
        receipt_hash="bench",
        status=status,
        urgency=rng.choice([1, 1, 2, 2, 3, 4]),
        assigned_to=rng.choice(operators) if rng.random() < 0.5 else None,
        created_at=created,
        due_at=created + timedelta(hours=rng.choice([1, 4, 24, 72])),
        triaged_at=None if status == "new" else created + timedelta(hours=2),
        closed_at=created + timedelta(days=3) if status == "closed" else None,
    )


def _phone(number: int) -> str:
    return f"+34600{number % 1_000_000:06d}"


def _phone_of(report):
    """The phone number named in ``report`` (made from its id, so a search can find it again)."""
    from safeguard.core.fields import blind_index_for
    from safeguard.intake.models import ReportIdentifier

    phone = _phone(report.pk)
    return ReportIdentifier(
        report=report,
        kind="phone",
        value=phone,
        normalised=phone,
        value_index=blind_index_for(phone, purpose="phone"),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database", default=BENCH_DB, help="PostgreSQL database to fill and measure")
    args = parser.parse_args()
    setup_django(ensure_database(args.database))
    cast = populate(args.reports)
    from safeguard.core.warmup import ready_for_requests

    ready_for_requests()  # as gunicorn's ``when_ready`` does before the first request
    from django.utils import timezone

    from safeguard.intake.models import Report, ReportIdentifier

    total = Report.objects.count()
    print(f"\n{total:,} reports; figures measured on a shared 2-core machine\n")
    operator, supervisor = client_for(cast["operator"]), client_for(cast["supervisor"])
    since = (timezone.localdate() - timedelta(days=90)).isoformat()
    with_phone = ReportIdentifier.objects.values_list("report_id", flat=True).order_by("-report_id").first()
    pages = [
        ("queue, open work (operator)", operator, "/reports/"),
        ("queue, open work (supervisor)", supervisor, "/reports/"),
        ("queue, assigned to me (operator)", operator, "/reports/?assignee=me"),
        ("queue, nobody yet (supervisor)", supervisor, "/reports/?assignee=none"),
        ("queue, new and high, web, one region", supervisor, "/reports/?status=new&urgency=3&channel=web&place=ES-MD"),
        ("queue, open flags (supervisor)", supervisor, "/reports/?flag=any"),
        ("queue, closed in 90 days, by received", supervisor, f"/reports/?status=closed&received_from={since}&sort=-received"),
        ("queue, every report by assignee", supervisor, "/reports/?status=all&sort=assignee"),
        ("queue, page 40 of open work", supervisor, "/reports/?page=40"),
        ("queue, search a phone number", supervisor, f"/reports/?q={_phone(with_phone or 0)}&status=all"),
        ("queue, search part of a reference", supervisor, "/reports/?q=B0004&status=all"),
    ]  # fmt: skip
    print(f"{'measure':44} {'median ms':>10} {'p95 ms':>10} {'target':>8}")
    for label, client, path in pages:
        samples = time_page(client, path, args.runs)
        high = p95(samples)
        verdict = "ok" if high < 200 else "OVER"
        print(f"{label:44} {statistics.median(samples):10.1f} {high:10.1f} {'<200':>8} {verdict}")


if __name__ == "__main__":
    main()
