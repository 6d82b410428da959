"""Closing a case (two people: one asks, another supervisor approves) and reopening it."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import (
    Case,
    CaseEventKind,
    CaseStatus,
    ClosureChecklistItem,
    ClosureReason,
    ClosureRequest,
    Task,
)
from safeguard.intake.services.handover import handover_case_closed


def require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is not open."))


def pending_closure(case: Case) -> ClosureRequest | None:
    return case.closure_requests.filter(approved__isnull=True).order_by("-requested_at", "-id").first()


@transaction.atomic
def case_request_closure(
    *,
    actor: Actor,
    case: Case,
    reason_code: str,
    reason: str = "",
    confirmed: Collection[int] = (),
    checklist_required: bool = True,
) -> Case:
    """Put an open case forward for closure with a listed reason (details required for "other"),
    every item of the organisation's closure checklist confirmed (``confirmed`` holds their ids).

    ``checklist_required=False`` is for an HTCDS import, which cannot confirm anything: the request
    then records no confirmation and the approving supervisor sees so."""
    require_case_in_reach(actor, case, "case.edit")
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Only an open case can be put forward for closure."))
    if reason_code not in ClosureReason.values:
        raise ValidationError({"reason_code": _("Choose the reason for closing the case from the list.")})
    if reason_code == ClosureReason.OTHER and not reason.strip():
        raise ValidationError({"reason": _("Say why the case is closed.")})
    items = list(ClosureChecklistItem.objects.filter(organisation_id=case.organisation_id, active=True))
    if checklist_required and any(item.pk not in confirmed for item in items):
        raise ValidationError(_("Confirm every item of the closure checklist."))
    checklist = [item.text for item in items if item.pk in confirmed]
    request = ClosureRequest.objects.create(
        case=case, reason_code=reason_code, details=reason, checklist=checklist, requested_by=actor.user
    )
    case.status, case.closure_reason, case.closure_reason_code, case.closure_requested_by = (
        CaseStatus.CLOSURE_REQUESTED,
        reason,
        reason_code,
        actor.user,
    )
    case.save(
        update_fields=[
            "status",
            "closure_reason",
            "closure_reason_code",
            "closure_requested_by",
            "updated_at",
        ]
    )
    case_event(
        case=case,
        kind=CaseEventKind.CLOSURE_REQUESTED,
        actor=actor,
        detail={"closure_request_id": request.pk, "reason_code": reason_code},
    )
    return case


@transaction.atomic
def case_decide_closure(*, actor: Actor, case: Case, approve: bool, note: str = "") -> Case:
    """A supervisor other than the requester closes the case (its open tasks end) or keeps it open."""
    require_case_in_reach(actor, case, "case.approve")
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(_("No closure of this case is awaiting approval."))
    if case.closure_requested_by_id == actor.user.pk:
        raise ValidationError(_("Closure needs the approval of a supervisor other than the one who asked."))
    request = pending_closure(case)
    if approve:
        case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
        Task.objects.pending().filter(case=case).update(done_at=case.closed_at)
        if case.source_report_id:
            # A case opened from a hand-over: its sender learns it was closed, nothing more.
            handover_case_closed(report_id=case.source_report_id, organisation_id=case.organisation_id)
    else:
        case.status, case.closure_reason_code = CaseStatus.OPEN, ""
    case.save(update_fields=["status", "closed_at", "closure_reason_code", "updated_at"])
    detail: dict[str, object] = {"note_given": bool(note.strip())}
    if request is not None:
        request.approved, request.decided_by, request.decided_at, request.decision_note = (
            approve,
            actor.user,
            timezone.now(),
            note,
        )
        request.save(update_fields=["approved", "decided_by", "decided_at", "decision_note"])
        detail["closure_request_id"] = request.pk
    kind = CaseEventKind.CLOSED if approve else CaseEventKind.CLOSURE_REJECTED
    case_event(case=case, kind=kind, actor=actor, detail=detail)
    return case


@transaction.atomic
def case_reopen(*, actor: Actor, case: Case, reason: str) -> Case:
    require_case_in_reach(actor, case, "case.edit")
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the case.")})
    closed = case.closure_requests.filter(approved=True, reopened_at__isnull=True).last()
    detail: dict[str, object] = {}
    if closed is not None:
        closed.reopened_by, closed.reopened_at, closed.reopen_reason = actor.user, timezone.now(), reason
        closed.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
        detail["closure_request_id"] = closed.pk
    case.status, case.closed_at, case.closure_requested_by, case.closure_reason_code = (
        CaseStatus.OPEN,
        None,
        None,
        "",
    )
    case.save(
        update_fields=["status", "closed_at", "closure_requested_by", "closure_reason_code", "updated_at"]
    )
    case_event(case=case, kind=CaseEventKind.REOPENED, actor=actor, detail=detail)
    return case
