"""Background work: index runs. Thin wrappers around services, given ids, never objects."""

from __future__ import annotations

from django_tasks import task

from safeguard.risk.services.runs import run_execute


@task()
def index_run_execute(run_id: int) -> str:
    """Compute a queued index run; returns its final status."""
    return run_execute(run_id=run_id).status
