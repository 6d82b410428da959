"""Registration → assessment → care plan (approved) → follow-up → milestone → closure → reopen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.cases.models import (
    CaseEvent,
    CaseStage,
    CaseStatus,
    PlanStatus,
    RiskLevel,
    Task,
    TaskKind,
)
from safeguard.cases.services.assessment import assessment_record
from safeguard.cases.services.closure import case_decide_closure, case_reopen, case_request_closure
from safeguard.cases.services.followups import follow_up_record, follow_up_schedule, milestone_record
from safeguard.cases.services.plans import PlanItemInput, care_plan_decide, care_plan_submit
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

RATINGS = {
    "immediate_safety": 3, "medical": 1, "psychological": 2, "legal": 1, "shelter": 3, "education": 2,
    "family_tracing": 0,
}  # fmt: skip


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("kind", flat=True))


def test_registration_assigns_the_assessment_task_and_records_the_event(case_a, cara) -> None:
    task = Task.objects.get(case=case_a)
    assert (task.kind, task.assignee, task.done_at) == (TaskKind.ASSESSMENT, cara, None)
    assert task.due_on == timezone.localdate() + timedelta(days=3)
    assert kinds(case_a) == ["registered"]
    assert case_a.team.name == "North"
    assert AuditEvent.objects.filter(action="case.registered", object_id=str(case_a.pk)).count() == 1


def test_personal_data_is_encrypted_at_rest(case_a) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name, contact FROM cases_person WHERE id = %s", [case_a.person_id])
        first_name, contact = cursor.fetchone()
    assert first_name.startswith("sg1:") and "Testa" not in first_name
    assert contact.startswith("sg1:") and "+4477" not in contact


def test_the_whole_workflow_with_approvals(case_a, cara, sue, sid, org_a) -> None:
    caseworker, supervisor, other_supervisor = (
        actor_of(cara, org_a),
        actor_of(sue, org_a),
        actor_of(sid, org_a),
    )

    assessment_record(actor=caseworker, case=case_a, ratings=RATINGS, notes={"shelter": "No safe place."})
    case_a.refresh_from_db()
    assert (case_a.stage, case_a.risk_level) == (CaseStage.ASSESSED, RiskLevel.HIGH)
    assert list(Task.objects.pending().filter(case=case_a).values_list("kind", flat=True)) == [
        TaskKind.CARE_PLAN
    ]

    due = timezone.localdate() + timedelta(days=10)
    plan = care_plan_submit(
        actor=caseworker,
        case=case_a,
        goals="Safe placement",
        items=[PlanItemInput(need="shelter", action="Find a bed", due_on=due)],
    )
    case_a.refresh_from_db()
    assert case_a.stage == CaseStage.PLAN_SUBMITTED

    with pytest.raises(ValidationError, match="already awaiting approval"):
        care_plan_submit(
            actor=caseworker, case=case_a, goals="Again", items=[PlanItemInput("shelter", "x", due)]
        )
    care_plan_decide(actor=supervisor, plan=plan, approve=True, note="")
    plan.refresh_from_db()
    case_a.refresh_from_db()
    assert (plan.status, plan.decided_by, case_a.stage) == (PlanStatus.APPROVED, sue, CaseStage.IN_SERVICES)
    item_task = Task.objects.get(case=case_a, kind=TaskKind.PLAN_ITEM)
    assert (item_task.due_on, item_task.assignee, item_task.title) == (due, cara, "Shelter: Find a bed")

    follow_up = follow_up_schedule(actor=caseworker, case=case_a, due_on=due, purpose="Visit at shelter")
    case_a.refresh_from_db()
    assert case_a.stage == CaseStage.FOLLOW_UP
    assert case_a.htcds_status == "FollowUp"
    follow_up_record(actor=caseworker, follow_up=follow_up, done_on=timezone.localdate(), notes="Settled")
    assert Task.objects.get(kind=TaskKind.FOLLOW_UP, source_id=follow_up.pk).done_at is not None
    milestone_record(actor=caseworker, case=case_a, kind="school_enrolment", reached_on=timezone.localdate())

    case_request_closure(actor=supervisor, case=case_a, reason_code="reintegrated", reason="Reintegrated")
    with pytest.raises(ValidationError, match="other than the one who asked"):
        case_decide_closure(actor=supervisor, case=case_a, approve=True)
    case_decide_closure(actor=other_supervisor, case=case_a, approve=True)
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.CLOSED
    assert case_a.htcds_status == "Closed"
    assert not Task.objects.pending().filter(case=case_a).exists()

    case_reopen(actor=caseworker, case=case_a, reason="New risk")
    case_a.refresh_from_db()
    assert (case_a.status, case_a.closed_at) == (CaseStatus.OPEN, None)
    assert kinds(case_a) == [
        "registered", "assessed", "plan_submitted", "plan_approved", "follow_up_scheduled", "follow_up_done",
        "milestone", "closure_requested", "closed", "reopened",
    ]  # fmt: skip


def test_a_plan_needs_an_assessment_first(case_a, cara, org_a) -> None:
    with pytest.raises(ValidationError, match="assessment"):
        care_plan_submit(
            actor=actor_of(cara, org_a),
            case=case_a,
            goals="x",
            items=[PlanItemInput("shelter", "x", timezone.localdate())],
        )
    assert not case_a.care_plans.exists()


def test_the_author_cannot_approve_their_own_plan_and_a_caseworker_cannot_approve(
    case_a, cara, sue, org_a
) -> None:
    supervisor = actor_of(sue, org_a)
    assessment_record(actor=supervisor, case=case_a, ratings=RATINGS, notes={})
    plan = care_plan_submit(
        actor=supervisor,
        case=case_a,
        goals="x",
        items=[PlanItemInput("medical", "Check-up", timezone.localdate())],
    )
    with pytest.raises(ValidationError, match="other than its author"):
        care_plan_decide(actor=supervisor, plan=plan, approve=True)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match=r"^case\.approve$"):
        care_plan_decide(actor=actor_of(cara, org_a), plan=plan, approve=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_returned_plan_goes_back_to_the_caseworker(case_a, cara, sue, org_a) -> None:
    caseworker = actor_of(cara, org_a)
    assessment_record(actor=caseworker, case=case_a, ratings=RATINGS, notes={})
    plan = care_plan_submit(
        actor=caseworker,
        case=case_a,
        goals="x",
        items=[PlanItemInput("medical", "Check-up", timezone.localdate())],
    )
    with pytest.raises(ValidationError, match="Say what needs to change"):
        care_plan_decide(actor=actor_of(sue, org_a), plan=plan, approve=False, note="")
    care_plan_decide(actor=actor_of(sue, org_a), plan=plan, approve=False, note="Add school")
    case_a.refresh_from_db()
    assert case_a.stage == CaseStage.ASSESSED
    assert Task.objects.pending().filter(case=case_a, kind=TaskKind.CARE_PLAN).count() == 1


def test_caseworker_home_and_supervisor_overview(case_a, cara, sue, org_a) -> None:
    from safeguard.cases.selectors import caseworker_home, supervisor_overview

    Task.objects.filter(case=case_a).update(due_on=timezone.localdate() - timedelta(days=1))
    home = caseworker_home(actor_of(cara, org_a))
    assert [task.kind for task in home.overdue] == [TaskKind.ASSESSMENT]
    assert (home.due_soon, home.open_cases) == ([], 1)
    case_request_closure(
        actor=actor_of(cara, org_a), case=case_a, reason_code="reintegrated", reason="Reunited"
    )
    overview = supervisor_overview(actor_of(sue, org_a))
    assert [(row.user, row.open_cases, row.overdue_tasks) for row in overview.workload] == [(cara, 1, 1)]
    assert overview.closures == [case_a]


def test_pages_of_the_workflow(case_a, cara, sue, sid, org_a, client_for) -> None:
    client = client_for(cara)
    data = {name: str(value) for name, value in RATINGS.items()}
    assert client.post(f"/cases/{case_a.pk}/assessment/", data).status_code == 302
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        f"/cases/{case_a.pk}/plan/",
        {
            "goals": "Safety", "support_type": "SocialCare", "planned_end": "",
            "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "1", "items-MAX_NUM_FORMS": "1000",
            "items-0-need": "shelter", "items-0-action": "Bed", "items-0-due_on": due,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = case_a.care_plans.get()
    response = client_for(sue).post(f"/cases/plans/{plan.pk}/decide/", {"decision": "approve", "note": ""})
    assert response.status_code == 302
    home = client.get("/cases/home/")
    assert home.status_code == 200
    assert "Shelter: Bed" in home.content.decode()
    page = client.get(f"/cases/{case_a.pk}/")
    assert "Testa Fictionalia" in page.content.decode()
    assert AuditEvent.objects.filter(action="case.viewed", actor=cara, object_id=str(case_a.pk)).count() == 1


def test_completing_a_task_by_hand_is_on_the_timeline_once(case_a, cara, org_a) -> None:
    from safeguard.cases.services.tasks import task_complete

    task = Task.objects.get(case=case_a)
    task_complete(actor=actor_of(cara, org_a), task=task)
    task_complete(actor=actor_of(cara, org_a), task=task)
    assert kinds(case_a) == ["registered", "task_done"]
    assert CaseEvent.objects.get(kind="task_done").detail == {"task_id": task.pk, "task_kind": "assessment"}
    audits = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case_a.pk)).order_by("id")
    assert list(audits.values_list("action", flat=True)) == [
        "case.registered",
        "case.task_done",
    ]
