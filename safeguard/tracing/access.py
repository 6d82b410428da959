"""Fetching tracing records *for a user*.

A tracing request belongs to a child's case, so whoever sees the case (its owner and team, the
organisation's supervisors: ``cases.access``) sees its requests, actions, matches and
reunification. An enquiry is seen by the caseworker who recorded it, their team, the
organisation's supervisors, and the team of a child it was matched with (so they can verify it);
nobody of another organisation ever. Anything outside a user's reach is "not found".
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.cases.access import cases_visible_to, require_case_in_reach
from safeguard.cases.models import Team
from safeguard.core.audit import audit_record
from safeguard.tracing.models import Enquiry, MatchStatus, TracingMatch, TracingRequest


def requests_visible_to(actor: Actor) -> QuerySet[TracingRequest]:
    return TracingRequest.objects.filter(case__in=cases_visible_to(actor))


def request_for(actor: Actor, request_id: int, *, action: str = "case.view") -> TracingRequest:
    """The tracing request if ``actor`` may take ``action`` on its case; otherwise ``Http404``."""
    actor.require(action)
    found = (
        requests_visible_to(actor)
        .select_related("case__person", "case__owner", "opened_by")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404("tracing request")
    return found


def require_request_in_reach(actor: Actor, request: TracingRequest, action: str) -> None:
    """For services: PermissionDenied unless ``actor`` may take ``action`` on the request's case."""
    require_case_in_reach(actor, request.case, action)


def enquiries_visible_to(actor: Actor) -> QuerySet[Enquiry]:
    if actor.organisation is None or not actor.can("case.view"):
        return Enquiry.objects.none()
    enquiries = Enquiry.objects.filter(organisation=actor.organisation)
    if actor.can("case.view_all"):
        return enquiries
    my_teams = Team.objects.filter(organisation=actor.organisation, members=actor.user).values("pk")
    matched = TracingMatch.objects.filter(request__in=requests_visible_to(actor)).exclude(
        status=MatchStatus.REJECTED
    )
    return enquiries.filter(
        Q(owner=actor.user) | Q(team_id__in=my_teams) | Q(pk__in=matched.values("enquiry_id"))
    )


def enquiry_for(actor: Actor, enquiry_id: int, *, action: str = "case.view") -> Enquiry:
    actor.require(action)
    found = enquiries_visible_to(actor).select_related("owner", "team").filter(pk=enquiry_id).first()
    if found is None:
        raise Http404("enquiry")
    return found


def require_enquiry_in_reach(actor: Actor, enquiry: Enquiry, action: str) -> None:
    actor.require(action)
    if not enquiries_visible_to(actor).filter(pk=enquiry.pk).exists():
        raise PermissionDenied("enquiry outside the actor's reach")


def match_for(actor: Actor, match_id: int, *, action: str = "case.edit") -> TracingMatch:
    """A match of a request the actor may take ``action`` on; otherwise ``Http404``."""
    actor.require(action)
    found = (
        TracingMatch.objects.select_related("request__case", "enquiry")
        .filter(pk=match_id, request__in=requests_visible_to(actor))
        .first()
    )
    if found is None:
        raise Http404("match")
    return found


def request_view_for(actor: Actor, request_id: int) -> TracingRequest:
    """The request for reading, with its "viewed" audit event (personal data is shown)."""
    found = request_for(actor, request_id)
    audit_record(action="tracing.request_viewed", actor=actor, target=found)
    return found


def enquiry_view_for(actor: Actor, enquiry_id: int) -> Enquiry:
    """The enquiry for reading, with its "viewed" audit event."""
    found = enquiry_for(actor, enquiry_id)
    audit_record(action="tracing.enquiry_viewed", actor=actor, target=found)
    return found
