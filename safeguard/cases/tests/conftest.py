"""The cast of the case tests.

Org A ("Alpha Helpline", from the shared fixtures) runs cases: caseworker Cara in team
"North", caseworker Carl in no team, supervisors Sue and Sid, analyst Ana. Org B ("Beta
Foundation") has its own caseworker and supervisor. "Haven Shelter" is a service provider whose
caseworker Hana answers referrals; "Other Shelter" is a provider that must never see them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind
from safeguard.accounts.services import api_token_create
from safeguard.cases.models import Case, ConsentGiver, ConsentScope, Team
from safeguard.cases.services.consents import consent_record
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.directory.models import Service, ServiceKind
from safeguard.testing.fixtures import actor_of, make_member


@pytest.fixture
def team_a(org_a: Organisation) -> Team:
    return Team.objects.create(organisation=org_a, name="North")


@pytest.fixture
def cara(org_a: Organisation, team_a: Team) -> User:
    user = make_member(org_a, "caseworker", email="cara@alpha.example", name="Cara Caseworker")
    team_a.members.add(user)
    return user


@pytest.fixture
def carl(org_a: Organisation) -> User:
    return make_member(org_a, "caseworker", email="carl@alpha.example", name="Carl Caseworker")


@pytest.fixture
def sue(org_a: Organisation) -> User:
    return make_member(org_a, "supervisor", email="sue@alpha.example", name="Sue Supervisor")


@pytest.fixture
def sid(org_a: Organisation) -> User:
    return make_member(org_a, "supervisor", email="sid@alpha.example", name="Sid Supervisor")


@pytest.fixture
def ana(org_a: Organisation) -> User:
    return make_member(org_a, "analyst", email="ana@alpha.example", name="Ana Analyst")


@pytest.fixture
def beth(org_b: Organisation) -> User:
    return make_member(org_b, "supervisor", email="beth@beta.example", name="Beth Supervisor")


@pytest.fixture
def bert(org_b: Organisation) -> User:
    return make_member(org_b, "caseworker", email="bert@beta.example", name="Bert Caseworker")


@pytest.fixture
def shelter(db: None) -> Organisation:
    return Organisation.objects.create(
        name="Haven Shelter", slug="haven", kind=OrganisationKind.SERVICE_PROVIDER
    )


@pytest.fixture
def other_shelter(db: None) -> Organisation:
    return Organisation.objects.create(
        name="Other Shelter", slug="other-shelter", kind=OrganisationKind.SERVICE_PROVIDER
    )


@pytest.fixture
def hana(shelter: Organisation) -> User:
    return make_member(shelter, "caseworker", email="hana@haven.example", name="Hana Shelterworker")


@pytest.fixture
def olga(other_shelter: Organisation) -> User:
    return make_member(other_shelter, "caseworker", email="olga@other.example", name="Olga Other")


@pytest.fixture
def shelter_service(shelter: Organisation) -> Service:
    return Service.objects.create(
        provider=shelter,
        kind=ServiceKind.SHELTER,
        name="Haven emergency beds",
        coverage=",GB,",
        languages=",en,fr,",
        capacity=12,
    )


def register(actor: Actor, **person: Any) -> Case:
    details: dict[str, Any] = {
        "first_name": "Testa",
        "second_name": "Fictionalia",
        "birth_date": date(2012, 5, 1),
        "gender": "Feminine",
    }
    details.update(person)
    return case_register(actor=actor, person=PersonDetails(**details))


@pytest.fixture
def case_a(cara: User, org_a: Organisation) -> Case:
    """A case of org A owned by Cara (team North)."""
    return register(
        actor_of(cara, org_a),
        citizenships=["NG"],
        primary_language="en",
        phone="+447700900123",
        aliases=["Tess"],
    )


def consent_for(
    case: Case, actor: Actor, organisation: Organisation | None, scope: str = ConsentScope.SHARE_ORGANISATION
):
    return consent_record(
        actor=actor,
        case=case,
        given_by=ConsentGiver.CHILD,
        scope=scope,
        organisation=organisation,
        given_on=timezone.localdate() - timedelta(days=1),
    )


def token_client(user: User, organisation: Organisation) -> APIClient:
    """An API client carrying a fresh token of ``user`` acting in ``organisation``."""
    client = APIClient()
    key = api_token_create(actor=actor_of(user, organisation), name="t")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def cast(
    cara: User,
    carl: User,
    sue: User,
    sid: User,
    ana: User,
    bob: User,
    alice: User,
    beth: User,
    bert: User,
    charlie: User,
    org_a: Organisation,
    org_b: Organisation,
) -> dict[str, tuple[User, Organisation]]:
    """Every role of org A and org B's staff, by name, for the API's permission matrices."""
    return {
        "cara": (cara, org_a),
        "carl": (carl, org_a),
        "sue": (sue, org_a),
        "sid": (sid, org_a),
        "ana": (ana, org_a),
        "bob": (bob, org_a),
        "alice": (alice, org_a),
        "beth": (beth, org_b),
        "bert": (bert, org_b),
        "charlie": (charlie, org_b),
    }
