"""Background work for analytics. Thin wrappers around services, given ids, never objects."""

from __future__ import annotations

from django_tasks import task

from safeguard.analytics.services import ad_imports, alerts, networks, runs


@task()
def check_report_networks(report_id: int) -> int | None:
    """Alert on intake: the network a new report links to, or None."""
    alert = alerts.report_check_networks(report_id=report_id)
    return alert.network_id if alert else None


@task()
def analyse_record(record_type: str, record_id: int) -> int | None:
    """Re-extract one record's entities and attach it to its network."""
    touch = networks.record_analyse(record_type=record_type, record_id=record_id)
    return touch.network.pk if touch else None


@task()
def process_ad_import(import_id: int) -> str:
    return ad_imports.ad_import_process(import_id=import_id).status


@task()
def execute_run(run_id: int) -> str:
    """A network rebuild or a person-linking run."""
    return runs.run_execute(run_id=run_id).status
