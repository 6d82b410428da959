"""Every write analytics makes: entities and mentions, networks, alerts, ad imports, link reviews.

Services are keyword-only and take ids or rows, never requests. Batch work reports progress
through a callback so status pages and ``analytics_rebuild`` can show it. What people do
(importing ads, deciding a link) is audited; what the system derives (entities, networks) is
recorded as one audit event per run, not per row.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safeguard.accounts.access import Actor
from safeguard.analytics import adclusters, extraction, fraudsigns, networks, records
from safeguard.analytics.linking import Decision, LinkageOptions, PersonMention, link_people
from safeguard.analytics.masking import mask_value
from safeguard.analytics.models import (
    LINKING_KINDS,
    Ad,
    AdCluster,
    AdImport,
    AnalyticsRun,
    Entity,
    EntityKind,
    JobStatus,
    LinkStatus,
    Mention,
    Network,
    NetworkMembership,
    PersonLinkCandidate,
    RecordType,
)
from safeguard.core.audit import audit_record
from safeguard.core.fields import blind_index_for

logger = logging.getLogger(__name__)

Progress = Callable[[str, int], None]  # (phase, percent)


def _no_progress(phase: str, percent: int) -> None:
    return None


# Records that name more distinct other records through one entity than this link nothing
# through it (a hotline number, a big agency's domain): see networks.NetworkSettings.
MAX_RECORDS_PER_ENTITY = 50
MAX_NETWORK_SIZE = 500
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
_REGION_CODE = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")


def entity_index(kind: str, key: str) -> str:
    """The blind index of a canonical key; the same purpose as intake's identifier index."""
    return blind_index_for(key, purpose=kind)


def _readable(kind: str, key: str) -> tuple[str, str]:
    """(plain label, value to encrypt) for an entity's canonical key."""
    if kind == EntityKind.DOMAIN or (kind == EntityKind.PLACE and _REGION_CODE.match(key)):
        return key[:200], ""
    return "", key


# ---------------------------------------------------------------------------------------------
# Entities and mentions


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


def snapshot_of(record_type: str, record_id: int) -> records.RecordSnapshot | None:
    if record_type == RecordType.REPORT:
        report = records.load_report(record_id)
        return records.report_snapshot(report) if report is not None else None
    if record_type == RecordType.CASE:
        case = records.load_case(record_id)
        return records.case_snapshot(case) if case is not None else None
    ad = Ad.objects.filter(pk=record_id).first()
    return records.ad_snapshot(ad) if ad is not None else None


# ---------------------------------------------------------------------------------------------
# Networks, incrementally


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
    touches = networks.networks_touched([str(row.pk) for row in shared], index)
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
    snapshot = snapshot_of(record_type, record_id)
    if snapshot is None:
        record_forget(record_type=record_type, record_id=record_id)
        return None
    return network_attach(extracted=record_extract(snapshot=snapshot))


# ---------------------------------------------------------------------------------------------
# Alert on intake


ALERT_LEVEL = "high"
# The order shared identifiers are named in: the most telling first.
KIND_ORDER = [
    EntityKind.PHONE,
    EntityKind.EMAIL,
    EntityKind.HANDLE,
    EntityKind.URL,
    EntityKind.PLATE,
    EntityKind.DOMAIN,
    EntityKind.NAME,
    EntityKind.PLACE,
]


@dataclass(frozen=True)
class Alert:
    network_id: int
    reports: int
    cases: int
    ads: int
    shared: tuple[dict[str, str], ...]  # {"kind", "masked"}
    reason: str


