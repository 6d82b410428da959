"""The case list's registration date filters are whole days in the current time zone (as the
``__date`` lookup they replace), though they run as a timestamp range the indexes can serve."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from safeguard.cases.models import Case
from safeguard.cases.selectors import case_list
from safeguard.cases.tests.conftest import register
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

# Tehran is UTC+03:30 all year: 20:29 UTC on 1 March is still 1 March there, 20:30 is 2 March.
BOUNDS = {
    "late_first": datetime(2025, 3, 1, 20, 29, 59, tzinfo=UTC),
    "early_second": datetime(2025, 3, 1, 20, 30, tzinfo=UTC),
    "late_second": datetime(2025, 3, 2, 20, 29, 59, tzinfo=UTC),
    "early_third": datetime(2025, 3, 2, 20, 30, tzinfo=UTC),
}


@pytest.fixture
def dated(sue, bert, org_a, org_b):
    made = {}
    for key, at in BOUNDS.items():
        case = register(actor_of(sue, org_a), first_name=key.title())
        Case.objects.filter(pk=case.pk).update(registered_at=at)
        made[key] = case.reference
    other = register(actor_of(bert, org_b), first_name="Other")
    Case.objects.filter(pk=other.pk).update(registered_at=BOUNDS["early_second"])
    return made


def references(actor, **filters) -> set[str]:
    return set(case_list(actor, **filters).values_list("reference", flat=True))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"registered_from": date(2025, 3, 2)}, {"early_second", "late_second", "early_third"}),
        ({"registered_to": date(2025, 3, 2)}, {"late_first", "early_second", "late_second"}),
        (
            {"registered_from": date(2025, 3, 2), "registered_to": date(2025, 3, 2)},
            {"early_second", "late_second"},
        ),
        ({"registered_to": date.max}, set(BOUNDS)),
    ],
)
def test_date_filters_are_local_days_and_match_the_date_lookup(sue, org_a, dated, filters, expected) -> None:
    actor = actor_of(sue, org_a)
    with timezone.override("Asia/Tehran"):
        found = references(actor, **filters)
        assert found == {dated[key] for key in expected}
        # The same rows as the ``registered_at__date`` lookup, never org B's case.
        by_date = Case.objects.filter(organisation=org_a)
        if "registered_from" in filters:
            by_date = by_date.filter(registered_at__date__gte=filters["registered_from"])
        if "registered_to" in filters:
            by_date = by_date.filter(registered_at__date__lte=filters["registered_to"])
        assert found == set(by_date.values_list("reference", flat=True))


def test_in_utc_the_day_boundary_moves(sue, org_a, dated) -> None:
    with timezone.override("UTC"):
        found = references(actor_of(sue, org_a), registered_from=date(2025, 3, 2))
    assert found == {dated["late_second"], dated["early_third"]}
