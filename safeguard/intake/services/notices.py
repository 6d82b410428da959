"""Notifying organisations after a change commits: the work is handed to background tasks."""

from __future__ import annotations

from django.db import transaction

from safeguard.intake.models import Report


def notify_after_commit(
    report: Report, kind: str, organisation_ids: list[int], *, email: bool = False
) -> None:
    """Once the transaction commits, notify the report-handling members of each organisation."""
    from safeguard.intake.tasks import send_report_notifications

    if not organisation_ids:
        return
    transaction.on_commit(
        lambda: send_report_notifications.enqueue(
            report_id=report.pk, kind=kind, organisation_ids=sorted(set(organisation_ids)), email=email
        )
    )


def notify_escalation_after_commit(escalation_id: int, kind: str) -> None:
    """Once the transaction commits, notify the liaisons (or the escalating user) of an escalation."""
    from safeguard.intake.tasks import send_escalation_notifications

    transaction.on_commit(
        lambda: send_escalation_notifications.enqueue(escalation_id=escalation_id, kind=kind)
    )
