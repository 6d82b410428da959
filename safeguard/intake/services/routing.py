"""Sharing reports with other organisations: routing rules and routing by hand."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.core.audit import audit_record
from safeguard.intake.access import require_in_organisation
from safeguard.intake.choices import HandoverStatus, NotificationKind, Status, Urgency
from safeguard.intake.events import report_event
from safeguard.intake.models import Report, ReportEventKind, ReportRoute, RoutingRule
from safeguard.intake.services.notices import notify_after_commit
from safeguard.intake.services.workflow import mark_triaged, record_triage_start, status_move


def routing_apply(report: Report, *, new: bool = False) -> list[int]:
    """Route the report by its organisation's active rules; returns newly added destinations.

    Part of receiving a report and of raising its urgency (no actor: the rules act). Each
    route is a ``routed`` event, except on a ``new`` report, whose ``received`` event names them.
    """
    if report.organisation_id is None:
        return []
    rules = RoutingRule.objects.filter(
        organisation_id=report.organisation_id, is_active=True
    ).prefetch_related("destinations")
    added: list[int] = []
    existing = set() if new else set(report.routes.values_list("organisation_id", flat=True))
    for rule in rules:
        if not rule.matches(report):
            continue
        for destination in rule.destinations.all():
            if (
                destination.pk == report.organisation_id
                or destination.pk in existing
                or not destination.is_active
            ):
                continue
            ReportRoute.objects.create(report=report, organisation=destination, rule=rule)
            existing.add(destination.pk)
            added.append(destination.pk)
            audit_record(
                action="report.routed",
                organisation=report.organisation,
                target=report,
                detail={"to_organisation": destination.pk, "rule": rule.pk},
            )
            if not new:
                report_event(
                    report=report,
                    kind=ReportEventKind.ROUTED,
                    actor=None,
                    detail={"to_organisation": destination.pk, "rule": rule.pk},
                )
    return added


@transaction.atomic
def report_route(*, report: Report, organisation: Organisation, actor: Actor) -> ReportRoute:
    """Hand a report over to another organisation by hand: offered to it, it becomes its work.

    A hand-over it declined before may be offered again.
    Needs ``report.triage`` in the report's receiving organisation.
    """
    require_in_organisation(actor, "report.triage", report.organisation_id)
    if organisation.pk == report.organisation_id:
        raise ValidationError({"organisation": _("The report already belongs to this organisation.")})
    route = report.routes.filter(organisation=organisation).first()
    if route is not None and route.status != HandoverStatus.DECLINED:
        raise ValidationError({"organisation": _("The report was already routed to this organisation.")})
    if route is None:
        route = ReportRoute.objects.create(report=report, organisation=organisation, routed_by=actor.user)
    else:
        # Offered again after a decline: a new hand-over on the same route, its history kept in the timeline.
        route.status, route.routed_by, route.decline_reason = HandoverStatus.OFFERED, actor.user, ""
        route.responded_by, route.responded_at = None, None
        route.save(update_fields=["status", "routed_by", "decline_reason", "responded_by", "responded_at"])
    fields = ["updated_at"]
    before = report.status
    if report.status in {Status.NEW, Status.IN_TRIAGE, Status.NEEDS_INFORMATION}:
        report.status = Status.REFERRED
        fields.append("status")
    started = mark_triaged(report, fields)
    report.save(update_fields=fields)
    record_triage_start(report, actor, started)
    report_event(
        report=report,
        kind=ReportEventKind.ROUTED,
        actor=actor,
        detail={"to_organisation": organisation.pk, "rule": None, **status_move(before, report)},
    )
    audit_record(
        action="report.routed",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"to_organisation": organisation.pk, "rule": None},
    )
    notify_after_commit(
        report, NotificationKind.ROUTED, [organisation.pk], email=report.urgency == Urgency.CRITICAL
    )
    return route


@transaction.atomic
def routing_rule_save(*, rule: RoutingRule, destinations: list[Organisation], actor: Actor) -> RoutingRule:
    """Create or change one of the actor's organisation's routing rules (``routing.manage``)."""
    actor.require("routing.manage")
    if actor.organisation is None or (rule.pk is not None and rule.organisation_id != actor.organisation.pk):
        raise PermissionDenied("routing.manage")
    created = rule.pk is None
    rule.organisation = actor.organisation
    if not destinations:
        raise ValidationError({"destinations": _("Choose at least one organisation to send reports to.")})
    if any(destination.pk == rule.organisation_id for destination in destinations):
        raise ValidationError(
            {"destinations": _("Reports already belong to your organisation; choose others.")}
        )
    rule.full_clean()
    rule.save()
    rule.destinations.set(destinations)
    audit_record(
        action="routing_rule.created" if created else "routing_rule.changed",
        actor=actor.user,
        organisation=actor.organisation,
        target=rule,
        detail={"destinations": sorted(destination.pk for destination in destinations)},
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, actor: Actor) -> None:
    """Delete one of the actor's organisation's routing rules (``routing.manage``)."""
    require_in_organisation(actor, "routing.manage", rule.organisation_id)
    audit_record(
        action="routing_rule.deleted", actor=actor.user, organisation=actor.organisation, target=rule
    )
    rule.delete()
