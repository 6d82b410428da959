"""Files of ads an organisation collected: accepted for a worker, then validated, stored and flagged."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.analytics import adfiles, extraction, fraudsigns, records
from safeguard.analytics.models import Ad, AdImport, JobStatus
from safeguard.analytics.services.ad_clusters import ads_cluster
from safeguard.analytics.services.entities import entity_index, record_extract
from safeguard.analytics.services.progress import Progress
from safeguard.core.audit import audit_record

logger = logging.getLogger(__name__)


MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def ad_import_create(*, actor: Actor, filename: str, content: bytes) -> AdImport:
    """Accept a CSV or JSON Lines file of ads for processing by a worker; nothing is parsed yet.

    Needs ``ads.import``; the import belongs to the actor's organisation.
    """
    actor.require("ads.import")
    assert actor.organisation is not None  # required above: roles are held in an organisation
    name = filename.rsplit("/", 1)[-1][:200]
    lowered = name.lower()
    if lowered.endswith(".csv"):
        file_format = AdImport.Format.CSV
    elif lowered.endswith((".jsonl", ".ndjson", ".json")):
        file_format = AdImport.Format.JSONL
    else:
        raise ValidationError({"file": _("Choose a .csv or .jsonl file.")})
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB; split it into smaller files.")})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from error
    if not text.strip():
        raise ValidationError({"file": _("The file is empty.")})
    ad_import = AdImport(
        organisation=actor.organisation,
        uploaded_by=actor.user,
        filename=name,
        format=file_format,
        content=text,
    )
    ad_import.full_clean()
    ad_import.save(force_insert=True)
    audit_record(
        action="analytics.ads_uploaded",
        actor=actor,
        target=ad_import,
        detail={"format": file_format, "bytes": len(content)},
    )
    from safeguard.analytics.tasks import process_ad_import

    import_id = ad_import.pk
    transaction.on_commit(lambda: process_ad_import.enqueue(import_id))
    return ad_import


def _import_progress(import_id: int) -> Progress:
    def report(phase: str, percent: int) -> None:
        AdImport.objects.filter(pk=import_id).update(phase=phase[:40], progress=max(0, min(percent, 100)))

    return report


def ad_import_process(*, import_id: int) -> AdImport:
    """Validate every row, then store all ads in one transaction or none; then cluster and flag.

    Guarantees: a file with any bad row imports nothing and lists every problem (row, field,
    message); progress is written as the work goes, so the status page never sits silent.
    The background task's body: no actor (the uploader was checked by ``ad_import_create``).
    """
    ad_import = AdImport.objects.get(pk=import_id)
    if ad_import.is_finished:
        return ad_import
    AdImport.objects.filter(pk=import_id).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=1
    )
    progress = _import_progress(import_id)
    progress("validating", 2)
    parsed = adfiles.read_ads(ad_import.content, ad_import.format)
    if parsed.errors:
        AdImport.objects.filter(pk=import_id).update(
            status=JobStatus.FAILED,
            total_rows=parsed.row_count,
            errors=[error.as_dict() for error in parsed.errors],
            content="",
            phase="validating",
            finished_at=timezone.now(),
        )
        ad_import.refresh_from_db()
        return ad_import
    progress("storing", 20)
    flagged = 0
    with transaction.atomic():
        ads = Ad.objects.bulk_create(
            [
                Ad(
                    ad_import=ad_import,
                    organisation_id=ad_import.organisation_id,
                    external_id=row.ad_id,
                    text=row.text,
                    posted_at=row.posted_at,
                    site=row.site,
                    location=row.location,
                    phone_keys=sorted(
                        {
                            entity_index("phone", key)
                            for key in (
                                extraction.normalise(
                                    "phone", phone, default_region=records.region_of(row.location)
                                )
                                for phone in row.phones
                            )
                            if key
                        }
                    ),
                    fraud_flags=[
                        {
                            "rule": f.rule_id,
                            "label": f.label,
                            "language": f.language,
                            "start": f.start,
                            "end": f.end,
                        }
                        for f in fraudsigns.flag_ad(row.text)
                    ],
                )
                for row in parsed.rows
            ],
            batch_size=1000,
        )
        if not ads or ads[0].pk is None:  # backends that do not return ids from bulk_create
            ads = list(Ad.objects.filter(ad_import=ad_import).order_by("pk"))
        by_external = {row.ad_id: row for row in parsed.rows}
        for number, ad in enumerate(ads, start=1):
            snapshot = records.ad_snapshot(ad, phones=by_external[ad.external_id].phones)
            # Text-found phones join the column's phones as blind keys.
            keys = set(ad.phone_keys) | {
                entity_index("phone", e.key)
                for e in snapshot.entities
                if e.kind == extraction.EntityKind.PHONE
            }
            if keys != set(ad.phone_keys):
                ad.phone_keys = sorted(keys)
                ad.save(update_fields=["phone_keys"])
            record_extract(snapshot=snapshot)
            flagged += bool(ad.fraud_flags)
            if number % 200 == 0:
                progress("storing", 20 + 30 * number // len(ads))
        AdImport.objects.filter(pk=import_id).update(
            total_rows=parsed.row_count, imported_rows=len(ads), flagged_rows=flagged, content=""
        )
        audit_record(
            action="analytics.ads_imported",
            organisation=ad_import.organisation,
            target=ad_import,
            detail={"ads": len(ads), "flagged": flagged},
        )
    try:
        ads_cluster(
            organisation_id=ad_import.organisation_id,
            progress=lambda phase, pct: progress(phase, 50 + pct * 45 // 100),
        )
    except Exception as error:
        logger.exception("clustering after import %s failed", import_id)
        AdImport.objects.filter(pk=import_id).update(
            status=JobStatus.FAILED,
            errors=[
                {"row": None, "field": "", "message": _("Ads were stored but clustering failed: %s") % error}
            ],
            finished_at=timezone.now(),
        )
    else:
        AdImport.objects.filter(pk=import_id).update(
            status=JobStatus.DONE, progress=100, phase="done", finished_at=timezone.now()
        )
    ad_import.refresh_from_db()
    return ad_import
