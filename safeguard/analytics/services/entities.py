"""Entities and mentions: what each report, case and ad names, stored under blind indexes.

System services: they run in background tasks and batch commands, for every organisation's
records, and take no actor. Nothing here is audited per row; a network rebuild records one
audit event (``services.networks``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from safeguard.analytics import extraction, records
from safeguard.analytics.models import Ad, Entity, EntityKind, Mention, NetworkMembership, RecordType
from safeguard.analytics.services.progress import Progress, no_progress
from safeguard.core.fields import blind_index_for

# Records that name more distinct other records through one entity than this link nothing
# through it (a hotline number, a big agency's domain): see networks.NetworkSettings.
MAX_RECORDS_PER_ENTITY = 50
# Domains of mail and social platforms: everyone uses them, so they never link two records.
COMMON_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.es",
        "yahoo.fr",
        "hotmail.com",
        "hotmail.es",
        "hotmail.fr",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "mail.com",
        "yandex.ru",
        "mail.ru",
        "orange.fr",
        "free.fr",
        "wanadoo.fr",
        "laposte.net",
        "facebook.com",
        "fb.com",
        "instagram.com",
        "tiktok.com",
        "t.me",
        "telegram.me",
        "twitter.com",
        "x.com",
        "whatsapp.com",
        "wa.me",
        "snapchat.com",
        "youtube.com",
        "google.com",
        "vk.com",
    ]
)


def entity_index(kind: str, key: str) -> str:
    """The blind index of a canonical key; the same purpose as intake's identifier index."""
    return blind_index_for(key, purpose=kind)


def _readable(kind: str, key: str) -> tuple[str, str]:
    """(plain label, value to encrypt) for an entity's canonical key.

    Every key is derived from personal data (a domain from someone's e-mail, a region from a
    report), so none is kept in plaintext: the label stays empty and the value is encrypted.
    """
    return "", key


def entities_upsert(found: Iterable[extraction.Entity]) -> dict[tuple[str, str], Entity]:
    """The Entity row of each (kind, canonical key), created when new. Keyed by (kind, key)."""
    wanted: dict[tuple[str, str], tuple[str, str]] = {}
    for entity in found:
        kind = str(entity.kind)
        wanted.setdefault((kind, entity.key), (kind, entity_index(kind, entity.key)))
    if not wanted:
        return {}
    by_index = {pair: key for key, pair in wanted.items()}

    def existing() -> dict[tuple[str, str], Entity]:
        rows: dict[tuple[str, str], Entity] = {}
        kinds = {kind for kind, _index in by_index}
        for kind in kinds:
            indexes = [index for k, index in by_index if k == kind]
            for row in Entity.objects.filter(kind=kind, key_index__in=indexes):
                rows[by_index[(kind, row.key_index)]] = row
        return rows

    rows = existing()
    missing = [key for key in wanted if key not in rows]
    if missing:
        new_rows = []
        for kind, key in missing:
            label, value = _readable(kind, key)
            new_rows.append(
                Entity(
                    kind=kind,
                    key_index=wanted[(kind, key)][1],
                    label=label,
                    value=value,
                    is_stop=kind == EntityKind.DOMAIN and key in COMMON_DOMAINS,
                )
            )
        Entity.objects.bulk_create(new_rows, ignore_conflicts=True)
        rows = existing()
    return rows


@dataclass(frozen=True)
class Extracted:
    """A record's snapshot and the stored entity of each (kind, key) it mentions."""

    snapshot: records.RecordSnapshot
    entities: dict[tuple[str, str], Entity]


@transaction.atomic
def record_extract(*, snapshot: records.RecordSnapshot) -> Extracted:
    """Store the entities a record mentions and nothing else: stale mentions are removed.

    Guarantees: afterwards the record's mentions are exactly its snapshot's entities; every
    touched entity's ``record_count`` is the number of records mentioning it.
    """
    rows = entities_upsert(snapshot.entities)
    fields = {(str(e.kind), e.key): e.field or "" for e in snapshot.entities}
    current = Mention.objects.filter(record_type=snapshot.record_type, record_id=snapshot.record_id)
    keep_ids = {row.pk for row in rows.values()}
    stale = list(current.exclude(entity_id__in=keep_ids).values_list("entity_id", flat=True))
    current.exclude(entity_id__in=keep_ids).delete()
    Mention.objects.bulk_create(
        [
            Mention(
                entity=row,
                record_type=snapshot.record_type,
                record_id=snapshot.record_id,
                organisation_id=snapshot.organisation_id,
                field=fields[key][:40],
                occurred_at=snapshot.occurred_at,
                country=snapshot.country,
                subdivision=snapshot.subdivision,
            )
            for key, row in rows.items()
        ],
        ignore_conflicts=True,
    )
    _recount(list(keep_ids) + stale)
    return Extracted(snapshot=snapshot, entities=rows)


def _recount(entity_ids: Sequence[int]) -> None:
    if not entity_ids:
        return
    counts = dict(
        Mention.objects.filter(entity_id__in=entity_ids)
        .values_list("entity_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    changed = []
    for entity in Entity.objects.filter(pk__in=entity_ids).only("pk", "record_count", "is_stop", "kind"):
        count = counts.get(entity.pk, 0)
        too_common = count > MAX_RECORDS_PER_ENTITY
        if entity.record_count != count or (too_common and not entity.is_stop):
            entity.record_count = count
            entity.is_stop = entity.is_stop or too_common
            changed.append(entity)
    if changed:
        Entity.objects.bulk_update(changed, ["record_count", "is_stop"])


def record_forget(*, record_type: str, record_id: int) -> None:
    """Drop a record's mentions and membership (the record was deleted or purged)."""
    with transaction.atomic():
        entity_ids = list(
            Mention.objects.filter(record_type=record_type, record_id=record_id).values_list(
                "entity_id", flat=True
            )
        )
        Mention.objects.filter(record_type=record_type, record_id=record_id).delete()
        NetworkMembership.objects.filter(record_type=record_type, record_id=record_id).delete()
        _recount(entity_ids)


def records_extract_all(*, progress: Progress = no_progress) -> dict[str, int]:
    """Re-extract every report, case and ad. Returns counts per record type."""
    totals = {
        RecordType.REPORT: records.count_reports(),
        RecordType.CASE: records.count_cases(),
        RecordType.AD: Ad.objects.count(),
    }
    overall = max(sum(totals.values()), 1)
    done = 0
    counts: dict[str, int] = {}
    sources: list[tuple[str, Iterable[records.RecordSnapshot]]] = [
        (RecordType.REPORT, (records.report_snapshot(r) for r in records.iter_reports())),
        (RecordType.CASE, (records.case_snapshot(c) for c in records.iter_cases())),
        (RecordType.AD, (records.ad_snapshot(a) for a in Ad.objects.order_by("pk").iterator(chunk_size=500))),
    ]
    for record_type, snapshots in sources:
        counts[str(record_type)] = 0
        for snapshot in snapshots:
            record_extract(snapshot=snapshot)
            counts[str(record_type)] += 1
            done += 1
            if done % 50 == 0 or done == overall:
                progress("extracting", done * 100 // overall)
    return counts
