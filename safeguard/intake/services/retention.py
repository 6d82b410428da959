"""Retention: closed, non-actionable reports are deleted after a while; counts remain."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from safeguard.core.audit import audit_record
from safeguard.intake.models import Report, RetentionRun
from safeguard.intake.selectors import reports_purgeable


def reports_purge(*, days: int, now: datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Delete closed, non-actionable reports older than ``days`` and keep only aggregate counts.

    Run by the system (``manage.py purge_reports`` from a timer), so it takes no actor.
    """
    cutoff = (now or timezone.now()) - timedelta(days=days)
    purgeable = reports_purgeable(cutoff=cutoff).distinct()
    counts: dict[str, dict[str, int]] = {}
    for column in ("country", "channel", "outcome", "urgency"):
        rows = purgeable.order_by().values(column).annotate(n=Count("id", distinct=True))
        counts[f"by_{column}"] = {str(row[column] or "unknown"): row["n"] for row in rows}
    run = RetentionRun(cutoff=cutoff, counts=counts)
    if dry_run:
        run.purged = sum(counts["by_channel"].values())
        return run
    purged = 0
    skipped = 0
    for report_id in list(purgeable.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                Report.objects.filter(pk=report_id).delete()
            purged += 1
        except ProtectedError:
            # Another app (a case, for example) still refers to it: keep it.
            skipped += 1
    with transaction.atomic():
        run.purged = purged
        run.counts = {**counts, "skipped_in_use": skipped}
        run.save()
        audit_record(
            action="report.retention_purge",
            target=run,
            detail={"purged": purged, "skipped": skipped, "days": days, "cutoff": cutoff.isoformat()},
        )
    return run