def _alert_for(report: Any, extracted: Extracted, touch: Touch) -> Alert | None:
    """What the receiving organisation may learn: only its own records count.

    A network reaching into another organisation's records raises nothing and counts nothing
    from them, so an operator learns nothing about records they cannot see.
    """
    organisation_id = report.organisation_id
    if organisation_id is None:
        return None
    own_shared = set(
        Mention.objects.filter(entity__in=touch.shared, organisation_id=organisation_id)
        .exclude(record_type=RecordType.REPORT, record_id=report.pk)
        .values_list("entity_id", flat=True)
    )
    if not own_shared:
        return None
    counts = Counter(
        touch.network.memberships.filter(organisation_id=organisation_id)
        .exclude(record_type=RecordType.REPORT, record_id=report.pk)
        .values_list("record_type", flat=True)
    )
    key_of = {row.pk: key for key, row in extracted.entities.items()}
    shared = tuple(
        {"kind": key_of[row.pk][0], "masked": mask_value(key_of[row.pk][0], key_of[row.pk][1])}
        for row in sorted(touch.shared, key=lambda r: (KIND_ORDER.index(r.kind), r.pk))
        if row.pk in own_shared
    )
    parts = [
        ngettext("%(n)d report", "%(n)d reports", counts[RecordType.REPORT])
        % {"n": counts[RecordType.REPORT]}
    ]
    if counts[RecordType.CASE]:
        parts.append(
            ngettext("%(n)d case", "%(n)d cases", counts[RecordType.CASE]) % {"n": counts[RecordType.CASE]}
        )
    if counts[RecordType.AD]:
        parts.append(ngettext("%(n)d ad", "%(n)d ads", counts[RecordType.AD]) % {"n": counts[RecordType.AD]})
    through = ", ".join(f"{EntityKind(item['kind']).label.lower()} {item['masked']}" for item in shared)
    reason = _("Linked to network %(network)d (%(records)s) through %(through)s") % {
        "network": touch.network.pk,
        "records": ", ".join(parts),
        "through": through,
    }
    return Alert(
        network_id=touch.network.pk,
        reports=counts[RecordType.REPORT],
        cases=counts[RecordType.CASE],
        ads=counts[RecordType.AD],
        shared=shared,
        reason=reason,
    )


def report_check_networks(*, report_id: int) -> Alert | None:
    """Analyse a new report and, when it shares an identifier with a network its organisation
    knows, raise its urgency through intake with the reason and the shared identifiers (kinds
    and masked values only). Idempotent: a network is named at most once per report."""
    report = records.load_report(report_id)
    if report is None:
        return None
    snapshot = records.report_snapshot(report)
    with transaction.atomic():
        extracted = record_extract(snapshot=snapshot)
        touch = network_attach(extracted=extracted)
        if touch is None:
            return None
        alert = _alert_for(report, extracted, touch)
        if alert is None:
            return None
        raise_urgency = _intake_raise_urgency()
        UrgencyRaise = records.model_or_none("intake.UrgencyRaise")
        if raise_urgency is None:
            logger.warning("intake has no report_raise_urgency; alert for report %s not raised", report_id)
            return alert
        if UrgencyRaise is not None and any(
            (raised.detail or {}).get("network") == alert.network_id
            for raised in UrgencyRaise.objects.filter(report_id=report_id)
        ):
            return alert
        raise_urgency(
            report=report,
            level=ALERT_LEVEL,
            reason=alert.reason,
            detail={
                "source": "analytics",
                "network": alert.network_id,
                "reports": alert.reports,
                "cases": alert.cases,
                "ads": alert.ads,
                "shared": list(alert.shared),
            },
        )
    return alert


def _intake_raise_urgency() -> Callable[..., Any] | None:
    try:
        from safeguard.intake.services import report_raise_urgency
    except ImportError:
        return None
    return report_raise_urgency


# ---------------------------------------------------------------------------------------------
# Networks, in batch


def records_extract_all(*, progress: Progress = _no_progress) -> dict[str, int]:
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


