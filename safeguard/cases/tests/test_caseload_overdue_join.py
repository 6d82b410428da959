"""Overdue follow-ups, counted through one join of the scope's cases to their follow-ups: every
overdue follow-up of a case counts (not once per case), and another organisation's never do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safeguard.cases.caseload import OverdueFollowUps, Period, caseload_report
from safeguard.cases.models import FollowUp
from safeguard.cases.tests.conftest import register
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_each_overdue_follow_up_counts_and_org_b_never(cara, bert, org_a, org_b) -> None:
    pam = make_member(org_a, "programme_manager", email="pam2@alpha.example", name="Pam Programme")
    mine = register(actor_of(cara, org_a), first_name="Amira")
    theirs = register(actor_of(bert, org_b), first_name="Other")
    for case, by, days, done in [
        (mine, cara, 3, False),
        (mine, cara, 8, False),
        (mine, cara, 9, True),  # done: not overdue
        (theirs, bert, 20, False),  # org B: never in org A's report
    ]:
        due = TODAY - timedelta(days=days)
        FollowUp.objects.create(
            case=case, due_on=due, purpose="Visit", scheduled_by=by, done_on=due if done else None
        )
    report = caseload_report(actor_of(pam, org_a), Period(TODAY - timedelta(days=30), TODAY))
    assert report.overdue == [OverdueFollowUps(cara.name, 2, TODAY - timedelta(days=8))]
