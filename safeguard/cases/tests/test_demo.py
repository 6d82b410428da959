from __future__ import annotations

import io
import random

import pytest

from safeguard.cases import demo as cases_demo
from safeguard.cases.models import Case, Referral
from safeguard.directory import demo as directory_demo
from safeguard.directory.models import Service
from safeguard.portal.demo import DemoWorld
from safeguard.portal.management.commands.seed_demo import Command

pytestmark = pytest.mark.django_db


def test_demo_seeding_is_idempotent() -> None:
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
    for _ in range(2):
        directory_demo.seed(world)
        cases_demo.seed(world)
    assert Service.objects.count() == len(directory_demo.DEMO_SERVICES)
    assert sorted(Case.objects.values_list("reference", flat=True)) == [
        "C-DEMO-0001",
        "C-DEMO-0002",
        "C-DEMO-0003",
    ]
    assert Referral.objects.get().provider.slug == "safe-haven"
    referred = Case.objects.get(reference="C-DEMO-0003")
    assert referred.notes.count() == 1
    assert list(referred.documents.values_list("name", "note", "scan_status")) == [
        ("visit-summary-demo.txt", referred.notes.get().pk, "not_scanned")
    ]
    assert referred.follow_ups.exclude(outcome="").count() == 1
