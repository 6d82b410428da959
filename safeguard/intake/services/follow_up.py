"""The anonymous reporter's side of follow-up: answering questions, adding information."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.core.audit import audit_record
from safeguard.intake.choices import WORKING_HANDOVERS, NotificationKind, Status
from safeguard.intake.events import report_event
from safeguard.intake.models import Report, ReportEventKind, ReportMessage
from safeguard.intake.services.notices import notify_after_commit
from safeguard.intake.services.workflow import clean_text, status_move


@transaction.atomic
def report_reporter_message(*, report: Report, body: str) -> ReportMessage:
    """The anonymous reporter answers or adds information through follow-up.

    Takes no actor: holding the receipt that opened ``report`` is the reporter's only credential.
    """
    if report.status == Status.CLOSED and report.duplicate_of_id is None:
        raise ValidationError(
            {"message": _("This report is closed. If something new happened, please make a new report.")}
        )
    message = ReportMessage(
        report=report, direction=ReportMessage.Direction.REPORTER, body=clean_text(body, "message")
    )
    message.full_clean()
    message.save()
    fields = ["updated_at"]
    before = report.status
    if report.status == Status.NEEDS_INFORMATION:
        report.status = Status.IN_TRIAGE
        fields.append("status")
    report.save(update_fields=fields)
    report_event(
        report=report,
        kind=ReportEventKind.REPORTER_ANSWERED,
        actor=None,
        detail={"message": message.pk, **status_move(before, report)},
    )
    audit_record(
        action="report.reporter_message",
        organisation=report.organisation,
        target=report,
        detail={"message": message.pk},
    )
    # One conversation: whoever handles the report, its own organisation or one it was handed to, is told.
    handlers = list(
        report.routes.filter(status__in=WORKING_HANDOVERS).values_list("organisation_id", flat=True)
    )
    if report.organisation_id:
        handlers.append(report.organisation_id)
    notify_after_commit(report, NotificationKind.REPORTER_REPLIED, handlers)
    return message