def networks_rebuild(*, progress: Progress = _no_progress) -> dict[str, int]:
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
    result = networks.build_networks_from_mentions(
        record_ids,
        mention_records,
        mention_keys,
        settings=networks.NetworkSettings(
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
                record_type, record_id = record.split(":")
                memberships.append(
                    NetworkMembership(
                        network_id=stored.pk,
                        record_type=record_type,
                        record_id=int(record_id),
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


def run_create(*, kind: str, organisation: Any = None) -> AnalyticsRun:
    return AnalyticsRun.objects.create(kind=kind, organisation=organisation)


def _run_progress(run_id: int) -> Progress:
    def report(phase: str, percent: int) -> None:
        AnalyticsRun.objects.filter(pk=run_id).update(phase=phase[:40], progress=max(0, min(percent, 100)))

    return report


def run_execute(*, run_id: int) -> AnalyticsRun:
    """Carry out a queued batch run, recording progress, result or failure on the run."""
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


# ---------------------------------------------------------------------------------------------
# Person linking


def _person_mentions(organisation_id: int) -> list[PersonMention]:
    """Person mentions in one organisation's reports and cases; linking never crosses organisations."""
    mentions: list[PersonMention] = []
    Report = records.model_or_none("intake.Report")
    if Report is not None:
        for report in Report.objects.filter(organisation_id=organisation_id).prefetch_related("identifiers"):
            mentions.extend(records.report_snapshot(report).persons)
    Case = records.model_or_none("cases.Case")
    if Case is not None:
        cases = (
            Case.objects.filter(organisation_id=organisation_id)
            .select_related("person")
            .prefetch_related("perpetrators")
        )
        for case in cases:
            mentions.extend(records.case_snapshot(case).persons)
    return mentions


def person_linking_run(*, organisation_id: int | None, progress: Progress = _no_progress) -> dict[str, int]:
    if organisation_id is None:
        raise ValueError("person linking runs for one organisation")
    progress("reading", 5)
    mentions = _person_mentions(organisation_id)
    progress("linking", 30)
    return link_review_update(organisation_id=organisation_id, mentions=mentions)


def link_review_update(
    *, organisation_id: int, mentions: Sequence[PersonMention], options: LinkageOptions | None = None
) -> dict[str, int]:
    """Link person mentions with the analysts' decisions and refresh the review queue.

    Guarantees: decided pairs are never asked again and are passed to the model (a confirmed
    pair is always linked, a rejected pair never); pending pairs the model no longer finds
    uncertain leave the queue; new uncertain pairs join it.
    """
    decided = PersonLinkCandidate.objects.filter(organisation_id=organisation_id).exclude(
        status=LinkStatus.PENDING
    )
    decisions = [
        Decision(row.left_id, row.right_id, same_person=row.status == LinkStatus.CONFIRMED) for row in decided
    ]
    if len(mentions) < 2:
        result_pairs: tuple = ()
        linked = 0
    else:
        result = link_people(mentions, decisions=decisions, options=options)
        result_pairs = result.review_pairs
        linked = len(result.linked_pairs)
    decided_pairs = {frozenset((d.left_id, d.right_id)) for d in decisions}
    wanted = {
        tuple(sorted((pair.left_id, pair.right_id))): pair.match_probability
        for pair in result_pairs
        if frozenset((pair.left_id, pair.right_id)) not in decided_pairs
    }
    now = timezone.now()
    with transaction.atomic():
        pending = PersonLinkCandidate.objects.filter(
            organisation_id=organisation_id, status=LinkStatus.PENDING
        )
        known = {(row.left_id, row.right_id): row for row in pending}
        stale = [row.pk for pair, row in known.items() if pair not in wanted]
        PersonLinkCandidate.objects.filter(pk__in=stale).delete()
        for (left, right), probability in wanted.items():
            row = known.get((left, right))
            if row is None:
                PersonLinkCandidate.objects.create(
                    organisation_id=organisation_id,
                    left_id=left,
                    right_id=right,
                    probability=round(probability, 4),
                    created_at=now,
                    updated_at=now,
                )
            else:
                row.probability = round(probability, 4)
                row.updated_at = now
                row.save(update_fields=["probability", "updated_at"])
    return {"mentions": len(mentions), "review": len(wanted), "linked": linked, "decisions": len(decisions)}


@transaction.atomic
def link_decide(*, candidate: PersonLinkCandidate, same_person: bool, actor: Actor) -> PersonLinkCandidate:
    """Record an analyst's verdict on a pair; kept and applied by every later linking run."""
    if candidate.organisation_id != getattr(actor.organisation, "pk", None):
        raise ValidationError({"candidate": _("This pair belongs to another organisation.")})
    candidate.status = LinkStatus.CONFIRMED if same_person else LinkStatus.REJECTED
    candidate.decided_by = actor.user
    candidate.decided_at = timezone.now()
    candidate.updated_at = candidate.decided_at
    candidate.full_clean()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        action="analytics.link_decided",
        actor=actor.user,
        organisation=actor.organisation,
        target=candidate,
        detail={"status": candidate.status},
    )
    return candidate


# ---------------------------------------------------------------------------------------------
# Ads


MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def ad_import_create(*, actor: Actor, filename: str, content: bytes) -> AdImport:
    """Accept a CSV or JSON Lines file of ads for processing by a worker; nothing is parsed yet."""
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
        actor=actor.user,
        organisation=actor.organisation,
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
    """
    from safeguard.analytics import adfiles

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
                                    "phone", phone, default_region=records._region_of(row.location)
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


def _opaque(key: str) -> str:
    # adclusters.normalise_identifier reads digit-bearing strings as phones (last ten digits);
    # a blind key is hex, so it is passed in the one shape that function keeps whole.
    return f"{key}@blind"


def _slot_values(kind: str, values: Iterable[tuple[str, int]]) -> list[list[Any]]:
    if kind in ("phone", "email"):
        merged: Counter[str] = Counter()
        for value, count in values:
            merged[mask_value(kind, value)] += count
        return [[value, count] for value, count in merged.most_common()]
    return [[value, count] for value, count in values]


def ads_cluster(*, organisation_id: int, progress: Progress = _no_progress) -> dict[str, int]:
    """Cluster every ad of an organisation by template and join clusters into organised groups."""
    stored = list(Ad.objects.filter(organisation_id=organisation_id).order_by("pk"))
    ads = [
        adclusters.Ad(
            ad_id=str(ad.pk),
            text=ad.text,
            site=ad.site,
            posted_at=ad.posted_at,
            identifiers=tuple(_opaque(key) for key in ad.phone_keys),
            location=ad.location,
        )
        for ad in stored
    ]

    def report(phase: str, total: int, done_now: int) -> None:
        progress(f"clustering ({phase})", 10 if phase == "minhash" else 60)

    result = adclusters.cluster_ads(ads, progress=report)
    progress("grouping", 80)
    groups = adclusters.find_organised_groups(ads, result)
    group_of: dict[int, tuple[int, float]] = {}
    for group in groups:
        for cluster_id in group.cluster_ids:
            group_of[cluster_id] = (group.group_id, group.score)
    posted = {str(ad.pk): ad.posted_at for ad in stored}
    sites = {str(ad.pk): ad.site for ad in stored}
    with transaction.atomic():
        AdCluster.objects.filter(organisation_id=organisation_id).delete()
        for cluster in result.clusters:
            times = [posted[a] for a in cluster.ad_ids if posted[a] is not None]
            template = cluster.template
            group = group_of.get(cluster.cluster_id)
            row = AdCluster.objects.create(
                organisation_id=organisation_id,
                template_tokens=list(template.tokens) if template else [],
                slots=[
                    {"name": slot.name, "kind": slot.kind, "values": _slot_values(slot.kind, slot.values)}
                    for slot in (template.slots if template else ())
                ],
                size=cluster.size,
                sites=sorted({sites[a] for a in cluster.ad_ids if sites[a]}),
                group=group[0] if group else None,
                group_score=group[1] if group else None,
                first_posted=min(times) if times else None,
                last_posted=max(times) if times else None,
            )
            Ad.objects.filter(pk__in=[int(a) for a in cluster.ad_ids]).update(cluster=row)
    progress("clustered", 100)
    return {"ads": len(ads), "clusters": len(result.clusters), "groups": len(groups)}
