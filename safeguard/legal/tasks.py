"""Background work: thin wrappers that take ids and call services."""

from __future__ import annotations

from django_tasks import task

from safeguard.legal.services.duties import report_duties_apply


@task()
def apply_reporting_duties(report_id: int) -> int:
    return len(report_duties_apply(report_id=report_id))
