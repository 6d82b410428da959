"""Batch runs queued from the analytics pages: network rebuilds and person-linking runs."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.analytics.models import AnalyticsRun, JobStatus
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.analytics.services.person_links import person_linking_run
from safeguard.analytics.services.progress import Progress
from safeguard.core.audit import audit_record

logger = logging.getLogger(__name__)


@transaction.atomic
def run_request(*, actor: Actor, kind: str) -> AnalyticsRun:
    """Queue a network rebuild (all records) or a person-linking run (the actor's organisation).

    Needs ``analytics.review``. The run is audited and executed by a worker after this commits.
    """
    from safeguard.analytics.tasks import execute_run

    actor.require("analytics.review")
    if kind not in AnalyticsRun.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of run.")})
    run = AnalyticsRun.objects.create(
        kind=kind, organisation=actor.organisation if kind == AnalyticsRun.Kind.LINKING else None
    )
    audit_record(action="analytics.run_requested", actor=actor, target=run)
    run_id = run.pk
    transaction.on_commit(lambda: execute_run.enqueue(run_id))
    return run


def _run_progress(run_id: int) -> Progress:
    def report(phase: str, percent: int) -> None:
        AnalyticsRun.objects.filter(pk=run_id).update(phase=phase[:40], progress=max(0, min(percent, 100)))

    return report


def run_execute(*, run_id: int) -> AnalyticsRun:
    """Carry out a queued batch run, recording progress, result or failure on the run.

    The background task's body: no actor (the user who queued the run was checked then).
    """
    run = AnalyticsRun.objects.get(pk=run_id)
    AnalyticsRun.objects.filter(pk=run_id).update(status=JobStatus.RUNNING, progress=1)
    progress = _run_progress(run_id)
    try:
        if run.kind == AnalyticsRun.Kind.NETWORKS:
            result: dict[str, Any] = networks_rebuild(progress=progress)
        else:
            result = person_linking_run(organisation_id=run.organisation_id, progress=progress)
    except Exception as error:
        logger.exception("analytics run %s failed", run_id)
        AnalyticsRun.objects.filter(pk=run_id).update(
            status=JobStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
    else:
        AnalyticsRun.objects.filter(pk=run_id).update(
            status=JobStatus.DONE, progress=100, phase="done", result=result, finished_at=timezone.now()
        )
    run.refresh_from_db()
    return run
