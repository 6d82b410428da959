"""Flags on a report: raised with a reason and a note, resolved with a note; on the report's
timeline and audited. An organisation flags the reports it works on (its own, or a hand-over it
accepted) and sees and resolves only its own flags."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.intake.events import report_event
from safeguard.intake.models import Report, ReportEventKind, ReportFlag
from safeguard.intake.services.handover import require_handler
from safeguard.intake.services.workflow import clean_text


def _record(flag: ReportFlag, kind: ReportEventKind, action: str, actor: Actor) -> None:
    detail = {"flag": flag.pk, "reason": flag.reason}
    report_event(report=flag.report, kind=kind, actor=actor, detail=detail)
    audit_record(
        action=action, actor=actor.user, organisation=actor.organisation, target=flag.report, detail=detail
    )


@transaction.atomic
def report_flag_raise(*, actor: Actor, report: Report, reason: str, note: str = "") -> ReportFlag:
    """Flag ``report`` for the actor's organisation; needs ``report.triage`` on a report it works on."""
    require_handler(actor, "report.triage", report)
    assert actor.organisation is not None
    flag = ReportFlag(
        report=report,
        organisation=actor.organisation,
        reason=reason,
        note=clean_text(note, "note") if note.strip() else "",
        raised_by=actor.user,
    )
    flag.full_clean()
    flag.save()
    _record(flag, ReportEventKind.FLAG_RAISED, "report.flag_raised", actor)
    return flag


@transaction.atomic
def report_flag_resolve(*, actor: Actor, flag: ReportFlag, note: str) -> ReportFlag:
    """Resolve an open flag of the actor's organisation, saying how."""
    require_handler(actor, "report.triage", flag.report)
    if actor.organisation is None or flag.organisation_id != actor.organisation.pk:
        raise PermissionDenied("another organisation's flag")
    if flag.resolved_at is not None:
        raise ValidationError(_("This flag is already resolved."))
    if not note.strip():
        raise ValidationError({"note": _("Say how the flag was resolved.")})
    flag.resolved_by, flag.resolved_at = actor.user, timezone.now()
    flag.resolution_note = clean_text(note, "note")
    flag.save(update_fields=["resolved_by", "resolved_at", "resolution_note"])
    _record(flag, ReportEventKind.FLAG_RESOLVED, "report.flag_resolved", actor)
    return flag
