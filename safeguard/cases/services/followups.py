"""Follow-ups and reintegration milestones."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, CaseStage, FollowUp, Milestone, TaskKind
from safeguard.cases.services.closure import require_open
from safeguard.cases.services.tasks import task_add, tasks_finish


@transaction.atomic
def follow_up_schedule(*, actor: Actor, case: Case, due_on: date, purpose: str) -> FollowUp:
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    follow_up = FollowUp(case=case, due_on=due_on, purpose=purpose, scheduled_by=actor.user)
    follow_up.full_clean()
    follow_up.save()
    task_add(
        case=case,
        kind=TaskKind.FOLLOW_UP,
        title=purpose,
        assignee=case.owner,
        due_on=due_on,
        source_id=follow_up.pk,
    )
    if case.stage == CaseStage.IN_SERVICES:
        case.stage = CaseStage.FOLLOW_UP
        case.save(update_fields=["stage", "updated_at"])
    case_event(
        case=case,
        kind=CaseEventKind.FOLLOW_UP_SCHEDULED,
        actor=actor,
        detail={"follow_up_id": follow_up.pk, "due_on": due_on.isoformat()},
    )
    return follow_up


@transaction.atomic
def follow_up_record(
    *, actor: Actor, follow_up: FollowUp, done_on: date, notes: str, outcome: str = ""
) -> FollowUp:
    require_case_in_reach(actor, follow_up.case, "case.edit")
    if follow_up.done_on is not None:
        raise ValidationError(_("This follow-up has already been recorded."))
    follow_up.done_on, follow_up.notes, follow_up.outcome, follow_up.recorded_by = (
        done_on,
        notes,
        outcome,
        actor.user,
    )
    follow_up.full_clean()
    follow_up.save(update_fields=["done_on", "notes", "outcome", "recorded_by"])
    tasks_finish(follow_up.case, TaskKind.FOLLOW_UP, follow_up.pk)
    case_event(
        case=follow_up.case,
        kind=CaseEventKind.FOLLOW_UP_DONE,
        actor=actor,
        detail={"follow_up_id": follow_up.pk, "outcome": outcome},
    )
    return follow_up


@transaction.atomic
def milestone_record(*, actor: Actor, case: Case, kind: str, reached_on: date, notes: str = "") -> Milestone:
    require_case_in_reach(actor, case, "case.edit")
    milestone = Milestone(case=case, kind=kind, reached_on=reached_on, notes=notes, recorded_by=actor.user)
    milestone.full_clean()
    milestone.save()
    case_event(
        case=case,
        kind=CaseEventKind.MILESTONE,
        actor=actor,
        detail={"milestone_id": milestone.pk, "milestone": kind},
    )
    return milestone


@transaction.atomic
def case_enter_follow_up(*, actor: Actor, case: Case) -> Case:
    """Put an open case in the follow-up stage directly (an HTCDS file's ``FollowUp`` status);
    the timeline records the changed stage."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    if case.stage == CaseStage.FOLLOW_UP:
        return case
    case.stage = CaseStage.FOLLOW_UP
    case.save(update_fields=["stage", "updated_at"])
    case_event(case=case, kind=CaseEventKind.UPDATED, actor=actor, detail={"fields": ["stage"]})
    return case
