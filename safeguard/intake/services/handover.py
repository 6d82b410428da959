"""Hand-overs of routed reports: the receiving organisation accepts or declines, then the outcome.

One hand-over model (offered → accepted or declined → outcome), the words referrals, transfers
and escalations already use. Every step is a ``ReportEvent`` on the report's one timeline (the
receiving organisation is the event's organisation), an audit event in the acting
organisation's log, and a notification to the other side. The sending organisation learns the
steps and the outcome, never the receiving organisation's case, people or notes: no detail
here holds a case id, a name or free text (the decline reason is stored encrypted on the route).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.intake.choices import (
    WORKING_HANDOVERS,
    HandoverOutcome,
    HandoverStatus,
    NotificationKind,
    Status,
)
from safeguard.intake.events import report_event
from safeguard.intake.models import HandoverSettings, Report, ReportEventKind, ReportRoute
from safeguard.intake.services.notices import notify_after_commit
from safeguard.intake.services.workflow import clean_text, status_move


def require_receiver(actor: Actor, route: ReportRoute, action: str = "report.triage") -> None:
    """The actor takes ``action`` for the organisation the report was handed to, nobody else."""
    actor.require(action)
    if actor.organisation is None or route.organisation_id != actor.organisation.pk:
        raise PermissionDenied(action)


def working_route(actor: Actor, report: Report) -> ReportRoute | None:
    """The actor's organisation's accepted hand-over of ``report``, if it has one."""
    if actor.organisation is None:
        return None
    return report.routes.filter(organisation=actor.organisation, status__in=WORKING_HANDOVERS).first()


def require_handler(actor: Actor, action: str, report: Report) -> bool:
    """A service's guard for work on a report: its own organisation, or one that accepted it.

    Returns True when the actor works on it as the receiving organisation of a hand-over.
    """
    actor.require(action)
    if actor.organisation is not None and report.organisation_id == actor.organisation.pk:
        return False
    if working_route(actor, report) is None:
        raise PermissionDenied(action)
    return True


def _record(
    route: ReportRoute, kind: ReportEventKind, actor: Actor | None, action: str, **detail: str
) -> None:
    report_event(
        report=route.report,
        kind=kind,
        actor=actor,
        detail={"route": route.pk, "to_organisation": route.organisation_id, **detail},
        organisation_id=route.organisation_id,
    )
    audit_record(
        action=action,
        actor=actor.user if actor else None,
        organisation=route.organisation,
        target=route.report,
        detail={"route": route.pk, "from_organisation": route.report.organisation_id, **detail},
    )


def _tell_sender(route: ReportRoute, kind: NotificationKind) -> None:
    if route.report.organisation_id:
        notify_after_commit(route.report, kind, [route.report.organisation_id])


@transaction.atomic
def handover_accept(*, route: ReportRoute, actor: Actor) -> ReportRoute:
    """The receiving organisation takes the report on: it may now triage it and open a case."""
    require_receiver(actor, route)
    if route.status != HandoverStatus.OFFERED:
        raise ValidationError(_("This hand-over has already been answered."))
    route.status, route.responded_by, route.responded_at = HandoverStatus.ACCEPTED, actor.user, timezone.now()
    route.save(update_fields=["status", "responded_by", "responded_at"])
    _record(route, ReportEventKind.HANDOVER_ACCEPTED, actor, "handover.accepted")
    _tell_sender(route, NotificationKind.HANDOVER_ACCEPTED)
    return route


@transaction.atomic
def handover_decline(*, route: ReportRoute, reason: str, actor: Actor) -> ReportRoute:
    """The receiving organisation returns the report to its sender, saying why (required).

    Allowed until a case is opened. The receiver loses sight of the report; a sender's report
    that was waiting only on this hand-over goes back to triage.
    """
    require_receiver(actor, route)
    if route.status not in {HandoverStatus.OFFERED, HandoverStatus.ACCEPTED}:
        raise ValidationError(_("Only an offered or accepted hand-over without a case can be declined."))
    reason = clean_text(reason, "reason") if reason.strip() else ""
    if not reason:
        raise ValidationError({"reason": _("Say why you decline the hand-over.")})
    route.status, route.decline_reason = HandoverStatus.DECLINED, reason
    route.responded_by, route.responded_at = actor.user, timezone.now()
    route.save(update_fields=["status", "decline_reason", "responded_by", "responded_at"])
    report = Report.objects.select_for_update().get(pk=route.report_id)
    before = report.status
    if report.status == Status.REFERRED and not report.routes.open().exists():
        report.status = Status.IN_TRIAGE
        report.save(update_fields=["status", "updated_at"])
    route.report = report
    _record(
        route, ReportEventKind.HANDOVER_DECLINED, actor, "handover.declined", **status_move(before, report)
    )
    _tell_sender(route, NotificationKind.HANDOVER_DECLINED)
    return route


def handover_case_opened(*, report: Report, actor: Actor) -> ReportRoute | None:
    """A case was opened from a handed-over report (called by the cases app in its transaction).

    The sender learns "case opened by <organisation>", nothing of the case. Returns the route,
    or None when the report is the actor's organisation's own.
    """
    if actor.organisation is not None and report.organisation_id == actor.organisation.pk:
        return None
    route = working_route(actor, report)
    if route is None:
        raise PermissionDenied("case.edit")
    if route.status == HandoverStatus.ACCEPTED:
        route.status, route.case_opened_at = HandoverStatus.CASE_OPENED, timezone.now()
        route.save(update_fields=["status", "case_opened_at"])
        _record(route, ReportEventKind.CASE_OPENED, actor, "handover.case_opened")
        _tell_sender(route, NotificationKind.HANDOVER_CASE_OPENED)
    return route


@transaction.atomic
def handover_close(*, route: ReportRoute, outcome: str, actor: Actor) -> ReportRoute:
    """The receiving organisation ends its work on the hand-over with an outcome."""
    require_receiver(actor, route)
    if route.status not in WORKING_HANDOVERS:
        raise ValidationError(_("Only an accepted hand-over can be closed."))
    if outcome not in HandoverOutcome.values:
        raise ValidationError({"outcome": _("Choose how the hand-over ended.")})
    _close(route, outcome, actor)
    return route


def handover_case_closed(*, report_id: int, organisation_id: int) -> ReportRoute | None:
    """The case opened from a hand-over was closed (the cases app, in its own checked service):
    the hand-over closes with "the case was closed". No actor: the closure's approver acted."""
    route = ReportRoute.objects.filter(
        report_id=report_id, organisation_id=organisation_id, status=HandoverStatus.CASE_OPENED
    ).first()
    if route is not None:
        _close(route, HandoverOutcome.CASE_CLOSED, None)
    return route


def _close(route: ReportRoute, outcome: str, actor: Actor | None) -> None:
    route.status, route.outcome, route.closed_at = HandoverStatus.CLOSED, outcome, timezone.now()
    route.save(update_fields=["status", "outcome", "closed_at"])
    _record(route, ReportEventKind.HANDOVER_CLOSED, actor, "handover.closed", outcome=outcome)
    _tell_sender(route, NotificationKind.HANDOVER_CLOSED)


@transaction.atomic
def handover_settings_save(*, email_steps: bool, actor: Actor) -> HandoverSettings:
    """Turn the organisation's hand-over e-mails on or off (``routing.manage``)."""
    actor.require("routing.manage")
    if actor.organisation is None:
        raise PermissionDenied("routing.manage")
    found, _created = HandoverSettings.objects.update_or_create(
        organisation=actor.organisation,
        defaults={"email_steps": email_steps, "changed_by": actor.user, "changed_at": timezone.now()},
    )
    audit_record(
        action="handover_settings.changed",
        actor=actor.user,
        organisation=actor.organisation,
        target=found,
        detail={"email_steps": email_steps},
    )
    return found
