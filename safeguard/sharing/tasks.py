"""Background work: computing releases. Thin wrappers around services, given ids, never objects."""

from __future__ import annotations

from django_tasks import task

from safeguard.sharing.services import release_execute


@task()
def release_compute(release_id: int) -> str:
    """Compute a queued release; returns its final status."""
    return release_execute(release_id=release_id).status
