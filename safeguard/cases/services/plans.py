"""Care plans: a caseworker submits, another supervisor approves (its actions become tasks) or returns it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import User
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import (
    CarePlan,
    CarePlanItem,
    Case,
    CaseEventKind,
    CaseStage,
    PlanStatus,
    TaskKind,
)
from safeguard.cases.services.closure import require_open
from safeguard.cases.services.registration import ASSESSMENT_DUE_DAYS
from safeguard.cases.services.tasks import task_add, tasks_finish

CARE_PLAN_DUE_DAYS = 7


@dataclass
class PlanItemInput:
    need: str
    action: str
    due_on: date
    responsible: User | None = None


@transaction.atomic
def care_plan_submit(
    *,
    actor: Actor,
    case: Case,
    goals: str,
    items: list[PlanItemInput],
    support_type: str = "",
    planned_end: date | None = None,
) -> CarePlan:
    """Submit a care plan for a supervisor's approval; it needs an assessment and at least one action."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    if not case.assessments.exists():
        raise ValidationError(_("Record the initial assessment before the care plan."))
    if case.care_plans.filter(status=PlanStatus.SUBMITTED).exists():
        raise ValidationError(_("A care plan of this case is already awaiting approval."))
    if not items:
        raise ValidationError({"items": _("Add at least one action to the plan.")})
    plan = CarePlan(
        case=case, goals=goals, support_type=support_type, planned_end=planned_end, submitted_by=actor.user
    )
    plan.full_clean()
    plan.save()
    for item in items:
        row = CarePlanItem(
            plan=plan, need=item.need, action=item.action, due_on=item.due_on, responsible=item.responsible
        )
        row.full_clean()
        row.save()
    case.stage = CaseStage.PLAN_SUBMITTED
    case.save(update_fields=["stage", "updated_at"])
    tasks_finish(case, TaskKind.CARE_PLAN)
    case_event(case=case, kind=CaseEventKind.PLAN_SUBMITTED, actor=actor, detail={"plan_id": plan.pk})
    return plan


@transaction.atomic
def care_plan_decide(*, actor: Actor, plan: CarePlan, approve: bool, note: str = "") -> CarePlan:
    """A supervisor other than its author approves the plan (its actions become tasks) or returns it."""
    require_case_in_reach(actor, plan.case, "case.approve")
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("This care plan has already been decided."))
    if plan.submitted_by_id == actor.user.pk:
        raise ValidationError(_("A care plan needs the approval of a supervisor other than its author."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say what needs to change.")})
    case = plan.case
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    plan.decided_by, plan.decided_at, plan.decision_note = actor.user, timezone.now(), note
    plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        case.stage = CaseStage.IN_SERVICES
        for item in plan.items.all():
            task_add(
                case=case,
                kind=TaskKind.PLAN_ITEM,
                title=f"{item.get_need_display()}: {item.action}"[:300],
                assignee=item.responsible or case.owner,
                due_on=item.due_on,
                source_id=item.pk,
            )
    else:
        case.stage = CaseStage.ASSESSED
        task_add(
            case=case,
            kind=TaskKind.CARE_PLAN,
            title=_("Revise the care plan for %(reference)s") % {"reference": case.reference},
            assignee=case.owner,
            due_on=timezone.localdate() + timedelta(days=ASSESSMENT_DUE_DAYS),
        )
    case.save(update_fields=["stage", "updated_at"])
    kind = CaseEventKind.PLAN_APPROVED if approve else CaseEventKind.PLAN_REJECTED
    case_event(case=case, kind=kind, actor=actor, detail={"plan_id": plan.pk})
    return plan
