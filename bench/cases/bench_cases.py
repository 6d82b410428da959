"""Case management at 100,000 cases on PostgreSQL: page p95s, the duplicate check and the
caseload reports.

Creates (once) the database ``--database`` (default ``safeguard_bench_cases``) beside the one in
``SAFEGUARD_BENCH_DATABASE_URL`` (default: the local one ``bin/start-postgres`` prints), fills it
with synthetic, obviously fictional cases — each with its workflow: an assessment, an approved
care plan, referrals with services delivered, follow-ups, case notes (encrypted) and, for closed
cases, a listed closure reason — with ``bulk_create`` and a progress bar, then measures as a
signed-in, MFA-verified caseworker, supervisor and programme manager:

* the case list (``/cases/``), filtered and sorted, and its phonetic name search, the
  caseworker's home (``/cases/home/``) and the supervisor dashboard (``/cases/supervision/``)
  — target p95 < 300 ms (list and search < 200 ms);
* the duplicate check (``find_duplicates``) for a variant of an existing child — target < 200 ms;
* each caseload report (``safeguard.cases.caseload``) over the last year, for the supervisor's
  teams and the programme manager's organisation, and the whole reports page — target < 200 ms.

    python bench/cases/bench_cases.py [--cases 100000] [--runs 40] [--database NAME]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get(
    "SAFEGUARD_BENCH_DATABASE_URL", "postgres://safeguard:safeguard@127.0.0.1:5432/safeguard"
)
BENCH_DB = "safeguard_bench_cases"


def ensure_database(name: str = BENCH_DB) -> str:
    import psycopg

    parsed = urlparse(BASE_URL)
    with psycopg.connect(BASE_URL, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def setup_django(url: str) -> None:
    os.environ["SAFEGUARD_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.test.utils import override_settings

    # Serve static files without the collected manifest, as the test suite does.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    call_command("migrate", verbosity=0)


def populate(total: int, seed: int = 7) -> dict:
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from tqdm import tqdm

    from safeguard.accounts.models import Membership, Organisation, User
    from safeguard.cases.models import Case, CaseEvent, Person, PersonNameKey, Task, Team
    from safeguard.cases.services import PersonDetails, _person_from, person_name_keys
    from safeguard.cases.synthetic import child
    from safeguard.directory.models import Service

    organisation, _ = Organisation.objects.get_or_create(
        slug="bench", defaults={"name": "Bench NGO", "kind": "ngo"}
    )
    caseworkers = []
    teams = [Team.objects.get_or_create(organisation=organisation, name=f"Team {n}")[0] for n in range(5)]
    for n in range(50):
        user = User.objects.filter(email=f"cw{n}@bench.example").first() or User.objects.create_user(
            f"cw{n}@bench.example", None, name=f"Bench Caseworker {n}"
        )
        Membership.objects.get_or_create(user=user, organisation=organisation, role="caseworker")
        teams[n % 5].members.add(user)
        caseworkers.append(user)
    supervisor = User.objects.filter(email="sup@bench.example").first() or User.objects.create_user(
        "sup@bench.example", None, name="Bench Supervisor"
    )
    Membership.objects.get_or_create(user=supervisor, organisation=organisation, role="supervisor")
    for team in teams[:2]:  # the supervisor's caseload reports cover their two teams
        team.members.add(supervisor)
    manager = User.objects.filter(email="pm@bench.example").first() or User.objects.create_user(
        "pm@bench.example", None, name="Bench Programme Manager"
    )
    Membership.objects.get_or_create(user=manager, organisation=organisation, role="programme_manager")
    provider, _ = Organisation.objects.get_or_create(
        slug="bench-provider", defaults={"name": "Bench Provider", "kind": "service_provider"}
    )
    services = [
        Service.objects.get_or_create(provider=provider, kind=kind, defaults={"name": f"Bench {kind}"})[0]
        for kind in ("shelter", "medical", "counselling", "legal_aid", "education")
    ]
    for user in [*caseworkers, supervisor, manager]:
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "bench"})

    existing = Case.objects.filter(organisation=organisation).count()
    rng = random.Random(seed + existing)
    today = timezone.localdate()
    now = timezone.now()
    batch = 2000
    with tqdm(total=total, initial=existing, desc="cases", unit="case") as progress:
        while existing < total:
            size = min(batch, total - existing)
            with transaction.atomic():
                synthetic = [child(rng, today=today) for _ in range(size)]
                people = Person.objects.bulk_create(
                    _person_from(
                        PersonDetails(
                            first_name=s.first_name,
                            second_name=s.second_name,
                            aliases=list(s.aliases),
                            birth_date=s.birth_date,
                            gender=s.gender,
                            citizenships=list(s.citizenships),
                            country="GB",
                        )
                    )
                    for s in synthetic
                )
                PersonNameKey.objects.bulk_create(
                    PersonNameKey(person=person, key=key)
                    for person in people
                    for key in person_name_keys(person)
                )
                cases = []
                for index, person in enumerate(people):
                    owner_index = rng.randrange(len(caseworkers))
                    closed = rng.random() < 0.3
                    cases.append(
                        Case(
                            reference=f"B-{existing + index:07d}",
                            organisation=organisation,
                            team=teams[owner_index % 5],
                            owner=caseworkers[owner_index],
                            person=person,
                            status="closed" if closed else "open",
                            stage=rng.choice(["registered", "assessed", "in_services", "follow_up"]),
                            risk_level=rng.choice(["low", "medium", "high", "critical"]),
                            registered_at=now - timedelta(days=rng.randint(0, 1500), minutes=index),
                        )
                    )
                    if closed:
                        case = cases[-1]
                        case.closed_at = min(now, case.registered_at + timedelta(days=rng.randint(20, 400)))
                        case.closure_reason_code = rng.choice(CLOSURE_REASONS)
                cases = Case.objects.bulk_create(cases)
                Task.objects.bulk_create(
                    Task(
                        case=case,
                        organisation=organisation,
                        kind="follow_up",
                        title=f"Follow-up of {case.reference}",
                        assignee=case.owner,
                        due_on=today + timedelta(days=rng.randint(-30, 30)),
                    )
                    for case in cases
                    if case.status == "open"
                )
                CaseEvent.objects.bulk_create(
                    CaseEvent(
                        case=case,
                        kind="registered",
                        actor=case.owner,
                        organisation=organisation,
                        at=case.registered_at,
                    )
                    for case in cases
                )
                add_workflow(rng, cases, services, now=now, today=today)
            existing += size
            progress.update(size)
    add_custom_values(organisation, manager, seed=seed)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "organisation": organisation,
        "caseworker": caseworkers[0],
        "supervisor": supervisor,
        "manager": manager,
    }


CLOSURE_REASONS = [
    "reintegrated",
    "alternative_care",
    "aged_out",
    "transferred",
    "moved_abroad",
    "lost_contact",
]
NOTE_KINDS = ["contact", "visit", "phone_call", "observation"]
REFERRAL_STATUSES = ["pending", "accepted", "declined", "completed", "completed", "cancelled"]


def add_workflow(rng, cases, services, *, now, today) -> None:
    """Each case's workflow records, in bulk: most are assessed, many get an approved plan, half
    are referred (services delivered when accepted or completed), every case has a follow-up and
    one to three notes."""
    from safeguard.cases.models import (
        Assessment,
        CarePlan,
        CaseNote,
        FollowUp,
        Referral,
        ServiceRecord,
    )

    def after(case, low: int, high: int):
        return min(now, case.registered_at + timedelta(days=rng.randint(low, high), hours=rng.randint(0, 8)))

    domains = (
        "immediate_safety",
        "medical",
        "psychological",
        "legal",
        "shelter",
        "education",
        "family_tracing",
    )
    assessed = [case for case in cases if rng.random() < 0.85]
    Assessment.objects.bulk_create(
        Assessment(
            case=case,
            assessed_by=case.owner,
            assessed_at=after(case, 0, 12),
            **{d: rng.randint(0, 4) for d in domains},
        )
        for case in assessed
    )
    CarePlan.objects.bulk_create(
        CarePlan(
            case=case,
            goals="Synthetic goals for a fictional child",
            submitted_by=case.owner,
            status="approved",
            decided_at=after(case, 5, 45),
        )
        for case in assessed
        if rng.random() < 0.7
    )
    referrals = Referral.objects.bulk_create(
        Referral(
            case=case,
            service=(service := rng.choice(services)),
            provider_id=service.provider_id,
            need=service.kind,
            status=rng.choice(REFERRAL_STATUSES),
            summary="Synthetic summary",
            respond_by=today,
            created_by=case.owner,
            created_at=after(case, 1, 30),
        )
        for case in cases
        if rng.random() < 0.5
    )
    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            referral=referral,
            delivered_on=(referral.created_at + timedelta(days=rng.randint(1, 40))).date(),
            note="Synthetic service",
            recorded_by=referral.created_by,
        )
        for referral in referrals
        if referral.status in ("accepted", "completed")
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            case=case,
            due_on=(due := today + timedelta(days=rng.randint(-60, 30))),
            purpose="Home visit",
            scheduled_by=case.owner,
            done_on=due if due < today and rng.random() < 0.6 else None,
        )
        for case in cases
    )
    CaseNote.objects.bulk_create(
        CaseNote(
            case=case,
            kind=rng.choice(NOTE_KINDS),
            occurred_on=after(case, 0, 90).date(),
            text="Synthetic note about a fictional child's week.",
            author=case.owner,
        )
        for case in cases
        for _ in range(rng.randint(1, 3))
    )


CUSTOM_FIELDS = [
    # key, form, kind, choices
    ("placement", "case", "choice", ["family", "foster", "shelter", "independent"]),
    ("in_school", "case", "yes_no", []),
    ("languages", "person", "multi_choice", ["en", "fr", "ar", "sw", "ti"]),
]


def add_custom_values(organisation, admin, *, seed: int) -> None:
    """Three organisation-defined fields with a value on every case (resumable: cases that have
    a value of the first field are skipped), each value with its blind-index keys."""
    from django.db import transaction
    from tqdm import tqdm

    from safeguard.cases.models import Case
    from safeguard.customfields import values as custom_values
    from safeguard.customfields.models import FieldDefinition, FieldValue, FieldValueKey

    definitions = [
        FieldDefinition.objects.get_or_create(
            organisation=organisation,
            key=key,
            defaults={
                "form": form,
                "kind": kind,
                "label": key.replace("_", " ").capitalize(),
                "choices": [{"value": choice, "label": choice.capitalize()} for choice in choices],
                "created_by": admin,
                "position": position,
            },
        )[0]
        for position, (key, form, kind, choices) in enumerate(CUSTOM_FIELDS)
    ]
    pending = list(
        Case.objects.filter(organisation=organisation)
        .exclude(custom_values__definition=definitions[0])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(seed + len(pending))

    def stored_for(definition):
        if definition.kind == "yes_no":
            return rng.random() < 0.6
        values = [choice["value"] for choice in definition.choices]
        return rng.choice(values) if definition.kind == "choice" else sorted(rng.sample(values, 2))

    with tqdm(total=len(pending), desc="custom values", unit="case") as progress:
        for start in range(0, len(pending), 2000):
            batch = pending[start : start + 2000]
            with transaction.atomic():
                rows = FieldValue.objects.bulk_create(
                    FieldValue(
                        definition=definition, case_id=case_id, value=stored_for(definition), updated_by=admin
                    )
                    for case_id in batch
                    for definition in definitions
                )
                by_id = {definition.pk: definition for definition in definitions}
                FieldValueKey.objects.bulk_create(
                    FieldValueKey(value=row, case_id=row.case_id, key=key)
                    for row in rows
                    for key in custom_values.search_keys(by_id[row.definition_id], row.value)
                )
            progress.update(len(batch))


def client_for(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def time_page(client, path: str, runs: int) -> list[float]:
    client.get(path)  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return samples


FILTERED_LIST = "/cases/?status=open&risk=high&age=12-14&registered_from={since}&sort=-registered"
CUSTOM_LIST = "/cases/?status=open&x_placement=foster&x_languages=ar"


def time_call(call, runs: int) -> list[float]:
    call()  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def time_reports(cast: dict, runs: int) -> list[tuple[str, float, float, int]]:
    """Each caseload report over the last year, for the supervisor's teams and the whole organisation."""
    from django.utils import timezone

    from safeguard.accounts.access import Actor, roles_in
    from safeguard.cases import caseload

    today = timezone.localdate()
    period = caseload.Period(today - timedelta(days=364), today)
    organisation = cast["organisation"]
    results = []
    for who, user in [("supervisor", cast["supervisor"]), ("programme manager", cast["manager"])]:
        actor = Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))
        cases = caseload.cases_in_report_scope(actor)
        registered = cases.filter(period.holds("registered_at"))
        steps = caseload.times_to_steps(cases, period)
        print(
            f"{who}: {steps[0].registered:,} cases registered in the year; medians "
            + ", ".join(f"{step.step.lower()} {step.median_days}" for step in steps)
        )
        reports = [
            ("open cases per caseworker", partial(caseload.caseload_by_caseworker, cases, period)),
            ("time to assessment", partial(_time_step, caseload, registered, 0)),
            ("time to care plan", partial(_time_step, caseload, registered, 1)),
            ("time to first service", partial(_time_step, caseload, registered, 2)),
            ("overdue follow-ups", partial(caseload.overdue_follow_ups, cases, period)),
            ("referrals by type and outcome", partial(caseload.referrals_by_type, cases, period)),
            ("closures by reason", partial(caseload.closures_in_period, cases, period)),
        ]
        for label, call in reports:
            with caseload.report_queries():  # as the page runs them
                samples = time_call(call, runs)
            results.append((f"report: {label} ({who})", statistics.median(samples), p95(samples), 200))
    return results


