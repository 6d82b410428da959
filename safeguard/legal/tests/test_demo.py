"""The demo: real instruments without a "verified" date, one illustrative profile, legal matters; idempotent."""

from __future__ import annotations

import io
import random

import pytest

from safeguard.cases import demo as cases_demo
from safeguard.directory import demo as directory_demo
from safeguard.intake import demo as intake_demo
from safeguard.intake.models import Report
from safeguard.legal import demo
from safeguard.legal.access import matters_visible_to
from safeguard.legal.models import Hearing, Instrument, Jurisdiction, LegalMatter, ReportDuty
from safeguard.legal.services.duties import report_duties_apply
from safeguard.portal.demo import DemoWorld
from safeguard.portal.management.commands.seed_demo import Command
from safeguard.testing.fixtures import TEST_PASSWORD, actor_of


@pytest.mark.django_db
def test_demo_seeding_is_idempotent_and_every_profile_is_illustrative(client_for) -> None:
    command = Command(stdout=io.StringIO())
    world = DemoWorld(
        seed=1,
        rng=random.Random(1),
        organisations=command._organisations(),
        users={},
        created=True,
        log=io.StringIO(),
    )
    world.users = command._people(world)
    for module in (directory_demo, intake_demo, cases_demo):
        module.seed(world)
    for _ in range(2):
        demo.seed(world)
    assert Instrument.objects.count() == len(demo.INSTRUMENTS) == 10
    # Real treaties: never marked as verified by us, so the registry asks an editor to check them.
    assert not Instrument.objects.filter(last_verified__isnull=False).exists()
    (profile,) = Jurisdiction.objects.all()
    assert profile.is_illustrative and "fictional" in profile.name
    assert LegalMatter.objects.count() == 3 and Hearing.objects.count() == 1
    # Safe Haven represents the child in the trial through its accepted legal-aid referral.
    shelter = actor_of(world.user("caseworker@safehaven.example"), world.organisation("safe-haven"))
    assert sorted(matters_visible_to(shelter).values_list("kind", flat=True)) == ["compensation", "criminal"]
    # A Spanish demo report received by the Northwind hotline gets the hotline duty.
    report = Report.objects.get(reference="SG-DEMO0001")
    report_duties_apply(report_id=report.pk)
    assert list(ReportDuty.objects.filter(report=report).values_list("reason", flat=True)) == [
        "organisation_kind"
    ]
    # The demo's pages render for the people who use them.
    matter = LegalMatter.objects.get(kind="criminal")
    for email, urls in (
        (
            "caseworker@harbour.example",
            [f"/legal/matters/{matter.pk}/", f"/cases/{matter.case_id}/", "/legal/calendar/"],
        ),
        ("caseworker@safehaven.example", [f"/legal/matters/{matter.pk}/", "/legal/calendar/"]),
        (
            "operator@northwind.example",
            [f"/reports/{report.pk}/", "/legal/ES/", "/legal/instruments/palermo/"],
        ),
        ("programme@ministry.example", ["/legal/statistics/"]),
    ):
        user = world.user(email)
        user.set_password(TEST_PASSWORD)
        user.save(update_fields=["password"])
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "fictional" in response.content.decode() or url.endswith("statistics/"), url
