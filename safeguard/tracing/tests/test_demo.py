from __future__ import annotations

import io
import random

import pytest

from safeguard.cases import demo as cases_demo
from safeguard.directory import demo as directory_demo
from safeguard.portal.demo import DemoWorld
from safeguard.portal.management.commands.seed_demo import Command
from safeguard.tracing import demo as tracing_demo
from safeguard.tracing.models import Enquiry, MatchStatus, TracingMatch, TracingRequest, TracingState

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_tracing_request_with_a_match_and_is_idempotent() -> None:
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
        tracing_demo.seed(world)
    request = TracingRequest.objects.get()
    assert (request.case.reference, request.state) == ("C-DEMO-0002", TracingState.POTENTIAL_MATCH)
    assert Enquiry.objects.count() == 1
    match = TracingMatch.objects.get()
    assert (match.request, match.status) == (request, MatchStatus.PENDING)
    assert "name_sounds_alike" in match.reasons and "family_member" in match.reasons
