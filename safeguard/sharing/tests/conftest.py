"""The cast of the sharing tests: Alpha (org A) with consenting cases, and Beta (org B).

Alpha: supervisor Sue prepares releases, admin Ada approves them and sets the budget,
programme manager Pat prepares, caseworker Cal records cases, operator Bob may do nothing here.
Beta: supervisor Sam, with cases of its own that must never reach Alpha's releases.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.cases.models import Case, ConsentGiver, ConsentScope
from safeguard.cases.services.consents import consent_record
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.testing.fixtures import actor_of


def register_cases(actor: Actor, count: int, *, consent: bool = True, country: str = "ES") -> list[Case]:
    cases = []
    for i in range(count):
        case = case_register(
            actor=actor,
            person=PersonDetails(
                first_name=f"Test{i}", second_name="Fictional", gender="Feminine" if i % 2 else "Masculine",
                citizenships=[country],
            ),
            context={"age_when_trafficked": 12 + i % 5, "exploitation_types": ["ForcedLabour"], "exploitation_place": country},
            registered_at=timezone.make_aware(datetime(2024, 5, 1)),
        )  # fmt: skip
        if consent:
            consent_record(
                actor=actor, case=case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.STATISTICS,
                given_on=date(2024, 5, 1),
            )  # fmt: skip
        cases.append(case)
    return cases


@pytest.fixture
def sue(org_a: Organisation, member: Callable[..., User]) -> User:
    return member(org_a, Role.SUPERVISOR, email="sue@alpha.example", name="Sue Supervisor")


@pytest.fixture
def ada(org_a: Organisation, member: Callable[..., User]) -> User:
    return member(org_a, Role.ORG_ADMIN, email="ada@alpha.example", name="Ada Admin")


@pytest.fixture
def pat(org_a: Organisation, member: Callable[..., User]) -> User:
    return member(org_a, Role.PROGRAMME_MANAGER, email="pat@alpha.example", name="Pat Programme")


@pytest.fixture
def cal(org_a: Organisation, member: Callable[..., User]) -> User:
    return member(org_a, Role.CASEWORKER, email="cal@alpha.example", name="Cal Caseworker")


@pytest.fixture
def sam(org_b: Organisation, member: Callable[..., User]) -> User:
    return member(org_b, Role.SUPERVISOR, email="sam@beta.example", name="Sam Supervisor")


@pytest.fixture
def sue_actor(sue: User, org_a: Organisation) -> Actor:
    return actor_of(sue, org_a)


@pytest.fixture
def ada_actor(ada: User, org_a: Organisation) -> Actor:
    return actor_of(ada, org_a)


@pytest.fixture
def sam_actor(sam: User, org_b: Organisation) -> Actor:
    return actor_of(sam, org_b)


@pytest.fixture
def alpha_cases(cal: User, org_a: Organisation) -> list[Case]:
    """24 consenting cases (ages 12-16, ES, 2024) and 3 without consent."""
    actor = actor_of(cal, org_a)
    return register_cases(actor, 24) + register_cases(actor, 3, consent=False)


@pytest.fixture
def beta_cases(org_b: Organisation, member: Callable[..., User]) -> list[Case]:
    worker = member(org_b, Role.CASEWORKER, email="cw@beta.example")
    return register_cases(actor_of(worker, org_b), 30, country="FR")
