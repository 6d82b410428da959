"""Urgency: the rules' assessment of a report, and raises from outside the rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.core.audit import audit_record
from safeguard.intake import urgency
from safeguard.intake.choices import NotificationKind, Urgency
from safeguard.intake.events import report_event
from safeguard.intake.models import Report, ReportEventKind, UrgencyRaise
from safeguard.intake.services.notices import notify_after_commit
from safeguard.intake.services.routing import routing_apply


def report_assess(report: Report) -> None:
    """Apply the urgency rules and any raises; set level, reasons and triage target (not saved)."""
    facts = urgency.Facts(
        child_in_danger=report.child_in_danger,
        children_count=report.children_count,
        youngest_age=report.youngest_age,
        indicators=frozenset(report.indicators),
        exploitation_types=frozenset(report.exploitation_types),
        occurred=report.occurred,
    )
    assessment = urgency.assess(facts)
    raised = list(report.urgency_raises.values_list("level", flat=True)) if report.pk else []
    report.assessed_urgency = int(assessment.level)
    report.urgency = int(urgency.combined_level(assessment.level, raised))
    report.urgency_reasons = [reason.as_dict() for reason in assessment.reasons]
    report.due_at = report.created_at + urgency.TARGETS[urgency.Level(report.urgency)]
    if report.pk:
        # A legal reporting duty that falls due sooner is the triage target (docs/legal.md).
        from safeguard.legal.selectors import earliest_open_deadline

        deadline = earliest_open_deadline(report.pk)
        if deadline is not None and deadline < report.due_at:
            report.due_at = deadline


@transaction.atomic
def report_raise_urgency(*, report: Report, level: int | str, reason: str, detail: dict[str, Any]) -> Report:
    """Raise a report's urgency for a reason outside the rules (for example: it touches a known
    network). Never lowers it. The reason is shown in the triage view beside the rules' reasons;
    routing rules are applied again at the new level.

    Called by the system (analytics' alert on intake), so it takes no actor.
    """
    if isinstance(level, str):
        level = Urgency[level.upper()].value
    level = Urgency(int(level))
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why the urgency is raised.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    before = report.urgency
    UrgencyRaise.objects.create(report=report, level=level, reason=reason, detail=detail)
    report_assess(report)
    report.save(update_fields=["urgency", "assessed_urgency", "urgency_reasons", "due_at", "updated_at"])
    audit_record(
        action="report.urgency_raised",
        organisation=report.organisation,
        target=report,
        detail={"from": before, "to": report.urgency, "requested": int(level), "detail_keys": sorted(detail)},
    )
    report_event(
        report=report,
        kind=ReportEventKind.URGENCY_RAISED,
        actor=None,
        detail={"from": before, "to": report.urgency, "requested": int(level)},
    )
    destinations = routing_apply(report)
    if report.urgency == Urgency.CRITICAL and before != Urgency.CRITICAL:
        owner = [report.organisation_id] if report.organisation_id else []
        routed = list(report.routes.values_list("organisation_id", flat=True))
        notify_after_commit(report, NotificationKind.CRITICAL, owner + routed, email=True)
    elif destinations:
        notify_after_commit(report, NotificationKind.ROUTED, destinations)
    return report
