"""The demo: a cross-border task force and a live match notice, seeded idempotently."""

from __future__ import annotations

import io
import random

import pytest

from safeguard.analytics import demo as analytics_demo
from safeguard.cases import demo as cases_demo
from safeguard.collaboration import demo
from safeguard.collaboration.models import CrossBorderRequest, JointOperation, MatchNotice, Share, TaskForce
from safeguard.directory import demo as directory_demo
from safeguard.intake import demo as intake_demo
from safeguard.intake.models import ReportRoute
from safeguard.portal.demo import DemoWorld
from safeguard.portal.management.commands.seed_demo import Command


@pytest.mark.django_db
def test_demo_seeding_is_idempotent_and_says_who_sees_what() -> None:
    command = Command(stdout=io.StringIO())
    log = io.StringIO()
    world = DemoWorld(
        seed=1, rng=random.Random(1), organisations=command._organisations(), users={}, created=True, log=log
    )
    world.users = command._people(world)
    for module in (directory_demo, intake_demo, cases_demo, analytics_demo):
        module.seed(world)
    for _ in range(2):
        demo.seed(world)
    task_force = TaskForce.objects.get()
    assert task_force.name == "Operation Northern Lights (demo)"
    assert sorted(task_force.members.values_list("organisation__slug", flat=True)) == [
        "bluefield-police",
        "corvia-border-police",
        "harbour-light",
        "northwind-helpline",
    ]
    assert sorted(Share.objects.values_list("item_type", flat=True)) == ["ad_cluster", "case", "report"]
    assert list(CrossBorderRequest.objects.values_list("status", "to_organisation__slug")) == [
        ("sent", "corvia-border-police")
    ]
    assert JointOperation.objects.count() == 1
    assert sorted(MatchNotice.objects.values_list("organisation__slug", "other_organisation__slug")) == [
        ("harbour-light", "northwind-helpline"),
        ("northwind-helpline", "harbour-light"),
    ]
    handovers = ReportRoute.objects.filter(
        organisation__slug="harbour-light", report__reference__in=[ref for ref, _ in demo.HANDOVERS]
    )
    assert sorted(handovers.values_list("report__reference", "status")) == [
        ("SG-DEMO0002", "offered"),
        ("SG-DEMO0004", "case_opened"),
        ("SG-DEMO0005", "declined"),
    ]
    assert handovers.get(status="declined").decline_reason.startswith("Outside our area")
    printed = log.getvalue()
    assert printed.count("collaboration: who sees what") == 2
    assert "1 offered, 1 case opened, 1 declined" in printed
    assert "liaison@corvia.example" in printed
