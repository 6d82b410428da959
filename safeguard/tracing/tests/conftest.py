"""The tracing tests reuse the cast of the case tests (Cara in team North, Carl in no team,
supervisors Sue and Sid of org A; Bert and Beth of org B) and add a child being traced."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.accounts.models import Organisation, User
from safeguard.cases.models import Case
from safeguard.cases.tests import conftest as case_cast
from safeguard.testing.fixtures import actor_of
from safeguard.tracing.models import Enquiry, TracingRequest
from safeguard.tracing.services.enquiries import EnquiryDetails, enquiry_record
from safeguard.tracing.services.requests import SoughtPerson, tracing_request_open

# The cast of the case tests, as fixtures here too.
team_a, cara, carl, sue, sid, ana = (
    case_cast.team_a,
    case_cast.cara,
    case_cast.carl,
    case_cast.sue,
    case_cast.sid,
    case_cast.ana,
)
bert, beth = case_cast.bert, case_cast.beth
register = case_cast.register

BIRTH = date(2014, 3, 10)


@pytest.fixture
def child_case(cara: User, org_a: Organisation) -> Case:
    """A separated girl of about 12, from Kano (NG-KN), owned by Cara (team North)."""
    return register(
        actor_of(cara, org_a),
        first_name="Amina",
        second_name="Yusuf",
        birth_date=BIRTH,
        gender="Feminine",
        aliases=["Mina"],
        country="NG",
        subdivision="NG-KN",
    )


def sought(**changes: object) -> SoughtPerson:
    values: dict[str, object] = {
        "name": "Hauwa Yusuf",
        "relationship": "mother",
        "age": 38,
        "sex": "Feminine",
        "physical_description": "Tall, a scar above the left eyebrow (fictional).",
        "last_known_place": "NG-KN",
        "last_known_address": "Near the old market (fictional)",
        "separated_on": date(2024, 6, 1),
        "circumstances": "Separated at a bus station (fictional).",
    }
    values.update(changes)
    return SoughtPerson(**values)  # type: ignore[arg-type]


def details(**changes: object) -> EnquiryDetails:
    values: dict[str, object] = {
        "enquirer_name": "Hauwa Yusuf",
        "enquirer_relationship": "mother",
        "enquirer_contact": "+234 800 000 0000 (fictional)",
        "child_name": "Aminah Yousuf",
        "child_age": 12,
        "child_sex": "Feminine",
        "physical_description": "Small, a gap in her front teeth (fictional).",
        "last_known_place": "NG-KN",
    }
    values.update(changes)
    return EnquiryDetails(**values)  # type: ignore[arg-type]


@pytest.fixture
def tracing_request(child_case: Case, cara: User, org_a: Organisation) -> TracingRequest:
    return tracing_request_open(actor=actor_of(cara, org_a), case=child_case, sought=sought())


@pytest.fixture
def enquiry(carl: User, org_a: Organisation) -> Enquiry:
    """An enquiry recorded by Carl (no team) from the child's mother."""
    return enquiry_record(actor=actor_of(carl, org_a), details=details())
