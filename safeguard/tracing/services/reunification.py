"""The best-interest assessment, the reunification it allows, and the visits after it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.models import CaseEventKind
from safeguard.tracing.access import require_request_in_reach
from safeguard.tracing.events import tracing_event
from safeguard.tracing.models import (
    BestInterestAssessment,
    BestInterestDecision,
    Reunification,
    ReunificationVisit,
    TracingRequest,
    TracingState,
)
from safeguard.tracing.services.checks import not_in_future, place_code, required_text


@transaction.atomic
def best_interest_record(
    *,
    actor: Actor,
    request: TracingRequest,
    considerations: str,
    decision: str,
    decided_on: date,
    participants: str = "",
    child_views: str = "",
) -> BestInterestAssessment:
    """A supervisor records the best-interest assessment; the latest one decides whether the
    child may be reunified."""
    require_request_in_reach(actor, request, "case.approve")
    if not request.is_active:
        raise ValidationError(_("This tracing request is no longer active."))
    not_in_future(decided_on, "decided_on")
    assessment = BestInterestAssessment(
        request=request,
        participants=participants.strip(),
        considerations=required_text(
            considerations, "considerations", _("Write what was considered for the child.")
        ),
        child_views=child_views.strip(),
        decision=decision,
        decided_on=decided_on,
        decided_by=actor.user,
    )
    assessment.full_clean()
    assessment.save()
    tracing_event(
        request=request,
        kind=CaseEventKind.TRACING_ASSESSED,
        actor=actor,
        detail={"assessment_id": assessment.pk, "decision": decision},
    )
    return assessment


def assessment_in_force(request: TracingRequest) -> BestInterestAssessment | None:
    """The latest best-interest assessment of the request (by decision date, then recording)."""
    return request.assessments.order_by("-decided_on", "-recorded_at", "-id").first()


@transaction.atomic
def reunification_record(
    *,
    actor: Actor,
    request: TracingRequest,
    reunified_on: date,
    with_whom: str,
    relationship: str,
    place: str = "",
    address: str = "",
    notes: str = "",
) -> Reunification:
    """Record the child's reunification.

    Refused unless the family was verified and the best-interest assessment in force decided
    for reunification, on or before the day of reunification.
    """
    require_request_in_reach(actor, request, "case.edit")
    if request.state != TracingState.VERIFIED:
        raise ValidationError(_("The family must be found and verified before a reunification."))
    assessment = assessment_in_force(request)
    if assessment is None or assessment.decision != BestInterestDecision.REUNIFY:
        raise ValidationError(
            _(
                "A best-interest assessment that decides for reunification is needed before the child is reunified."
            )
        )
    not_in_future(reunified_on, "reunified_on")
    if reunified_on < assessment.decided_on:
        raise ValidationError(
            {"reunified_on": _("The reunification cannot be before the best-interest assessment.")}
        )
    reunification = Reunification(
        request=request,
        assessment=assessment,
        reunified_on=reunified_on,
        place=place_code(place, "place"),
        address=address.strip(),
        with_whom=required_text(with_whom, "with_whom", _("Say with whom the child was reunified.")),
        relationship=relationship,
        notes=notes.strip(),
        recorded_by=actor.user,
    )
    reunification.full_clean()
    reunification.save()
    request.state = TracingState.REUNIFIED
    request.save(update_fields=["state"])
    tracing_event(
        request=request,
        kind=CaseEventKind.REUNIFIED,
        actor=actor,
        detail={"reunification_id": reunification.pk, "assessment_id": assessment.pk},
    )
    return reunification


@transaction.atomic
def reunification_visit_record(
    *, actor: Actor, reunification: Reunification, visited_on: date, outcome: str, notes: str = ""
) -> ReunificationVisit:
    """A follow-up visit to the reunified child."""
    request = reunification.request
    require_request_in_reach(actor, request, "case.edit")
    not_in_future(visited_on, "visited_on")
    if visited_on < reunification.reunified_on:
        raise ValidationError({"visited_on": _("A follow-up visit comes after the reunification.")})
    visit = ReunificationVisit(
        reunification=reunification,
        visited_on=visited_on,
        outcome=outcome,
        notes=notes.strip(),
        visited_by=actor.user,
    )
    visit.full_clean()
    visit.save()
    tracing_event(
        request=request,
        kind=CaseEventKind.REUNIFICATION_VISIT,
        actor=actor,
        detail={"visit_id": visit.pk, "outcome": outcome},
    )
    return visit
