"""Reads: the triage queue, follow-up by receipt, what a report page shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.intake import receipts
from safeguard.intake.access import reports_visible_to
from safeguard.intake.choices import Outcome, Status
from safeguard.intake.labels import level_name, reason_text
from safeguard.intake.models import (
    Notification,
    PartnerChannel,
    Report,
    ReportIdentifier,
    ReportQuerySet,
    RoutingRule,
)


def report_by_receipt(typed: str) -> Report | None:
    """The report a receipt opens, or None; one indexed query and one argon2 verification."""
    parts = receipts.split(typed)
    lookup, secret = parts if parts else ("", "0" * receipts.SECRET_LENGTH)
    report = (
        Report.objects.select_related("duplicate_of").filter(receipt_lookup=lookup).first()
        if lookup
        else None
    )
    if not receipts.verify_secret(report.receipt_hash if report else None, secret):
        return None
    return report


def triage_queue(
    actor: Actor, *, status: str = "open", urgency: int | None = None, mine: bool = False
) -> Any:
    reports = reports_visible_to(actor).select_related("assigned_to", "organisation")
    if status == "open":
        reports = reports.open()
    elif status == "overdue":
        reports = reports.overdue()
    elif status in Status.values:
        reports = reports.filter(status=status)
    if urgency:
        reports = reports.filter(urgency=urgency)
    if mine:
        reports = reports.filter(assigned_to=actor.user)
    return reports.in_queue_order()


def queue_counts(actor: Actor) -> dict[str, Any]:
    reports = reports_visible_to(actor).filter(organisation=actor.organisation).open()
    by_level = dict(reports.order_by().values_list("urgency").annotate(n=Count("id")))
    return {
        "open": sum(by_level.values()),
        "by_level": [(level_name(level), by_level.get(level, 0)) for level in (4, 3, 2, 1)],
        "overdue": reports.overdue().count(),
        "unassigned": reports.filter(assigned_to__isnull=True).count(),
        "mine": reports.filter(assigned_to=actor.user).count(),
    }


def urgency_explanation(report: Report) -> list[dict[str, Any]]:
    """Every reason for the report's level, the rules' and the raises, for the triage view."""
    reasons = [
        {"text": reason_text(reason), "level": level_name(reason["level"]), "source": "rules"}
        for reason in report.urgency_reasons
    ]
    reasons += [
        {
            "text": raised.reason,
            "level": level_name(raised.level),
            "source": "raised",
            "at": raised.created_at,
        }
        for raised in report.urgency_raises.all()
    ]
    return reasons


def assignable_users(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=[Role.OPERATOR, Role.SUPERVISOR],
        )
        .distinct()
        .order_by("name")
    )


def route_destinations(actor: Actor) -> QuerySet[Organisation]:
    """Where the actor's organisation may route reports or send them by rule: any other active one."""
    return Organisation.objects.filter(is_active=True).exclude(pk=getattr(actor.organisation, "pk", None))


def law_enforcement_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True, kind=OrganisationKind.LAW_ENFORCEMENT)


def routing_rules_of(actor: Actor) -> QuerySet[RoutingRule]:
    return RoutingRule.objects.filter(organisation=actor.organisation).prefetch_related("destinations")


def partner_channels_of(actor: Actor) -> QuerySet[PartnerChannel]:
    return PartnerChannel.objects.filter(organisation=actor.organisation)


def notifications_of(user: User) -> list[Notification]:
    """The user's latest hundred notifications, newest first."""
    return list(
        Notification.objects.filter(recipient=user).select_related("report", "escalation", "organisation")[
            :100
        ]
    )


def reports_sharing_identifiers(report: Report, actor: Actor) -> list[dict[str, Any]]:
    """Other reports the actor can see that name one of this report's identifiers."""
    indexes = list(report.identifiers.values_list("kind", "value_index"))
    if not indexes:
        return []
    query = Q()
    for kind, index in indexes:
        query |= Q(kind=kind, value_index=index)
    visible = reports_visible_to(actor).exclude(pk=report.pk)
    rows = (
        ReportIdentifier.objects.filter(query, report__in=visible)
        .values("report_id", "report__reference", "kind")
        .order_by("report_id")
    )
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(
            row["report_id"], {"id": row["report_id"], "reference": row["report__reference"], "kinds": set()}
        )
        entry["kinds"].add(row["kind"])
    return list(found.values())


def unread_notifications(user: User) -> Any:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def report_timeline(report: Report) -> list[Any]:
    from safeguard.core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(object_type="intake.report", object_id=str(report.pk))
        .exclude(action="report.viewed")
        .order_by("at", "id")
    )


def reports_purgeable(*, cutoff: datetime) -> ReportQuerySet:
    """Closed, not actionable, closed before ``cutoff``, and never escalated (escalations are evidence)."""
    return (
        Report.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff)
        .exclude(outcome=Outcome.ACTIONABLE)
        .exclude(escalations__isnull=False)
        .exclude(Q(duplicates__isnull=False) & ~Q(duplicates__status=Status.CLOSED))
    )


def now() -> Any:
    return timezone.now()
