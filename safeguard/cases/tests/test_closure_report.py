"""Closures counted by listed reason on the supervision page, own organisation only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safeguard.cases.models import Case, CaseStatus
from safeguard.cases.selectors import ClosureCount, closures_by_reason
from safeguard.cases.tests.conftest import register
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def close(case: Case, code: str, days_ago: int) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        closure_reason_code=code,
        closed_at=timezone.now() - timedelta(days=days_ago),
    )


def test_closures_by_reason_with_known_answers(cara, sue, bert, beth, org_a, org_b, client_for) -> None:
    caseworker = actor_of(cara, org_a)
    cases = [register(caseworker, first_name=f"Kid{i}") for i in range(6)]
    close(cases[0], "reintegrated", 10)
    close(cases[1], "reintegrated", 100)
    close(cases[2], "aged_out", 5)
    close(cases[3], "", 20)  # closed before reasons were listed
    close(cases[4], "died", 400)  # outside the year
    # cases[5] stays open; org B's closure is never counted for org A
    close(register(actor_of(bert, org_b), first_name="Bela"), "aged_out", 3)
    assert closures_by_reason(actor_of(sue, org_a)) == [
        ClosureCount("Reintegrated with family", 2), ClosureCount("Aged out", 1), ClosureCount("not recorded", 1),
    ]  # fmt: skip
    assert closures_by_reason(actor_of(beth, org_b)) == [ClosureCount("Aged out", 1)]
    page = client_for(sue).get("/cases/supervision/").content.decode()
    assert "Cases closed in the last 365 days, by reason" in page
    assert "<td>Reintegrated with family</td><td>2</td>" in page
