"""Potential matches between children being traced and enquiries from families.

Finding runs inside the organisation only: blocking in the database on the blind phonetic name
keys the case and the enquiry share (``PersonNameKey`` and ``EnquiryNameKey``, one purpose), then
the few candidates are decrypted and scored by ``tracing.matching``. Across organisations
nothing is compared here: names never leave the organisation (see docs/family-tracing.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.models import CaseEventKind
from safeguard.tracing.access import require_request_in_reach
from safeguard.tracing.events import enquiry_event, tracing_event
from safeguard.tracing.matching import THRESHOLD, ChildSide, EnquirySide, MatchScore, score
from safeguard.tracing.models import (
    Enquiry,
    EnquiryState,
    MatchStatus,
    TracingMatch,
    TracingRequest,
    TracingState,
)

# Only this many candidates (those sharing most name keys) are decrypted and scored per search.
MAX_CANDIDATES = 200
SEARCHING = (TracingState.OPEN, TracingState.POTENTIAL_MATCH)


def child_side(request: TracingRequest) -> ChildSide:
    case = request.case
    person = case.person
    places = [person.subdivision, person.country, request.last_known_place, case.recruitment_place]
    return ChildSide(
        names=[person.full_name, *(person.aliases or [])],
        age=person.age_on(timezone.localdate()),
        sex=person.gender,
        places=[code for code in places if code],
        family_names=[request.sought_name, *(request.sought_aliases or [])],
    )


def enquiry_side(enquiry: Enquiry) -> EnquirySide:
    return EnquirySide(
        names=[enquiry.child_name, *(enquiry.child_aliases or [])],
        age=enquiry.age_on(timezone.localdate()),
        sex=enquiry.child_sex,
        place=enquiry.last_known_place,
        enquirer_names=[enquiry.enquirer_name],
    )


def _store(
    request: TracingRequest, enquiry: Enquiry, result: MatchScore, actor: Actor | None
) -> TracingMatch | None:
    """Store a new potential match; a pair already stored (confirmed, rejected or pending) is left as it is."""
    if TracingMatch.objects.filter(request=request, enquiry=enquiry).exists():
        return None
    match = TracingMatch.objects.create(
        request=request, enquiry=enquiry, score=result.value, reasons=result.reasons
    )
    tracing_event(
        request=request,
        kind=CaseEventKind.TRACING_MATCH_FOUND,
        actor=actor,
        detail={"match_id": match.pk, "enquiry_id": enquiry.pk, "score": result.value},
    )
    if request.state == TracingState.OPEN:
        request.state = TracingState.POTENTIAL_MATCH
        request.save(update_fields=["state"])
    return match


def matches_find_for_request(*, request: TracingRequest, actor: Actor | None = None) -> list[TracingMatch]:
    """Store potential matches between the request's child and the organisation's open enquiries.

    A system step of the services that open a request or ask to search again; ``actor`` only
    names who triggered it on the timeline.
    """
    if request.state not in SEARCHING:
        return []
    keys = list(request.case.person.name_keys.values_list("key", flat=True))
    candidates = (
        Enquiry.objects.filter(
            organisation_id=request.case.organisation_id, state=EnquiryState.OPEN, name_keys__key__in=keys
        )
        .exclude(matches__request=request)
        .distinct()[:MAX_CANDIDATES]
    )
    child = child_side(request)
    stored = []
    for enquiry in candidates:
        result = score(child, enquiry_side(enquiry))
        if result.value >= THRESHOLD and (match := _store(request, enquiry, result, actor)) is not None:
            stored.append(match)
    return stored


def matches_find_for_enquiry(*, enquiry: Enquiry, actor: Actor | None = None) -> list[TracingMatch]:
    """Store potential matches between the enquiry and the organisation's children being traced."""
    if enquiry.state != EnquiryState.OPEN:
        return []
    keys = list(enquiry.name_keys.values_list("key", flat=True))
    candidates = (
        TracingRequest.objects.filter(
            case__organisation_id=enquiry.organisation_id,
            state__in=SEARCHING,
            case__person__name_keys__key__in=keys,
        )
        .exclude(matches__enquiry=enquiry)
        .select_related("case__person")
        .distinct()[:MAX_CANDIDATES]
    )
    enquirer = enquiry_side(enquiry)
    stored = []
    for request in candidates:
        result = score(child_side(request), enquirer)
        if result.value >= THRESHOLD and (match := _store(request, enquiry, result, actor)) is not None:
            stored.append(match)
    return stored


@transaction.atomic
def matches_search_again(*, actor: Actor, request: TracingRequest) -> list[TracingMatch]:
    """The case team asks to look again for enquiries about the child (new enquiries, corrected names)."""
    require_request_in_reach(actor, request, "case.edit")
    return matches_find_for_request(request=request, actor=actor)


@transaction.atomic
def match_decide(*, actor: Actor, match: TracingMatch, confirm: bool, note: str = "") -> TracingMatch:
    """The child's case team confirms or rejects a potential match.

    Confirming marks the family as verified on the request and the enquiry as answered;
    rejecting the last pending match of a request sends it back to "open".
    """
    request = match.request
    require_request_in_reach(actor, request, "case.edit")
    if match.status != MatchStatus.PENDING:
        raise ValidationError(_("This match was already decided."))
    if not request.is_active:
        raise ValidationError(_("This tracing request is no longer active."))
    match.status = MatchStatus.CONFIRMED if confirm else MatchStatus.REJECTED
    match.decided_by, match.decided_at, match.decision_note = actor.user, timezone.now(), note.strip()
    match.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    kind = CaseEventKind.TRACING_MATCH_CONFIRMED if confirm else CaseEventKind.TRACING_MATCH_REJECTED
    tracing_event(
        request=request, kind=kind, actor=actor, detail={"match_id": match.pk, "enquiry_id": match.enquiry_id}
    )
    if confirm:
        if request.state in SEARCHING:
            request.state = TracingState.VERIFIED
            request.save(update_fields=["state"])
        enquiry = match.enquiry
        if enquiry.state == EnquiryState.OPEN:
            enquiry.state = EnquiryState.MATCHED
            enquiry.save(update_fields=["state"])
        enquiry_event(enquiry=enquiry, action="matched", actor=actor, detail={"match_id": match.pk})
    elif (
        request.state == TracingState.POTENTIAL_MATCH
        and not request.matches.filter(status=MatchStatus.PENDING).exists()
    ):
        request.state = TracingState.OPEN
        request.save(update_fields=["state"])
    return match