def _time_step(caseload, registered, index: int):
    """One of the three time-to measures, as ``caseload.times_to_steps`` computes it."""
    label, reached_on = caseload.step_expressions()[index]
    return caseload.time_to_step(label, registered, reached_on)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database", default=BENCH_DB, help="PostgreSQL database to fill and measure")
    args = parser.parse_args()
    setup_django(ensure_database(args.database))
    cast = populate(args.cases)
    from safeguard.core.warmup import ready_for_requests

    ready_for_requests()  # as gunicorn's ``when_ready`` does before the first request

    from django.utils import timezone

    from safeguard.accounts.access import Actor, roles_in
    from safeguard.cases.matching import Profile
    from safeguard.cases.models import Case
    from safeguard.cases.selectors import find_duplicates
    from safeguard.cases.synthetic import SyntheticChild, variant

    total = Case.objects.filter(organisation=cast["organisation"]).count()
    print(f"\n{total:,} cases; figures measured on a shared 2-core machine under load from other work\n")
    results = []
    caseworker, supervisor = client_for(cast["caseworker"]), client_for(cast["supervisor"])
    manager = client_for(cast["manager"])
    since = (timezone.localdate() - timedelta(days=365)).isoformat()
    for label, client, path, target in [
        ("case list (caseworker, own + team)", caseworker, "/cases/", 200),
        ("case list (supervisor, whole organisation)", supervisor, "/cases/", 200),
        ("case list, filtered and sorted (supervisor)", supervisor, FILTERED_LIST.format(since=since), 200),
        ("case list, name search (supervisor)", supervisor, "/cases/?name=Karimo", 200),
        ("case list, two custom-field filters (supervisor)", supervisor, CUSTOM_LIST, 200),
        ("caseworker home", caseworker, "/cases/home/", 300),
        ("supervisor dashboard", supervisor, "/cases/supervision/", 300),
        ("dashboard panels (supervisor)", supervisor, "/dashboard/", 300),
        ("caseload reports page (supervisor's teams)", supervisor, "/cases/reports/", 300),
        ("caseload reports page (programme manager)", manager, "/cases/reports/", 300),
    ]:
        try:
            samples = time_page(client, path, args.runs)
        except Exception as error:  # the dashboard renders other apps' panels too
            print(f"{label}: skipped ({error!r})")
            continue
        results.append((label, statistics.median(samples), p95(samples), target))

    organisation = cast["organisation"]
    rng = random.Random(11)
    today = timezone.localdate()
    samples = []
    for actor_user in [cast["supervisor"], cast["caseworker"]]:
        actor = Actor(user=actor_user, organisation=organisation, roles=roles_in(actor_user, organisation))
        ids = list(
            Case.objects.filter(organisation=organisation)
            .order_by("?")
            .values_list("pk", flat=True)[: args.runs]
        )
        for case in Case.objects.filter(pk__in=ids).select_related("person"):
            p = case.person
            original = SyntheticChild(
                p.first_name,
                p.second_name,
                tuple(p.aliases),
                date.fromisoformat(p.birth_date),
                None,
                p.gender,
                tuple(p.citizenships),
            )
            query = variant(rng, original, today=today)
            year = query.birth_date.year if query.birth_date else today.year - query.estimated_age
            profile = Profile(
                names=[f"{query.first_name} {query.second_name}", *query.aliases],
                birth_year=year,
                birth_year_estimated=query.birth_date is None,
                gender=query.gender,
                citizenships=query.citizenships,
            )
            started = time.perf_counter()
            find_duplicates(actor, profile)
            samples.append((time.perf_counter() - started) * 1000)
    results.append(("duplicate check", statistics.median(samples), p95(samples), 200))
    results.extend(time_reports(cast, args.runs))

    print(f"{'measure':58} {'median ms':>10} {'p95 ms':>10} {'target':>8}")
    for label, median, high, target in results:
        verdict = "ok" if high < target else "OVER"
        print(f"{label:58} {median:10.1f} {high:10.1f} {'<' + str(target):>8} {verdict}")


if __name__ == "__main__":
    main()
