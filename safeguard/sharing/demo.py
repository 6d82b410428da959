"""Fictional demo releases at Harbour Light and Northwind's public map; idempotent.

Forty invented children ("Stat Demo-Child 01" …) with consent to statistics, then one
k-anonymous release (k = 5) and one set of differentially private counts (ε = 1), each
prepared by the supervisor, approved and published by the organisation admin.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from safeguard.accounts.access import Actor, roles_in
from safeguard.cases.models import Case, ConsentGiver, ConsentScope
from safeguard.cases.services.consents import consent_record
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.intake.choices import Channel, Outcome, Status
from safeguard.intake.models import Report
from safeguard.intake.services import ReportInput, report_submit
from safeguard.portal.demo import DemoWorld
from safeguard.sharing import public_map, services
from safeguard.sharing.models import PublicMap, Release

COUNTRIES = ["AL", "NG", "VN", "GB"]
EXPLOITATION = ["ForcedLabour", "SexualExploitation", "ChildLabour"]
TITLES = ("Children supported, de-identified (demo)", "Children supported by gender and year (demo)")


def _actor(world: DemoWorld, email: str) -> Actor:
    user, organisation = world.user(email), world.organisation("harbour-light")
    return Actor(user=user, organisation=organisation, roles=roles_in(user, organisation))


def _cases(world: DemoWorld) -> None:
    caseworker = _actor(world, "caseworker@harbour.example")
    for i in range(40):
        reference = f"C-STAT-{i + 1:04d}"
        if Case.objects.filter(reference=reference).exists():
            continue
        case = case_register(
            actor=caseworker,
            person=PersonDetails(
                first_name="Stat",
                second_name=f"Demo-Child {i + 1:02d}",
                gender="Feminine" if world.rng.random() < 0.6 else "Masculine",
                citizenships=[world.rng.choice(COUNTRIES)],
            ),
            context={
                "age_when_trafficked": world.rng.randint(9, 17),
                "exploitation_types": [world.rng.choice(EXPLOITATION)],
                "exploitation_place": "GB",
            },
            registered_at=timezone.make_aware(datetime(2023 + i % 3, 1 + i % 12, 1)),
        )
        Case.objects.filter(pk=case.pk).update(reference=reference)
        consent_record(
            actor=caseworker, case=case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.STATISTICS,
            given_on=date(2023 + i % 3, 1 + i % 12, 1),
        )  # fmt: skip


# The public map at Northwind: reports by region in the months before this one (ES-VC stays below
# the threshold over the year, so it is left out; most single months are "fewer than 10").
PUBLIC_MAP_REPORTS = {"ES-AN": {2: 11, 3: 10}, "PT-03": {1: 12}, "ES-VC": {4: 2, 6: 2}}
PUBLIC_MAP_SPREAD = {"ES-AN": 1, "PT-03": 1}  # and this many in each other month of the year


def _public_map(world: DemoWorld) -> None:
    helpline = world.organisation("northwind-helpline")
    if PublicMap.objects.filter(organisation=helpline).exists():
        return
    today = timezone.localdate()
    month_start = date(today.year, today.month, 1)
    for region, peaks in PUBLIC_MAP_REPORTS.items():
        for months_ago in range(1, 12):
            count = peaks.get(months_ago, PUBLIC_MAP_SPREAD.get(region, 0))
            year, month = month_start.year, month_start.month - months_ago
            while month < 1:
                year, month = year - 1, month + 12
            for i in range(count):
                report = report_submit(
                    data=ReportInput(
                        narrative="Fictional demo report, counted on the public map (demo).",
                        country=region[:2],
                        subdivision=region,
                        language="en",
                    ),
                    channel=Channel.PHONE,
                    organisation=helpline,
                    created_at=timezone.make_aware(datetime(year, month, 3 + i % 25, 10)),
                ).report
                Report.objects.filter(pk=report.pk).update(
                    status=Status.CLOSED, outcome=Outcome.NOT_ACTIONABLE
                )
    admin = world.user("admin@northwind.example")
    public_map.public_map_set(
        actor=Actor(user=admin, organisation=helpline, roles=roles_in(admin, helpline)), enabled=True
    )
    world.log.write("sharing: the public map of Northwind (/statistics/northwind-helpline/map/)")


def seed(world: DemoWorld) -> None:
    _public_map(world)
    if Release.objects.filter(title__in=TITLES).exists():
        return
    _cases(world)
    supervisor = _actor(world, "supervisor@harbour.example")
    admin = _actor(world, "admin@harbour.example")
    microdata = services.release_request_microdata(
        actor=supervisor,
        title=TITLES[0],
        quasi_identifiers=[
            "vic_AgeWhenTrafficked",
            "prs_Gender",
            "prs_Citizenship",
            "cas_YearOfRegistration",
        ],
        k=5,
    )
    counts = services.release_request_counts(
        actor=supervisor, title=TITLES[1], by=["prs_Gender", "cas_YearOfRegistration"], epsilon=1.0
    )
    for release in (microdata, counts):
        computed = services.release_execute(release_id=release.pk)
        services.release_decide(actor=admin, release=computed, approve=True, publish=True)
    world.log.write("sharing: 2 published releases at Harbour Light (/statistics/harbour-light/)")
