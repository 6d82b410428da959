"""Reads of the tracing pages: what a request's page shows, the tracing overview, reason labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import Actor
from safeguard.tracing import matching
from safeguard.tracing.access import enquiries_visible_to, requests_visible_to
from safeguard.tracing.models import (
    Enquiry,
    EnquiryState,
    MatchStatus,
    Reunification,
    TracingMatch,
    TracingRequest,
    TracingState,
)
from safeguard.tracing.services.reunification import assessment_in_force

REASON_LABELS = {
    matching.NAME: _("names alike"),
    matching.NAME_SOUNDS_ALIKE: _("names sound alike"),
    matching.AGE: _("age within %(years)s years"),
    matching.AGE_APART: _("ages far apart"),
    matching.SEX: _("same sex"),
    matching.SAME_REGION: _("same region"),
    matching.SAME_COUNTRY: _("same country"),
    matching.FAMILY_MEMBER: _("the person asking is the family member the child seeks"),
}


ACTIVE = (TracingState.OPEN, TracingState.POTENTIAL_MATCH, TracingState.VERIFIED)


def reason_labels(codes: list[str]) -> list[str]:
    return [str(REASON_LABELS.get(code, code)) % {"years": matching.AGE_TOLERANCE} for code in codes]


@dataclass(frozen=True)
class MatchRow:
    match: TracingMatch
    reasons: list[str]


def _rows(matches: QuerySet[TracingMatch]) -> list[MatchRow]:
    return [MatchRow(match=match, reasons=reason_labels(match.reasons)) for match in matches]


def request_page(request: TracingRequest) -> dict[str, Any]:
    """Everything recorded on a request, in order, with who and when."""
    reunification = Reunification.objects.filter(request=request).select_related("recorded_by").first()
    return {
        "actions": request.actions.select_related("done_by"),
        "matches": _rows(request.matches.select_related("enquiry", "decided_by")),
        "assessments": request.assessments.select_related("decided_by"),
        "assessment": assessment_in_force(request),
        "reunification": reunification,
        "visits": reunification.visits.select_related("visited_by") if reunification else [],
    }


def enquiry_matches(actor: Actor, enquiry: Enquiry) -> list[tuple[MatchRow, bool]]:
    """The enquiry's matches, each with whether the actor may open the child's request."""
    visible = set(requests_visible_to(actor).values_list("pk", flat=True))
    rows = _rows(enquiry.matches.select_related("request__case", "decided_by"))
    return [(row, row.match.request_id in visible) for row in rows]


@dataclass(frozen=True)
class Overview:
    requests: list[TracingRequest]
    enquiries: list[Enquiry]
    pending_matches: int


def tracing_overview(actor: Actor, *, everything: bool = False, limit: int = 200) -> Overview:
    """The requests and enquiries the actor may see (only active ones unless ``everything``),
    newest first, and how many matches wait for their review."""
    requests = requests_visible_to(actor).select_related("case__person", "case__owner")
    enquiries = enquiries_visible_to(actor).select_related("owner")
    if not everything:
        requests = requests.filter(state__in=ACTIVE)
        enquiries = enquiries.filter(state=EnquiryState.OPEN)
    pending = TracingMatch.objects.filter(
        request__in=requests_visible_to(actor), status=MatchStatus.PENDING
    ).count()
    return Overview(
        requests=list(requests[:limit]), enquiries=list(enquiries[:limit]), pending_matches=pending
    )
