"""The cast of the legal tests: the case tests' people (``safeguard.cases.tests.conftest``) plus
an illustrative jurisdiction "GB" with one law, two offences, a reporting duty for teachers and
one for hotlines, and "Lex Legal Aid", a provider whose caseworker Lena represents a child by
an accepted legal-aid referral. "Other Shelter" (Olga) must never see a legal matter.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind
from safeguard.cases.models import Case, Referral
from safeguard.cases.services.referrals import referral_create, referral_respond
from safeguard.cases.tests.conftest import (  # noqa: F401 - fixtures shared with the case tests
    ana,
    bert,
    beth,
    cara,
    carl,
    case_a,
    consent_for,
    olga,
    other_shelter,
    sue,
    team_a,
)
from safeguard.directory.models import Service, ServiceKind
from safeguard.legal.models import (
    Authority,
    AuthorityKind,
    Instrument,
    InstrumentScope,
    InstrumentStatus,
    Jurisdiction,
    Law,
    PartyStatus,
    Provision,
    ProvisionKind,
    ReportingDuty,
)
from safeguard.testing.fixtures import actor_of, make_member


@pytest.fixture
def instrument(db: None) -> Instrument:
    return Instrument.objects.create(
        code="palermo",
        short_name="Palermo Protocol",
        name="Trafficking Protocol",
        scope=InstrumentScope.INTERNATIONAL,
    )


@pytest.fixture
def gb(db: None, instrument: Instrument) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.create(
        code="GB", name="Testland (illustrative)", is_illustrative=True, age_of_majority=18,
        minimum_working_age=15, hazardous_work_age=18, age_of_consent=16, criminal_responsibility_age=12,
        source="test", last_verified=timezone.localdate(),
    )  # fmt: skip
    InstrumentStatus.objects.create(
        jurisdiction=jurisdiction,
        instrument=instrument,
        status=PartyStatus.RATIFIED,
        ratified_on=date(2004, 1, 1),
    )
    return jurisdiction


@pytest.fixture
def law(gb: Jurisdiction) -> Law:
    return Law.objects.create(jurisdiction=gb, title="Test Anti-Trafficking Act", citation="Test Act 1")


@pytest.fixture
def offence(law: Law) -> Provision:
    return Provision.objects.create(
        law=law, article="5", kind=ProvisionKind.OFFENCE, summary="Trafficking (test).",
        penalty_min_years=Decimal(5), penalty_max_years=Decimal(12), exploitation_types=["SexualExploitation"],
    )  # fmt: skip


@pytest.fixture
def labour_offence(law: Law) -> Provision:
    return Provision.objects.create(
        law=law,
        article="8",
        kind=ProvisionKind.OFFENCE,
        summary="Child labour (test).",
        exploitation_types=["ChildLabour"],
    )


@pytest.fixture
def police(gb: Jurisdiction) -> Authority:
    return Authority.objects.create(
        jurisdiction=gb, kind=AuthorityKind.POLICE, name="Test Police", phone="555-0199"
    )


@pytest.fixture
def teacher_duty(gb: Jurisdiction, police: Authority) -> ReportingDuty:
    return ReportingDuty.objects.create(
        jurisdiction=gb, title="Teachers report within 24 hours", professions=["teacher"], organisation_kinds=[],
        what="Suspected trafficking", authority_kind=AuthorityKind.POLICE, authority=police, within_hours=24,
    )  # fmt: skip


@pytest.fixture
def hotline_duty(gb: Jurisdiction) -> ReportingDuty:
    return ReportingDuty.objects.create(
        jurisdiction=gb, title="Hotlines pass reports on within 72 hours", professions=[],
        organisation_kinds=[OrganisationKind.HOTLINE.value], what="Every report",
        authority_kind=AuthorityKind.CHILD_PROTECTION, within_hours=72,
    )  # fmt: skip


@pytest.fixture
def lex(db: None) -> Organisation:
    return Organisation.objects.create(
        name="Lex Legal Aid", slug="lex", kind=OrganisationKind.SERVICE_PROVIDER
    )


@pytest.fixture
def lena(lex: Organisation) -> User:
    return make_member(lex, "caseworker", email="lena@lex.example", name="Lena Lawyer")


@pytest.fixture
def legal_aid_service(lex: Organisation) -> Service:
    return Service.objects.create(
        provider=lex, kind=ServiceKind.LEGAL_AID, name="Lex legal aid", coverage=",GB,"
    )


def refer_to_legal_aid(
    case: Case, caseworker: User, organisation: Organisation, service: Service, lena: User | None
) -> Referral:
    """A legal-aid referral of ``case``, accepted by ``lena`` when she is given."""
    consent_for(case, actor_of(caseworker, organisation), service.provider)
    referral = referral_create(
        actor=actor_of(caseworker, organisation), case=case, service=service, summary="Needs a lawyer (test).",
        respond_by=timezone.localdate() + timedelta(days=2), share_first_name=False,
    )  # fmt: skip
    if lena is not None:
        referral_respond(actor=actor_of(lena, service.provider), referral=referral, accept=True)
    return referral
