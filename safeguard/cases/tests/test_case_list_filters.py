"""The case list: sorts by its columns, filters over what the viewer may see, finds names and
aliases by their phonetic keys; org B's cases never appear."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safeguard.cases.models import Case
from safeguard.cases.tests.conftest import register
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(cara, carl, sue, bert, org_a, org_b, team_a):
    year = timezone.localdate().year
    made = {
        "amira": register(actor_of(cara, org_a), first_name="Amira", birth_date=date(year - 13, 1, 1),
                          country="GB", subdivision="GB-ENG", aliases=["Mimi"]),
        "bilal": register(actor_of(carl, org_a), first_name="Bilal", birth_date=date(year - 16, 1, 1),
                          country="FR"),
        "chen": register(actor_of(sue, org_a), first_name="Chen", birth_date=date(year - 8, 1, 1),
                         country="GB", subdivision="GB-SCT"),
        "other": register(actor_of(bert, org_b), first_name="Amira", birth_date=date(year - 13, 1, 1),
                          country="GB", subdivision="GB-ENG"),
    }  # fmt: skip
    Case.objects.filter(pk=made["amira"].pk).update(
        team=team_a, risk_level="high", exploitation_types=["ForcedLabour"],
        registered_at=timezone.now() - timedelta(days=40),
    )  # fmt: skip
    Case.objects.filter(pk=made["bilal"].pk).update(
        risk_level="low", registered_at=timezone.now() - timedelta(days=5)
    )
    Case.objects.filter(pk=made["other"].pk).update(risk_level="high", exploitation_types=["ForcedLabour"])
    return {key: Case.objects.get(pk=case.pk) for key, case in made.items()}


def listed(client, **params) -> list[str]:
    response = client.get("/cases/", params)
    assert response.status_code == 200
    return [case.reference for case in response.context["page"].object_list]


def refs(cases, *names) -> list[str]:
    return [cases[name].reference for name in names]


def test_filters_give_exact_rows_and_never_another_organisation(client_for, sue, cara, team_a, cases) -> None:
    client = client_for(sue)
    assert sorted(listed(client)) == sorted(refs(cases, "amira", "bilal", "chen"))
    assert listed(client, risk="high") == refs(cases, "amira")
    assert listed(client, owner=cara.pk) == refs(cases, "amira")
    assert listed(client, team=team_a.pk) == refs(cases, "amira")
    assert listed(client, age="12-14") == refs(cases, "amira")
    assert listed(client, age="15-17") == refs(cases, "bilal")
    assert listed(client, exploitation="ForcedLabour") == refs(cases, "amira")
    assert sorted(listed(client, place="GB")) == sorted(refs(cases, "amira", "chen"))
    assert listed(client, place="gb-sct") == refs(cases, "chen")
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert sorted(listed(client, registered_from=since)) == sorted(refs(cases, "bilal", "chen"))
    until = (timezone.localdate() - timedelta(days=20)).isoformat()
    assert listed(client, registered_to=until) == refs(cases, "amira")


def test_a_caseworker_filters_only_within_her_reach(client_for, cara, carl, cases) -> None:
    client = client_for(cara)
    assert listed(client) == refs(cases, "amira")
    # Carl's case is outside Cara's reach: filtering by him finds nothing rather than his case.
    assert listed(client, place="FR") == []


def test_another_organisations_owner_or_team_is_refused(client_for, sue, bert, org_b, cases) -> None:
    from safeguard.cases.models import Team

    team_b = Team.objects.create(organisation=org_b, name="South")
    client = client_for(sue)
    for params in ({"owner": bert.pk}, {"team": team_b.pk}):
        response = client.get("/cases/", params)
        assert list(response.context["page"].object_list) == []
        assert "Select a valid choice" in response.content.decode()


def test_sorts_by_a_column_both_ways_with_aria_sort(client_for, sue, cases) -> None:
    client = client_for(sue)
    by_reference = sorted(refs(cases, "amira", "bilal", "chen"))
    assert listed(client, sort="reference") == by_reference
    assert listed(client, sort="-reference") == by_reference[::-1]
    assert listed(client, sort="risk") == refs(cases, "amira", "bilal", "chen")  # high, low, medium
    assert listed(client, sort="registered") == refs(cases, "amira", "bilal", "chen")
    page = client.get("/cases/", {"sort": "-registered", "risk": ""}).content.decode()
    assert 'aria-sort="descending"' in page
    assert "sort=registered" in page  # the heading now sorts the other way


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "name"}, "cannot be sorted by"),
        ({"place": "XX"}, "Enter a country code"),
        ({"registered_from": "2025-02-01", "registered_to": "2025-01-01"}, "before its start"),
        ({"registered_from": "yesterday"}, "Enter a valid date"),
        ({"age": "99-100"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_no_rows(client_for, sue, cases, params, message) -> None:
    response = client_for(sue).get("/cases/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["page"].object_list) == []


def test_a_variant_spelling_or_an_alias_finds_the_case(client_for, sue, cases) -> None:
    client = client_for(sue)
    assert listed(client, name="Ameera") == refs(cases, "amira")  # same phonetic key A560
    assert listed(client, name="Mimmi") == refs(cases, "amira")  # alias, spelt differently
    assert listed(client, name="Ameera Fictionalia") == refs(cases, "amira")
    assert listed(client, name="Ameera Smith") == []  # every word must match
    assert listed(client, name="Zed") == []
