"""Tracing requests of separated children and the tracing actions taken for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.models import Case, CaseEventKind
from safeguard.core.picklists import Gender
from safeguard.tracing.access import require_request_in_reach
from safeguard.tracing.events import tracing_event
from safeguard.tracing.models import (
    ActionResult,
    TracingAction,
    TracingClosureReason,
    TracingRequest,
    TracingState,
)
from safeguard.tracing.services.checks import clean_names, not_in_future, place_code, required_text
from safeguard.tracing.services.matches import matches_find_for_request


@dataclass(frozen=True)
class SoughtPerson:
    """Who the child is looking for, and how they were separated; a description, never a photo."""

    name: str
    relationship: str
    aliases: list[str] = field(default_factory=list)
    age: int | None = None
    sex: str = Gender.NON_SPECIFIED_UNKNOWN
    physical_description: str = ""
    last_known_place: str = ""
    last_known_address: str = ""
    separated_on: date | None = None
    circumstances: str = ""


@transaction.atomic
def tracing_request_open(*, actor: Actor, case: Case, sought: SoughtPerson) -> TracingRequest:
    """Open a tracing request on ``case`` and look at once for enquiries that may be about this child.

    Guarantees: the case is in the actor's reach; the request, its timeline event and any
    potential matches are written together.
    """
    require_case_in_reach(actor, case, "case.edit")
    if not case.is_open:
        raise ValidationError(_("Tracing is opened on an open case only."))
    not_in_future(sought.separated_on, "separated_on")
    request = TracingRequest(
        case=case,
        sought_name=required_text(sought.name, "sought_name", _("Give the name of the person sought.")),
        sought_aliases=clean_names(sought.aliases),
        relationship=sought.relationship,
        sought_age=sought.age,
        sought_sex=sought.sex,
        physical_description=sought.physical_description.strip(),
        last_known_place=place_code(sought.last_known_place, "last_known_place"),
        last_known_address=sought.last_known_address.strip(),
        separated_on=sought.separated_on,
        circumstances=sought.circumstances.strip(),
        opened_by=actor.user,
    )
    request.full_clean()
    request.save()
    tracing_event(request=request, kind=CaseEventKind.TRACING_OPENED, actor=actor)
    matches_find_for_request(request=request, actor=actor)
    return request


@transaction.atomic
def tracing_action_record(
    *, actor: Actor, request: TracingRequest, kind: str, done_on: date, result: str, notes: str = ""
) -> TracingAction:
    """Record one tracing step; a "found" result marks the family as verified."""
    require_request_in_reach(actor, request, "case.edit")
    if not request.is_active:
        raise ValidationError(_("This tracing request is no longer active."))
    not_in_future(done_on, "done_on")
    action = TracingAction(
        request=request, kind=kind, done_on=done_on, done_by=actor.user, result=result, notes=notes.strip()
    )
    action.full_clean()
    action.save()
    tracing_event(
        request=request,
        kind=CaseEventKind.TRACING_ACTION,
        actor=actor,
        detail={"action_id": action.pk, "kind": kind, "result": result},
    )
    if result == ActionResult.FOUND and request.state in (TracingState.OPEN, TracingState.POTENTIAL_MATCH):
        request.state = TracingState.VERIFIED
        request.save(update_fields=["state"])
    return action


@transaction.atomic
def tracing_request_close(
    *, actor: Actor, request: TracingRequest, reason: str, note: str = ""
) -> TracingRequest:
    """Close an active request with a listed reason (a note is required for "other")."""
    require_request_in_reach(actor, request, "case.edit")
    if not request.is_active:
        raise ValidationError(_("This tracing request is no longer active."))
    if reason == TracingClosureReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say why the request is closed.")})
    request.state, request.closure_reason, request.closure_note = TracingState.CLOSED, reason, note.strip()
    request.closed_at = timezone.now()
    request.full_clean()
    request.save(update_fields=["state", "closure_reason", "closure_note", "closed_at"])
    tracing_event(request=request, kind=CaseEventKind.TRACING_CLOSED, actor=actor, detail={"reason": reason})
    return request
