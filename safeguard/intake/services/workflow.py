"""What every service that works on a report shares: the triage clock and checked free text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.intake.events import report_event
from safeguard.intake.models import Report, ReportEventKind


def mark_triaged(report: Report, fields: list[str]) -> bool:
    """Stop the triage clock at the first action on the report; True if it stopped now."""
    if report.triaged_at is not None:
        return False
    report.triaged_at = timezone.now()
    fields.append("triaged_at")
    return True


def record_triage_start(report: Report, actor: Actor, started: bool) -> None:
    """The timeline notes when triage started (``started`` as ``mark_triaged`` returned it)."""
    if started:
        report_event(report=report, kind=ReportEventKind.TRIAGED, actor=actor)


def status_move(before: str, report: Report) -> dict[str, str]:
    """For an event's detail: the status the change moved the report from and to, if it did."""
    return {"from_status": before, "to_status": report.status} if report.status != before else {}


def clean_text(text: str, field_name: str) -> str:
    """``text`` stripped, non-empty, short enough and free of control characters."""
    from safeguard.core.validation import TEXT_MAX, no_control_characters

    text = text.strip()
    if not text:
        raise ValidationError({field_name: _("Write something first.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field_name: _("Keep it under %(max)d characters.") % {"max": TEXT_MAX}})
    try:
        no_control_characters(text)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from None
    return text
