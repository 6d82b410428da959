"""Every write service guards itself: called with a wrong role, or by a user of another
organisation, it raises PermissionDenied and writes nothing (no row, no CaseEvent, no audit event).

Views and the API fetch through ``cases.access`` first; these tests call the services directly,
as a task, a command or a careless caller would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.cases import htcds
from safeguard.cases.models import (
    ASSESSMENT_DOMAINS,
    Assessment,
    CarePlan,
    Case,
    CaseEvent,
    Consent,
    ConsentScope,
    FollowUp,
    Milestone,
    Perpetrator,
    Person,
    Referral,
    ServiceRecord,
    Task,
    Team,
    Transfer,
)
from safeguard.cases.services.assessment import assessment_record
from safeguard.cases.services.closure import case_decide_closure, case_reopen, case_request_closure
from safeguard.cases.services.consents import consent_record, consent_withdraw
from safeguard.cases.services.followups import (
    case_enter_follow_up,
    follow_up_record,
    follow_up_schedule,
    milestone_record,
)
from safeguard.cases.services.merge import case_merge
from safeguard.cases.services.perpetrators import perpetrator_add
from safeguard.cases.services.person import case_update_context, person_update
from safeguard.cases.services.plans import PlanItemInput, care_plan_decide, care_plan_submit
from safeguard.cases.services.referrals import (
    referral_complete,
    referral_create,
    referral_respond,
    service_record_add,
)
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.cases.services.tasks import task_complete
from safeguard.cases.services.teams import team_create, team_set_members
from safeguard.cases.services.transfers import transfer_request, transfer_respond
from safeguard.cases.tests.conftest import consent_for, register
from safeguard.core.models import AuditEvent
from safeguard.directory.models import Service
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

RATINGS = {name: 1 for name, _label in ASSESSMENT_DOMAINS}
ROWS = (
    Person, Case, CaseEvent, AuditEvent, Assessment, CarePlan, Consent, FollowUp, Milestone, Perpetrator,
    Referral, ServiceRecord, Task, Team, Transfer,
)  # fmt: skip


@dataclass
class World:
    case: Case
    closing: Case
    duplicate: Case
    plan: CarePlan
    consent: Consent
    follow_up: FollowUp
    task: Task
    referral: Referral
    transfer: Transfer
    team: Team
    service: Service
    other_organisation: Organisation


@pytest.fixture
def world(
    case_a: Case,
    cara: User,
    sue: User,
    sid: User,
    org_a: Organisation,
    team_a: Team,
    shelter_service: Service,
    other_shelter: Organisation,
    hana: User,
) -> World:
    today = timezone.localdate()
    caseworker, supervisor = actor_of(cara, org_a), actor_of(sue, org_a)
    assessment_record(actor=caseworker, case=case_a, ratings=RATINGS, notes={})
    plan = care_plan_submit(
        actor=caseworker,
        case=case_a,
        goals="Safe housing",
        items=[PlanItemInput(need="shelter", action="Bed", due_on=today + timedelta(days=7))],
    )
    referral = referral_create(
        actor=supervisor,
        case=case_a,
        service=shelter_service,
        summary="Needs a bed",
        respond_by=today + timedelta(days=3),
        override_reason="Urgent",
    )
    referral_respond(actor=actor_of(hana, shelter_service.provider), referral=referral, accept=True)
    closing = register(caseworker, first_name="Closa")
    case_request_closure(
        actor=actor_of(sid, org_a), case=closing, reason_code="reintegrated", reason="Reunited"
    )
    transfer_case = register(caseworker, first_name="Trana")
    transfer = transfer_request(
        actor=supervisor,
        case=transfer_case,
        to_organisation=other_shelter,
        reason="Moves",
        override_reason="x",
    )
    return World(
        case=case_a,
        closing=closing,
        duplicate=register(caseworker, first_name="Tessa"),
        plan=plan,
        consent=consent_for(case_a, caseworker, None, scope=ConsentScope.SERVICES),
        follow_up=follow_up_schedule(actor=caseworker, case=case_a, due_on=today, purpose="Visit"),
        task=Task.objects.pending().filter(case=case_a).order_by("id")[0],
        referral=referral,
        transfer=transfer,
        team=team_a,
        service=shelter_service,
        other_organisation=other_shelter,
    )


TODAY = timezone.localdate
Call = Callable[[Actor, World], Any]
# service → (the call, who must be refused: "ana" is a wrong role in org A, "beth" a supervisor of org B)
CALLS: dict[str, tuple[Call, tuple[str, ...]]] = {
    "case_register": (lambda a, w: case_register(actor=a, person=PersonDetails(first_name="New")), ("ana",)),
    "case_update_context": (lambda a, w: case_update_context(actor=a, case=w.case, risk_level="high"), ("ana", "beth")),
    "person_update": (lambda a, w: person_update(actor=a, case=w.case, person=PersonDetails(first_name="X")), ("ana", "beth")),
    "perpetrator_add": (lambda a, w: perpetrator_add(actor=a, case=w.case, name="V", identifiers=[], roles=[]), ("ana", "beth")),
    "assessment_record": (lambda a, w: assessment_record(actor=a, case=w.case, ratings=RATINGS, notes={}), ("ana", "beth")),
    "care_plan_submit": (lambda a, w: care_plan_submit(actor=a, case=w.case, goals="G", items=[PlanItemInput(need="shelter", action="A", due_on=TODAY())]), ("ana", "beth")),
    "care_plan_decide": (lambda a, w: care_plan_decide(actor=a, plan=w.plan, approve=True), ("ana", "beth")),
    "consent_record": (lambda a, w: consent_record(actor=a, case=w.case, given_by="child", scope="services", given_on=TODAY()), ("ana", "beth")),
    "consent_withdraw": (lambda a, w: consent_withdraw(actor=a, consent=w.consent), ("ana", "beth")),
    "referral_create": (lambda a, w: referral_create(actor=a, case=w.case, service=w.service, summary="S", respond_by=TODAY(), override_reason="O"), ("ana", "beth")),
    "referral_respond": (lambda a, w: referral_respond(actor=a, referral=w.referral, accept=False, reason="No"), ("ana", "beth")),
    "service_record_add": (lambda a, w: service_record_add(actor=a, referral=w.referral, delivered_on=TODAY(), note="N"), ("ana", "beth")),
    "referral_complete": (lambda a, w: referral_complete(actor=a, referral=w.referral), ("ana", "beth")),
    "follow_up_schedule": (lambda a, w: follow_up_schedule(actor=a, case=w.case, due_on=TODAY(), purpose="P"), ("ana", "beth")),
    "follow_up_record": (lambda a, w: follow_up_record(actor=a, follow_up=w.follow_up, done_on=TODAY(), notes=""), ("ana", "beth")),
    "milestone_record": (lambda a, w: milestone_record(actor=a, case=w.case, kind="safe_placement", reached_on=TODAY()), ("ana", "beth")),
    "case_enter_follow_up": (lambda a, w: case_enter_follow_up(actor=a, case=w.case), ("ana", "beth")),
    "case_request_closure": (lambda a, w: case_request_closure(actor=a, case=w.case, reason_code="reintegrated", reason="R"), ("ana", "beth")),
    "case_decide_closure": (lambda a, w: case_decide_closure(actor=a, case=w.closing, approve=True), ("ana", "beth")),
    "case_reopen": (lambda a, w: case_reopen(actor=a, case=w.case, reason="R"), ("ana", "beth")),
    "transfer_request": (lambda a, w: transfer_request(actor=a, case=w.case, to_organisation=w.other_organisation, reason="R", override_reason="O"), ("ana", "beth")),
    "transfer_respond": (lambda a, w: transfer_respond(actor=a, transfer=w.transfer, accept=True), ("ana", "beth")),
    "case_merge": (lambda a, w: case_merge(actor=a, primary=w.case, duplicate=w.duplicate, reason="R"), ("ana", "beth")),
    "task_complete": (lambda a, w: task_complete(actor=a, task=w.task), ("ana", "beth")),
    "team_create": (lambda a, w: team_create(actor=a, name="South"), ("ana",)),
    "team_set_members": (lambda a, w: team_set_members(actor=a, team=w.team, members=[]), ("ana", "beth")),
    "import_rows": (lambda a, w: htcds.import_rows(actor=a, report=htcds.validate_rows([{"prs_FirstName": "Imp"}]), import_valid_rows=True), ("ana", "cara")),
}  # fmt: skip
DENIALS = [(name, who) for name, (_call, refused) in CALLS.items() for who in refused]


def snapshot(world: World) -> dict[str, Any]:
    """Row counts of every table a case service writes, and the state of the objects it changes."""
    counts: dict[str, Any] = {model.__name__: model.objects.count() for model in ROWS}
    counts["cases"] = list(
        Case.objects.order_by("pk").values_list("pk", "status", "stage", "risk_level", "updated_at")
    )
    counts["tasks"] = list(Task.objects.order_by("pk").values_list("pk", "done_at", "case_id"))
    counts["consents"] = list(Consent.objects.order_by("pk").values_list("pk", "withdrawn_at"))
    counts["plans"] = list(CarePlan.objects.order_by("pk").values_list("pk", "status"))
    counts["referrals"] = list(Referral.objects.order_by("pk").values_list("pk", "status"))
    counts["transfers"] = list(Transfer.objects.order_by("pk").values_list("pk", "status"))
    counts["follow_ups"] = list(FollowUp.objects.order_by("pk").values_list("pk", "done_on"))
    counts["members"] = sorted(world.team.members.values_list("pk", flat=True))
    counts["person"] = Person.objects.get(pk=world.case.person_id).first_name
    return counts  # fmt: skip


@pytest.mark.parametrize(("service", "who"), DENIALS)
def test_a_service_refuses_a_wrong_role_or_another_organisation_and_writes_nothing(
    service: str,
    who: str,
    world: World,
    ana: User,
    beth: User,
    cara: User,
    org_a: Organisation,
    org_b: Organisation,
) -> None:
    actor = {"ana": actor_of(ana, org_a), "beth": actor_of(beth, org_b), "cara": actor_of(cara, org_a)}[who]
    call, _refused = CALLS[service]
    before = snapshot(world)
    with pytest.raises(PermissionDenied):
        call(actor, world)
    assert snapshot(world) == before


@pytest.mark.parametrize(
    "service", ["case_update_context", "consent_withdraw", "follow_up_record", "task_complete"]
)
def test_a_caseworker_outside_the_team_is_refused_too(
    service: str, world: World, carl: User, org_a: Organisation
) -> None:
    before = snapshot(world)
    with pytest.raises(PermissionDenied, match="case outside the actor's reach"):
        CALLS[service][0](actor_of(carl, org_a), world)
    assert snapshot(world) == before
