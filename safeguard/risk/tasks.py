"""Background work: index runs. Thin wrappers around services, given ids, never objects."""

from __future__ import annotations

from django_tasks import task

from safeguard.risk.services.runs import run_execute


@task()
def index_run_execute(run_id: int) -> str:
    """Compute a queued index run; returns its final status."""
    return run_execute(run_id=run_id).status


@task()
def report_place_assign(report_id: int) -> str:
    """Place a new report with coordinates in its subdivision and custom district."""
    from safeguard.risk.services.places import report_place_assign as assign

    place = assign(report_id=report_id)
    return place.district.code if place and place.district else ""
