"""Background work for collaboration. Thin wrappers around services, given ids, never objects."""

from __future__ import annotations

from django_tasks import task

from safeguard.collaboration import services


@task()
def match_notices(record_type: str, record_id: int) -> int:
    """Match notices for one new or changed report, case or ad; returns how many were stored."""
    return len(services.match_notices_for_record(record_type=record_type, record_id=record_id))


@task()
def match_notices_for_import(import_id: int) -> int:
    """Match notices for every ad of one finished import."""
    from safeguard.analytics.models import Ad

    stored = 0
    for ad_id in Ad.objects.filter(ad_import_id=import_id).values_list("pk", flat=True).iterator():
        stored += len(services.match_notices_for_record(record_type="ad", record_id=ad_id))
    return stored
