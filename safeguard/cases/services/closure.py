"""Closing a case (two people: one asks, another supervisor approves) and reopening it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, CaseStatus, Task
from safeguard.intake.services.handover import handover_case_closed


def require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is not open."))


@transaction.atomic
def case_request_closure(*, actor: Actor, case: Case, reason: str) -> Case:
    require_case_in_reach(actor, case, "case.edit")
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Only an open case can be put forward for closure."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    case.status, case.closure_reason, case.closure_requested_by = (
        CaseStatus.CLOSURE_REQUESTED,
        reason,
        actor.user,
    )
    case.save(update_fields=["status", "closure_reason", "closure_requested_by", "updated_at"])
    case_event(case=case, kind=CaseEventKind.CLOSURE_REQUESTED, actor=actor)
    return case


@transaction.atomic
def case_decide_closure(*, actor: Actor, case: Case, approve: bool, note: str = "") -> Case:
    """A supervisor other than the requester closes the case (its open tasks end) or keeps it open."""
    require_case_in_reach(actor, case, "case.approve")
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(_("No closure of this case is awaiting approval."))
    if case.closure_requested_by_id == actor.user.pk:
        raise ValidationError(_("Closure needs the approval of a supervisor other than the one who asked."))
    if approve:
        case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
        Task.objects.pending().filter(case=case).update(done_at=case.closed_at)
        if case.source_report_id:
            # A case opened from a hand-over: its sender learns it was closed, nothing more.
            handover_case_closed(report_id=case.source_report_id, organisation_id=case.organisation_id)
    else:
        case.status = CaseStatus.OPEN
    case.save(update_fields=["status", "closed_at", "updated_at"])
    kind = CaseEventKind.CLOSED if approve else CaseEventKind.CLOSURE_REJECTED
    case_event(case=case, kind=kind, actor=actor, detail={"note_given": bool(note.strip())})
    return case


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, reason: str) -> Case:
    require_case_in_reach(actor, case, "case.edit")
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the case.")})
    case.status, case.closed_at, case.closure_requested_by = CaseStatus.OPEN, None, None
    case.save(update_fields=["status", "closed_at", "closure_requested_by", "updated_at"])
    case_event(case=case, kind=CaseEventKind.REOPENED, actor=actor)
    return case
