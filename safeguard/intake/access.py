"""Fetching intake records *for an actor*: the only way views reach them.

A report is visible to its receiving organisation's operators, supervisors and analysts, and
to organisations it was handed over to (until they decline it); it is changed by its receiving
organisation, and worked on (notes, questions, a case) by an organisation that accepted it. An
escalation is visible to the liaisons of the law-enforcement organisation it was sent to.
Anything else is "not found", so its existence does not leak.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import Role
from safeguard.intake.choices import WORKING_HANDOVERS, HandoverStatus
from safeguard.intake.models import (
    Escalation,
    PartnerChannel,
    Report,
    ReportFlag,
    ReportQuerySet,
    ReportRoute,
    RoutingRule,
    SavedQueueView,
)

# Who may read the reporter's contact details: never analysts.
CONTACT_ROLES = frozenset({Role.OPERATOR.value, Role.SUPERVISOR.value})


def reports_visible_to(actor: Actor) -> ReportQuerySet:
    if actor.organisation is None or not actor.can("report.view"):
        return Report.objects.none()
    return Report.objects.visible_to_organisation(actor.organisation)


def report_for(actor: Actor, report_id: int, *, action: str = "report.view") -> Report:
    """A report the actor may take ``action`` on; changing one needs its receiving organisation."""
    if not actor.can(action):
        raise Http404
    reports = reports_visible_to(actor)
    if action != "report.view":
        reports = reports.filter(organisation=actor.organisation)
    report = (
        reports.select_related("organisation", "assigned_to", "duplicate_of").filter(pk=report_id).first()
    )
    if report is None:
        raise Http404
    return report


def report_to_handle(actor: Actor, report_id: int, *, action: str = "report.triage") -> Report:
    """A report the actor may work on: its own organisation's, or one handed over and accepted."""
    if not actor.can(action) or actor.organisation is None:
        raise Http404
    accepted = ReportRoute.objects.filter(organisation=actor.organisation, status__in=WORKING_HANDOVERS)
    report = (
        reports_visible_to(actor)
        .filter(Q(organisation=actor.organisation) | Q(pk__in=accepted.values("report_id")))
        .select_related("organisation", "assigned_to", "duplicate_of")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_flag_for(actor: Actor, flag_id: int) -> ReportFlag:
    """An open or resolved flag the actor's organisation raised, on a report it still works on."""
    if not actor.can("report.triage") or actor.organisation is None:
        raise Http404
    flag = ReportFlag.objects.filter(pk=flag_id, organisation=actor.organisation).first()
    if flag is None:
        raise Http404
    flag.report = report_to_handle(actor, flag.report_id)
    return flag


def handovers_for(actor: Actor) -> QuerySet[ReportRoute]:
    """Hand-overs the actor's organisation sent (all) or received (until it declined them)."""
    if actor.organisation is None or not actor.can("report.view"):
        return ReportRoute.objects.none()
    received = Q(organisation=actor.organisation) & ~Q(status=HandoverStatus.DECLINED)
    return ReportRoute.objects.filter(received | Q(report__organisation=actor.organisation)).select_related(
        "report", "report__organisation", "organisation"
    )


def incoming_handover_for(actor: Actor, route_id: int) -> ReportRoute:
    """A hand-over to the actor's organisation that it may answer or close; else "not found"."""
    if not actor.can("report.triage"):
        raise Http404
    route = handovers_for(actor).filter(pk=route_id, organisation=actor.organisation).first()
    if route is None:
        raise Http404
    return route


def own_report_by_reference(actor: Actor, reference: str) -> Report | None:
    """A report of the actor's own organisation by its reference (to name the original of a duplicate)."""
    if not actor.can("report.triage") or actor.organisation is None:
        return None
    return reports_visible_to(actor).filter(organisation=actor.organisation, reference=reference).first()


def may_see_contact(actor: Actor, report: Report) -> bool:
    return report.organisation_id == getattr(actor.organisation, "pk", None) and bool(
        actor.roles & CONTACT_ROLES
    )


def escalations_for(actor: Actor) -> QuerySet[Escalation]:
    if actor.organisation is None or not actor.can("escalation.receive"):
        return Escalation.objects.none()
    return Escalation.objects.filter(organisation=actor.organisation).select_related(
        "report", "from_organisation", "escalated_by"
    )


def escalation_for(actor: Actor, escalation_id: int) -> Escalation:
    escalation = escalations_for(actor).filter(pk=escalation_id).first()
    if escalation is None:
        raise Http404
    return escalation


def routing_rule_for(actor: Actor, rule_id: int) -> RoutingRule:
    if not actor.can("routing.manage"):
        raise Http404
    rule = RoutingRule.objects.filter(pk=rule_id, organisation=actor.organisation).first()
    if rule is None:
        raise Http404
    return rule


def partner_channel_for(actor: Actor, channel_id: int) -> PartnerChannel:
    if not actor.can("channel.manage"):
        raise Http404
    channel = PartnerChannel.objects.filter(pk=channel_id, organisation=actor.organisation).first()
    if channel is None:
        raise Http404
    return channel


def require_in_organisation(actor: Actor, action: str, organisation_id: int | None) -> Organisation:
    """A service's own guard: ``actor`` may take ``action`` on a record of ``organisation_id``.

    Returns the actor's organisation; raises ``PermissionDenied`` otherwise. Views and APIs fetch records through the ``*_for``
    functions above first (so a stranger gets "not found"); this check makes sure no other
    caller (a task, a command, a future API) can change another organisation's records.
    """
    actor.require(action)
    if actor.organisation is None or organisation_id != actor.organisation.pk:
        raise PermissionDenied(action)
    return actor.organisation


def queue_views_for(actor: Actor) -> QuerySet[SavedQueueView]:
    """The actor's own saved views of the queue, in their current organisation: a view is private."""
    if actor.organisation is None or not actor.can("report.view"):
        return SavedQueueView.objects.none()
    return SavedQueueView.objects.filter(organisation=actor.organisation, owner=actor.user)


def queue_view_for(actor: Actor, view_id: int) -> SavedQueueView:
    """One of the actor's saved views of the queue; anyone else's is ``Http404``."""
    view = queue_views_for(actor).filter(pk=view_id).first()
    if view is None:
        raise Http404("saved view")
    return view
