"""Learning page timings: learner pages, the coverage pages and the xAPI export.

Builds a throw-away SQLite database (migrated from scratch) with the four starter courses and
synthetic, obviously fictional learners: ``--learners`` staff learners of one organisation
spread over ``--regions`` districts of a fictional country, each completing one course (so
``--learners`` completions and 12 × ``--learners`` xAPI statements), and a vulnerability run
over those districts. Renders through the Django test client and prints the median and p95 of
``--runs`` requests per page:

    python bench/learning/bench_pages.py [--learners 5000] [--regions 50] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def setup_django(database: Path) -> None:
    os.environ["SAFEGUARD_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("SAFEGUARD_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()
    call_command("migrate", verbosity=0)


def build(learners: int, regions: int) -> dict[str, object]:
    import uuid

    from django.utils import timezone

    from safeguard.accounts.models import Organisation
    from safeguard.accounts.roles import OrganisationKind, Role
    from safeguard.learning.models import Enrolment, Statement
    from safeguard.learning.selectors import starter_packages
    from safeguard.learning.services import starter_course_install
    from safeguard.risk.models import (
        IndexConfiguration,
        IndexRun,
        Region,
        RegionLevel,
        RegionResult,
        RunStatus,
    )
    from safeguard.testing.fixtures import make_member

    courses = [starter_course_install(content=package)[0] for package in starter_packages()]
    organisation = Organisation.objects.create(
        name="Bench Learning (fictional)", slug="bench-learning", kind=OrganisationKind.NGO, country="XT"
    )
    manager = make_member(organisation, Role.PROGRAMME_MANAGER, Role.ORG_ADMIN, email="pm@bench.example")
    country = Region.objects.create(code="XT", name="Benchland", level=RegionLevel.COUNTRY, country_code="XT")
    districts = []
    for index in range(regions):
        x, y = index % 10, index // 10
        ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
        districts.append(
            Region.objects.create(
                code=f"XT-{index:03d}",
                name=f"District {index}",
                level=RegionLevel.DISTRICT,
                parent=country,
                country_code="XT",
                shape={"type": "Polygon", "coordinates": [ring]},
                child_population=10_000 + 1_000 * index,
            )
        )
    configuration = IndexConfiguration.objects.create(
        organisation=organisation, created_by=manager, name="Benchland districts", level=RegionLevel.DISTRICT
    )
    run = IndexRun.objects.create(
        organisation=organisation,
        configuration=configuration,
        requested_by=manager,
        status=RunStatus.SUCCEEDED,
    )
    RegionResult.objects.bulk_create(
        RegionResult(run=run, region=region, score=100 - index, rank=index + 1, coverage=1.0, position=index)
        for index, region in enumerate(districts)
    )
    from safeguard.accounts.models import User

    users = User.objects.bulk_create(
        User(email=f"learner{n}@bench.example", name="") for n in range(learners)
    )
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            user=user,
            course=courses[n % 4],
            version=courses[n % 4].published_version,
            organisation=organisation,
            region=districts[(n * 7) % regions].code,
            language="en",
            completed_at=now - timezone.timedelta(days=(n * 13) % 360),
        )
        for n, user in enumerate(users)
    )
    body = {"id": "", "actor": {"account": {"homePage": "https://safeguard.invalid", "name": "x"}}}
    Statement.objects.bulk_create(
        (
            Statement(
                id=uuid.uuid4(), organisation=organisation, enrolment=enrolment, verb="answered", body=body
            )
            for enrolment in enrolments
            for _ in range(12)
        ),
        batch_size=2000,
    )
    return {"manager": manager, "run": run}


def timed(client: object, method: str, url: str, runs: int, data: dict[str, object] | None = None) -> tuple[float, float]:  # fmt: skip
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 400), (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--regions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.test import Client

        from safeguard.testing.fixtures import signed_in_client

        world = build(args.learners, args.regions)
        slug = "stay-safe-young-people"
        public = Client()
        staff = signed_in_client(world["manager"])  # type: ignore[arg-type]
        run = world["run"]
        pages = [
            ("public", public, "get", "/learn/", None),
            ("public", public, "get", f"/learn/{slug}/", None),
            ("public", public, "get", f"/learn/{slug}/lessons/3/", None),
            ("public", public, "get", f"/learn/{slug}/quiz/", None),
            ("public", public, "post", f"/learn/{slug}/quiz/", {"q_q1": "a"}),
            ("public", public, "get", "/learn/account/", None),
            ("public", public, "get", "/learn/sw.js", None),
            ("manager", staff, "get", f"/risk/runs/{run.pk}/targeting/", None),  # type: ignore[attr-defined]
            ("manager", staff, "get", "/learn/manage/coverage/", None),
            ("manager", staff, "get", "/learn/manage/coverage/?region=XT-007", None),
            ("manager", staff, "get", "/learn/manage/records.json", None),
        ]
        print(
            f"{args.learners} completions in {args.regions} districts, {12 * args.learners} xAPI statements; "
            f"{args.runs} requests per page (SQLite, Django test client)"
        )
        print(f"{'who':8} {'page':52} {'median ms':>10} {'p95 ms':>8}")
        for who, client, method, url, data in pages:
            runs = max(3, args.runs // 10) if url.endswith("records.json") else args.runs
            median, p95 = timed(client, method, url, runs, data)
            print(f"{who:8} {method.upper() + ' ' + url:52} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
