"""Background work: notifications. Thin wrappers that take ids and call services."""

from __future__ import annotations

from django_tasks import task

from safeguard.intake import notifications
from safeguard.intake.services.submission import report_follow_up_run


@task()
def send_report_notifications(*, report_id: int, kind: str, organisation_ids: list[int], email: bool) -> int:
    return notifications.notify_report(
        report_id=report_id, kind=kind, organisation_ids=organisation_ids, email=email
    )


@task()
def send_escalation_notifications(*, escalation_id: int, kind: str) -> int:
    return notifications.notify_escalation(escalation_id=escalation_id, kind=kind)


@task()
def report_follow_up(*, report_id: int, notices: list[dict]) -> int:
    return report_follow_up_run(report_id=report_id, notices=notices)
