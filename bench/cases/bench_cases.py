"""Case management at 100,000 cases on PostgreSQL: page p95s and the duplicate check.

Creates (once) the database ``safeguard_bench_cases`` beside the one in
``SAFEGUARD_BENCH_DATABASE_URL`` (default: the local one ``bin/start-postgres`` prints), fills it
with synthetic, obviously fictional cases, then renders through the Django test client as a
signed-in, MFA-verified caseworker and supervisor:

* the case list (``/cases/``), the caseworker's home (``/cases/home/``) and the supervisor
  dashboard (``/cases/supervision/``) — target p95 < 300 ms;
* the duplicate check (``find_duplicates``) for a variant of an existing child — target < 200 ms.

    python bench/cases/bench_cases.py [--cases 100000] [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get(
    "SAFEGUARD_BENCH_DATABASE_URL", "postgres://safeguard:safeguard@127.0.0.1:5432/safeguard"
)
BENCH_DB = "safeguard_bench_cases"


def ensure_database() -> str:
    import psycopg

    parsed = urlparse(BASE_URL)
    with psycopg.connect(BASE_URL, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return urlunparse(parsed._replace(path=f"/{BENCH_DB}"))


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
    for user in [*caseworkers, supervisor]:
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
            existing += size
            progress.update(size)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"organisation": organisation, "caseworker": caseworkers[0], "supervisor": supervisor}


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    setup_django(ensure_database())
    cast = populate(args.cases)

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
    for label, client, path in [
        ("case list (caseworker, own + team)", caseworker, "/cases/"),
        ("case list (supervisor, whole organisation)", supervisor, "/cases/"),
        ("case list, name search (supervisor)", supervisor, "/cases/?name=Karimo"),
        ("caseworker home", caseworker, "/cases/home/"),
        ("supervisor dashboard", supervisor, "/cases/supervision/"),
        ("dashboard panels (supervisor)", supervisor, "/dashboard/"),
    ]:
        try:
            samples = time_page(client, path, args.runs)
        except Exception as error:  # the dashboard renders other apps' panels too
            print(f"{label}: skipped ({error!r})")
            continue
        results.append((label, statistics.median(samples), p95(samples), 300))

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

    print(f"{'measure':45} {'median ms':>10} {'p95 ms':>10} {'target':>8}")
    for label, median, high, target in results:
        verdict = "ok" if high < target else "OVER"
        print(f"{label:45} {median:10.1f} {high:10.1f} {'<' + str(target):>8} {verdict}")


if __name__ == "__main__":
    main()
