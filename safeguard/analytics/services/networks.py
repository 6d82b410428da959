"""Networks of records that share identifiers: attached one record at a time, or rebuilt in batch.

System services (background tasks and batch commands); they take no actor. A rebuild is
audited once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from safeguard.analytics import records
from safeguard.analytics.models import LINKING_KINDS, Entity, Mention, Network, NetworkMembership
from safeguard.analytics.networks import NetworkSettings, build_networks_from_mentions, networks_touched
from safeguard.analytics.services.entities import (
    MAX_RECORDS_PER_ENTITY,
    Extracted,
    record_extract,
    record_forget,
)
from safeguard.analytics.services.progress import Progress, no_progress
from safeguard.core.audit import audit_record

MAX_NETWORK_SIZE = 500


@dataclass(frozen=True)
class Touch:
    """A record's link to a network: the network and the entities of the record it shares."""

    network: Network
    shared: tuple[Entity, ...]


def _linking(rows: Iterable[Entity]) -> list[Entity]:
    return [row for row in rows if row.kind in LINKING_KINDS and not row.is_stop]


def _network_refresh(network: Network) -> None:
    stats = network.memberships.aggregate(size=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
    network.size = stats["size"]
    network.first_seen = stats["first"]
    network.last_seen = stats["last"]
    network.entity_count = network.entities.filter(is_stop=False, record_count__gt=1).count()
    network.community_count = max(network.community_count, 1)
    network.updated_at = timezone.now()
    network.save(
        update_fields=["size", "first_seen", "last_seen", "entity_count", "community_count", "updated_at"]
    )


@transaction.atomic
def network_attach(*, extracted: Extracted) -> Touch | None:
    """Put a freshly extracted record into the network its shared identifiers lead to.

    Uses the incremental index (entity → network, kept by every rebuild and attach) through
    ``networks.networks_touched``; networks the record joins together are merged into the
    oldest. Guarantees: afterwards the record and every record sharing a linking entity with
    it are members of one network, and the returned ``Touch`` names the record's shared
    entities (those mentioned by at least one other record). None when it shares nothing.
    """
    snapshot = extracted.snapshot
    linking = _linking(
        Entity.objects.select_for_update().filter(pk__in=[e.pk for e in extracted.entities.values()])
    )
    shared = [row for row in linking if row.record_count > 1]
    if not shared:
        return None
    index = {str(row.pk): row.network_id for row in shared if row.network_id is not None}
    touches = networks_touched([str(row.pk) for row in shared], index)
    network_ids = sorted({touch.network_id for touch in touches})
    # Records that share an entity but are in no network yet (mentions newer than the last build).
    co_records = set(
        Mention.objects.filter(entity__in=shared)
        .exclude(record_type=snapshot.record_type, record_id=snapshot.record_id)
        .values_list("record_type", "record_id", "organisation_id", "occurred_at")
    )
    co_keys = {(record_type, record_id) for record_type, record_id, _org, _at in co_records}
    own_key = (snapshot.record_type, snapshot.record_id)
    placed = {
        (record_type, record_id): network_id
        for record_type, record_id, network_id in NetworkMembership.objects.filter(
            record_id__in=[record_id for _type, record_id in co_keys | {own_key}]
        ).values_list("record_type", "record_id", "network_id")
        if (record_type, record_id) in co_keys | {own_key}
    }
    network_ids = sorted({touch.network_id for touch in touches} | set(placed.values()))
    if network_ids:
        target = Network.objects.select_for_update().get(pk=network_ids[0])
        others = network_ids[1:]
        if others:
            NetworkMembership.objects.filter(network_id__in=others).update(network=target)
            Entity.objects.filter(network_id__in=others).update(network=target)
            Network.objects.filter(pk__in=others).delete()
    else:
        target = Network.objects.create(community_count=1)
    members = [
        NetworkMembership(
            network=target,
            record_type=record_type,
            record_id=record_id,
            organisation_id=organisation_id,
            occurred_at=occurred_at,
        )
        for record_type, record_id, organisation_id, occurred_at in co_records
        if (record_type, record_id) not in placed
    ]
    members.append(
        NetworkMembership(
            network=target,
            record_type=snapshot.record_type,
            record_id=snapshot.record_id,
            organisation_id=snapshot.organisation_id,
            occurred_at=snapshot.occurred_at,
        )
    )
    NetworkMembership.objects.filter(record_type=snapshot.record_type, record_id=snapshot.record_id).exclude(
        network=target
    ).delete()
    NetworkMembership.objects.bulk_create(members, ignore_conflicts=True)
    Entity.objects.filter(pk__in=[row.pk for row in linking]).update(network=target)
    _network_refresh(target)
    return Touch(network=target, shared=tuple(shared))


def record_analyse(*, record_type: str, record_id: int) -> Touch | None:
    """Extract a record's entities and keep the link graph up to date; the task's body."""
    snapshot = records.record_snapshot(record_type, record_id)
    if snapshot is None:
        record_forget(record_type=record_type, record_id=record_id)
        return None
    return network_attach(extracted=record_extract(snapshot=snapshot))


def networks_rebuild(*, progress: Progress = no_progress) -> dict[str, int]:
    """Recompute every network from the stored mentions (connected components, Leiden split).

    Network ids are kept where a new network holds mostly the records of an old one, so
    alerts and bookmarks keep pointing at the same group.
    """
    progress("loading", 0)
    rows = list(
        Mention.objects.filter(entity__kind__in=list(LINKING_KINDS), entity__is_stop=False)
        .order_by("record_type", "record_id")
        .values_list("record_type", "record_id", "entity_id", "organisation_id", "occurred_at")
    )
    listed_stop = frozenset(
        str(pk)
        for pk in Entity.objects.filter(is_stop=True, record_count__lte=MAX_RECORDS_PER_ENTITY).values_list(
            "pk", flat=True
        )
    )
    record_ids: list[str] = []
    position: dict[str, int] = {}
    info: dict[str, tuple[int | None, Any]] = {}
    mention_records = np.empty(len(rows), dtype=np.int64)
    mention_keys: list[str] = []
    for i, (record_type, record_id, entity_id, organisation_id, occurred_at) in enumerate(rows):
        record = f"{record_type}:{record_id}"
        code = position.get(record)
        if code is None:
            code = position[record] = len(record_ids)
            record_ids.append(record)
            info[record] = (organisation_id, occurred_at)
        mention_records[i] = code
        mention_keys.append(str(entity_id))
    progress("linking", 20)
    result = build_networks_from_mentions(
        record_ids,
        mention_records,
        mention_keys,
        settings=NetworkSettings(
            max_records_per_entity=MAX_RECORDS_PER_ENTITY,
            max_network_size=MAX_NETWORK_SIZE,
            stop_entities=listed_stop,
        ),
    )
    progress("storing", 50)
    previous = {
        f"{record_type}:{record_id}": network_id
        for record_type, record_id, network_id in NetworkMembership.objects.values_list(
            "record_type", "record_id", "network_id"
        ).iterator(chunk_size=5000)
    }
    assignments = result.assignments()
    with transaction.atomic():
        claimed: set[int] = set()
        kept: dict[int, int] = {}  # component id → stored network id
        for network in result.networks:
            votes = Counter(previous[r] for r in network.records if r in previous)
            for old_id, _votes in votes.most_common():
                if old_id not in claimed:
                    claimed.add(old_id)
                    kept[network.network_id] = old_id
                    break
        existing = set(Network.objects.filter(pk__in=list(kept.values())).values_list("pk", flat=True))
        NetworkMembership.objects.all().delete()
        Entity.objects.filter(network__isnull=False).update(network=None)
        Network.objects.exclude(pk__in=existing).delete()
        memberships = []
        entity_network = result.entity_index()
        entities_of: dict[int, list[int]] = {}
        for key, component in entity_network.items():
            entities_of.setdefault(component, []).append(int(key))
        for number, network in enumerate(result.networks):
            stored_id = kept.get(network.network_id)
            stored = Network(pk=stored_id) if stored_id in existing else Network.objects.create()
            times = [info[r][1] for r in network.records if info[r][1] is not None]
            stored.size = network.size
            stored.entity_count = len(network.entities)
            stored.community_count = max(len(network.communities), 1)
            stored.first_seen = min(times) if times else None
            stored.last_seen = max(times) if times else None
            stored.updated_at = timezone.now()
            stored.save(
                update_fields=[
                    "size",
                    "entity_count",
                    "community_count",
                    "first_seen",
                    "last_seen",
                    "updated_at",
                ]
            )
            for record in network.records:
                member_type, member_id = record.split(":")
                memberships.append(
                    NetworkMembership(
                        network_id=stored.pk,
                        record_type=member_type,
                        record_id=int(member_id),
                        organisation_id=info[record][0],
                        community=assignments[record][1],
                        occurred_at=info[record][1],
                    )
                )
            entity_ids = entities_of.get(network.network_id, [])
            for start in range(0, len(entity_ids), 5000):
                Entity.objects.filter(pk__in=entity_ids[start : start + 5000]).update(network_id=stored.pk)
            if len(memberships) >= 5000:
                NetworkMembership.objects.bulk_create(memberships, batch_size=5000)
                memberships = []
            if number % 200 == 0:
                progress("storing", 50 + 45 * number // max(len(result.networks), 1))
        NetworkMembership.objects.bulk_create(memberships, batch_size=5000)
        stop_ids = [int(stop.key) for stop in result.stop_entities if not stop.listed]
        for start in range(0, len(stop_ids), 5000):
            Entity.objects.filter(pk__in=stop_ids[start : start + 5000]).update(is_stop=True)
        audit_record(
            action="analytics.networks_rebuilt",
            detail={
                "networks": len(result.networks),
                "records": len(record_ids),
                "stop_entities": len(stop_ids),
            },
        )
    progress("done", 100)
    return {
        "networks": len(result.networks),
        "records": len(record_ids),
        "mentions": len(rows),
        "stop_entities": len(result.stop_entities),
    }
