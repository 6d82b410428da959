"""Batch runs queued from the analytics pages: network rebuilds and person-linking runs."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor, require_platform_admin
from safeguard.accounts.models import User
from safeguard.analytics.models import AnalyticsRun, JobStatus
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.analytics.services.person_links import person_linking_run
from safeguard.analytics.services.progress import Progress
from safeguard.core.audit import audit_record

logger = logging.getLogger(__name__)


@transaction.atomic
def run_request(*, actor: Actor, kind: str) -> AnalyticsRun:
    """Queue a person-linking run over the actor's organisation's records.

    Needs ``analytics.review``. A network rebuild recomputes every organisation's networks, so
    an organisation's analyst may not queue one (``networks_rebuild_request`` is for platform
    administrators): asking for it is refused before anything is written. The run is audited
    and executed by a worker after this commits.
    """
    actor.require("analytics.review")
    if kind == AnalyticsRun.Kind.NETWORKS:
        raise PermissionDenied("platform administrators only")
    if kind not in AnalyticsRun.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of run.")})
    return _run_queue(AnalyticsRun.objects.create(kind=kind, organisation=actor.organisation), actor=actor)


@transaction.atomic
def networks_rebuild_request(*, actor: User) -> AnalyticsRun:
    """Queue a platform-wide network rebuild; platform administrators only (decision 094).

    The run belongs to no organisation, so no organisation's analyst sees it or its result
    (which counts every organisation's records).
    """
    require_platform_admin(actor)
    return _run_queue(AnalyticsRun.objects.create(kind=AnalyticsRun.Kind.NETWORKS), actor=actor)


def _run_queue(run: AnalyticsRun, *, actor: Actor | User) -> AnalyticsRun:
    from safeguard.analytics.tasks import execute_run

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
