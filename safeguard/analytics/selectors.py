"""Reads for analytics pages and the API, always through ``access`` so nothing hidden shows."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Count, Max, Min, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import Actor
from safeguard.analytics import access, extraction, hotspots, records
from safeguard.analytics.hotspots import Hotspot, TrendPoint
from safeguard.analytics.linking import PersonMention
from safeguard.analytics.masking import mask_value
from safeguard.analytics.models import (
    LINKING_KINDS,
    Ad,
    AnalyticsRun,
    Entity,
    EntityKind,
    LinkStatus,
    Mention,
    Network,
    PersonLinkCandidate,
    RecordType,
)
from safeguard.analytics.services.entities import entity_index
from safeguard.cases.models import Case
from safeguard.core import identifiers
from safeguard.core.geography import subdivision_name
from safeguard.intake.models import Report


def entity_value(entity: Entity) -> str:
    return entity.label or entity.value or ""


def entity_masked(entity: Entity) -> str:
    return mask_value(entity.kind, entity_value(entity))


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class RecordRef:
    record_type: str
    record_id: int
    label: str
    url: str
    occurred_at: dt.datetime | None
    place: str

    @property
    def key(self) -> str:
        return f"{self.record_type}:{self.record_id}"


def record_refs(pairs: list[tuple[str, int]]) -> dict[tuple[str, int], RecordRef]:
    """Labels and links of records (the caller has already checked they are visible)."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for record_type, record_id in pairs:
        by_type[record_type].append(record_id)
    refs: dict[tuple[str, int], RecordRef] = {}
    if by_type.get(RecordType.REPORT):
        for pk, reference, created_at, subdivision in Report.objects.filter(
            pk__in=by_type[RecordType.REPORT]
        ).values_list("pk", "reference", "created_at", "subdivision"):
            refs[(RecordType.REPORT, pk)] = RecordRef(
                RecordType.REPORT, pk, reference, _url("intake:report", pk), created_at, subdivision
            )
    if by_type.get(RecordType.CASE):
        for pk, reference, registered_at, subdivision in Case.objects.filter(
            pk__in=by_type[RecordType.CASE]
        ).values_list("pk", "reference", "registered_at", "person__subdivision"):
            refs[(RecordType.CASE, pk)] = RecordRef(
                RecordType.CASE, pk, reference, _url("cases:detail", pk), registered_at, subdivision or ""
            )
    for pk, external_id, posted_at, location, cluster_id in Ad.objects.filter(
        pk__in=by_type.get(RecordType.AD, [])
    ).values_list("pk", "external_id", "posted_at", "location", "cluster_id"):
        refs[(RecordType.AD, pk)] = RecordRef(
            RecordType.AD,
            pk,
            f"ad {external_id}",
            _url("analytics:ad_cluster", cluster_id) if cluster_id else "",
            posted_at,
            location,
        )
    return refs


# ---------------------------------------------------------------------------------------------
# Entities


@dataclass(frozen=True)
class EntityPage:
    entity: Entity
    value: str
    records: list[RecordRef]
    timeline: list[tuple[dt.date, int]]
    places: list[tuple[str, str, int]]  # (code, name, count)
    network: Network | None
    verified: bool = True  # False: kept as reported, "could not be verified"


def entity_verified(entity: Entity) -> bool:
    """Whether the entity's key is a verified normal form (a valid phone number …)."""
    return identifiers.is_verified_key(entity.kind, entity_value(entity))


def entity_page(actor: Actor, entity: Entity) -> EntityPage:
    mentions = list(
        access.mentions_visible_to(actor)
        .filter(entity=entity)
        .values_list("record_type", "record_id", "occurred_at", "subdivision")
    )
    refs = record_refs([(t, i) for t, i, _at, _sub in mentions])
    rows = sorted(
        (refs[(t, i)] for t, i, _at, _sub in mentions if (t, i) in refs),
        key=lambda ref: ref.occurred_at or dt.datetime.min.replace(tzinfo=dt.UTC),
        reverse=True,
    )
    weeks: Counter[dt.date] = Counter()
    for _t, _i, occurred_at, _sub in mentions:
        if occurred_at:
            day = occurred_at.date()
            weeks[day - dt.timedelta(days=day.weekday())] += 1
    places = Counter(sub for _t, _i, _at, sub in mentions if sub)
    visible_network = None
    if (
        entity.network_id
        and access.memberships_visible_to(actor).filter(network_id=entity.network_id).exists()
    ):
        visible_network = entity.network
    return EntityPage(
        entity=entity,
        value=entity_value(entity),
        records=rows,
        timeline=sorted(weeks.items()),
        places=[(code, subdivision_name(code), n) for code, n in places.most_common()],
        network=visible_network,
        verified=entity_verified(entity),
    )


def entity_search(actor: Actor, kind: str, typed: str) -> Entity | None:
    """The entity a typed value stands for, if a visible record mentions it."""
    try:
        key = extraction.normalise(kind, typed, default_region=None)
    except ValueError:
        return None
    if key is None and kind in identifiers.KINDS and typed.strip():
        key = identifiers.normal_form(kind, typed).key  # an unverified value, as reported
    if key is None:
        return None
    entity = Entity.objects.filter(kind=kind, key_index=entity_index(kind, key)).first()
    if entity is None or not access.mentions_visible_to(actor).filter(entity=entity).exists():
        return None
    return entity


# ---------------------------------------------------------------------------------------------
# Networks


@dataclass(frozen=True)
class NetworkFigures:
    """A network as one viewer may know it: every figure is computed over the records of the
    network that the viewer may see, never over the stored platform-wide ``Network`` columns
    (which count every organisation's records and would leak their dates and identifiers)."""

    visible_records: int
    shared_identifiers: int  # linking identifiers mentioned by at least two visible records
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None


def network_figures(actor: Actor, network_ids: list[int]) -> dict[int, NetworkFigures]:
    """Figures of the given networks over the actor's visible records; a network with no
    visible record is absent."""
    members = (
        access.memberships_visible_to(actor)
        .filter(network_id__in=network_ids)
        .values("network_id")
        .annotate(visible=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by()
    )
    shared = Counter(
        network_id
        for network_id, _entity_id in access.mentions_visible_to(actor)
        .filter(
            entity__network_id__in=network_ids,
            entity__is_stop=False,
            entity__kind__in=list(LINKING_KINDS),
        )
        .values("entity__network_id", "entity_id")
        .annotate(records=Count("id"))
        .filter(records__gte=2)
        .values_list("entity__network_id", "entity_id")
    )
    return {
        row["network_id"]: NetworkFigures(
            visible_records=row["visible"],
            shared_identifiers=shared[row["network_id"]],
            first_seen=row["first"],
            last_seen=row["last"],
        )
        for row in members
    }


def networks_list(actor: Actor) -> list[dict[str, Any]]:
    """Visible networks (at least two visible records), with their figures for the actor."""
    rows = (
        access.memberships_visible_to(actor)
        .values("network_id")
        .annotate(visible=Count("id"))
        .filter(visible__gte=2)
        .order_by("-visible", "network_id")
    )
    listed = [row["network_id"] for row in rows[:200]]
    networks = {n.pk: n for n in Network.objects.filter(pk__in=listed)}
    figures = network_figures(actor, listed)
    return [
        {"network": networks[network_id], "figures": figures[network_id]}
        for network_id in listed
        if network_id in networks and network_id in figures
    ]


@dataclass(frozen=True)
class GraphFilter:
    kinds: frozenset[str]
    since: dt.date | None = None
    until: dt.date | None = None


def network_graph(actor: Actor, network: Network, graph_filter: GraphFilter) -> dict[str, Any]:
    """Nodes (visible records, and entities they mention) and edges (mentions) for the graph.

    Entity labels are masked: the full value is on the entity page, which is audited.
    """
    members = access.memberships_visible_to(actor).filter(network=network)
    if graph_filter.since:
        members = members.filter(occurred_at__date__gte=graph_filter.since)
    if graph_filter.until:
        members = members.filter(occurred_at__date__lte=graph_filter.until)
    pairs = list(members.values_list("record_type", "record_id")[:1000])
    refs = record_refs(pairs)
    mentions = list(
        Mention.objects.filter(
            record_id__in=[record_id for _t, record_id in pairs],
            entity__kind__in=list(graph_filter.kinds),
            entity__is_stop=False,
        )
        .select_related("entity")
        .only("record_type", "record_id", "entity__id", "entity__kind", "entity__label", "entity__value")
    )
    visible = set(pairs)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    entity_nodes: dict[int, Entity] = {}
    degree: Counter[int] = Counter()
    for mention in mentions:
        if (mention.record_type, mention.record_id) not in visible:
            continue
        entity_nodes[mention.entity.pk] = mention.entity
        degree[mention.entity.pk] += 1
        edges.append(
            {
                "data": {
                    "id": f"m{mention.pk}",
                    "source": f"{mention.record_type}:{mention.record_id}",
                    "target": f"e{mention.entity.pk}",
                }
            }
        )
    for pair in pairs:
        ref = refs.get(pair)
        if ref is None:
            continue
        nodes.append(
            {
                "data": {
                    "id": ref.key,
                    "label": ref.label,
                    "type": "record",
                    "kind": ref.record_type,
                    "url": ref.url,
                    "when": ref.occurred_at.date().isoformat() if ref.occurred_at else "",
                }
            }
        )
    for pk, entity in entity_nodes.items():
        nodes.append(
            {
                "data": {
                    "id": f"e{pk}",
                    "label": entity_masked(entity),
                    "type": "entity",
                    "kind": entity.kind,
                    "kindLabel": str(EntityKind(entity.kind).label),
                    "url": reverse("analytics:entity", args=[pk]),
                    "shared": degree[pk] > 1,
                }
            }
        )
    return {"nodes": nodes, "edges": edges}


# ---------------------------------------------------------------------------------------------
# Hotspots


@dataclass(frozen=True)
class HotspotFilters:
    """Narrow the hotspot view to reports of one kind; any filter leaves cases out (they have none)."""

    exploitation_type: str = ""
    channel: str = ""
    min_urgency: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.exploitation_type or self.channel or self.min_urgency is not None)


def _events(
    actor: Actor,
    *,
    since: dt.datetime,
    until: dt.datetime | None = None,
    filters: HotspotFilters | None = None,
) -> pd.DataFrame:
    reports = access.reports_for(actor).filter(created_at__gte=since)
    cases = access.cases_for(actor).filter(registered_at__gte=since)
    if until is not None:
        reports = reports.filter(created_at__lt=until)
        cases = cases.filter(registered_at__lt=until)
    filters = filters or HotspotFilters()
    if filters.channel:
        reports = reports.filter(channel=filters.channel)
    if filters.min_urgency is not None:
        reports = reports.filter(urgency__gte=filters.min_urgency)
    rows: list[tuple[str, dt.datetime, Decimal | None, Decimal | None]] = [
        (sub, at, lat, lon)
        for sub, at, lat, lon, kinds in reports.values_list(
            "subdivision", "created_at", "latitude", "longitude", "exploitation_types"
        )
        # A JSON list: filtered here, as SQLite has no containment lookup for it.
        if not filters.exploitation_type or filters.exploitation_type in (kinds or [])
    ]
    if not filters.active:
        rows += [
            (sub, at, None, None) for sub, at in cases.values_list("person__subdivision", "registered_at")
        ]
    return pd.DataFrame(rows, columns=["area", "occurred_at", "lat", "lon"])


HOTSPOT_BASELINE_WEEKS = 8  # hotspots.detect_hotspots' default baseline


@dataclass(frozen=True)
class HotspotView:
    week: str
    hotspots: list[Hotspot]
    areas: list[dict[str, Any]]  # {"code", "name", "events", "expected", "ratio", "hot"}
    trends: dict[str, list[TrendPoint]]
    cells: list[dict[str, Any]]  # {"cell", "events", "boundary"}


def hotspot_view(
    actor: Actor,
    *,
    weeks: int = 12,
    today: dt.date | None = None,
    filters: HotspotFilters | None = None,
) -> HotspotView:
    """A week's counts by region against each region's own baseline, and H3 cells.

    ``today`` is any day of the week to look at (default: this week); events after that week
    are left out, so a past week reads as it did then. Only events since the start of the
    longest window needed (the trend or the baseline) are read, so the view costs the same
    however long the platform has been collecting.
    """
    today = today or dt.date.today()
    window_weeks = max(weeks, HOTSPOT_BASELINE_WEEKS) + 1
    start = today - dt.timedelta(days=today.weekday(), weeks=window_weeks)
    end = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=1)
    events = _events(
        actor,
        since=dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC),
        until=dt.datetime.combine(end, dt.time.min, tzinfo=dt.UTC),
        filters=filters,
    )
    by_area = events[events["area"].astype(bool)] if not events.empty else events
    counts = (
        hotspots.weekly_counts(by_area, last_week=today)
        if not by_area.empty
        else hotspots.weekly_counts(pd.DataFrame({"area": [], "occurred_at": []}))
    )
    week = hotspots.iso_week_label(today - dt.timedelta(days=today.weekday()))
    found = hotspots.detect_hotspots(counts, week=today, min_count=2, alpha=0.05) if not counts.empty else []
    hot = {spot.area: spot for spot in found}
    recent = (
        counts[counts["week_start"] >= pd.Timestamp(today - dt.timedelta(weeks=weeks))]
        if not counts.empty
        else counts
    )
    trends = hotspots.trend_series(recent) if not recent.empty else {}
    areas: list[dict[str, Any]] = []
    for code, points in trends.items():
        current = points[-1].events if points else 0
        spot = hot.get(code)
        areas.append(
            {
                "code": code,
                "name": subdivision_name(code),
                "events": current,
                "total": sum(p.events for p in points),
                "expected": spot.expected if spot else None,
                "ratio": spot.ratio if spot else None,
                "hot": spot is not None,
            }
        )
    areas.sort(key=lambda area: (not area["hot"], -area["events"], area["code"]))
    cells = []
    located = events.dropna(subset=["lat", "lon"]) if not events.empty else events
    if not located.empty:
        resolution = _h3_resolution(located)
        cell_ids = hotspots.h3_cells(
            located["lat"].astype(float), located["lon"].astype(float), resolution=resolution
        )
        import h3

        for cell, n in Counter(cell_ids).most_common(300):
            cells.append(
                {"cell": cell, "events": n, "boundary": h3.cell_to_boundary(cell), "resolution": resolution}
            )
    return HotspotView(week=week, hotspots=found, areas=areas, trends=trends, cells=cells)


def _h3_resolution(located: pd.DataFrame) -> int:
    """An H3 resolution that fits the map's extent: about 40 cells across the located points."""
    span = max(
        float(located["lat"].astype(float).max() - located["lat"].astype(float).min()),
        float(located["lon"].astype(float).max() - located["lon"].astype(float).min()),
        0.01,
    )
    # H3 edge lengths: resolution 3 ≈ 60 km, 4 ≈ 23 km, 5 ≈ 8.5 km, 6 ≈ 3.2 km (about 0.5°…0.03°).
    for resolution, cell_degrees in ((3, 1.0), (4, 0.4), (5, 0.15), (6, 0.06)):
        if span / cell_degrees <= 40:
            return resolution
    return 7


def link_queue(actor: Actor) -> QuerySet[PersonLinkCandidate]:
    return access.link_candidates_for(actor).filter(status=LinkStatus.PENDING)


def mention_label(mention_id: str) -> tuple[str, str]:
    """(record label, url) of a person-mention id like ``report:12:suspect:0``."""
    parts = mention_id.split(":")
    try:
        record_type, record_id = parts[0], int(parts[1])
    except (IndexError, ValueError):
        return mention_id, ""
    ref = record_refs([(record_type, record_id)]).get((record_type, record_id))
    role = " ".join(parts[2:])
    if ref is None:
        return mention_id, ""
    return f"{ref.label} · {role}", ref.url


def _person_details(actor: Actor, mention_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Name, aliases, age, gender and place of person mentions in records the actor may see."""
    wanted: dict[tuple[str, int], set[str]] = defaultdict(set)
    for mention_id in mention_ids:
        parts = mention_id.split(":")
        if len(parts) >= 2 and parts[1].isdigit():
            wanted[(parts[0], int(parts[1]))].add(mention_id)
    found: dict[str, dict[str, Any]] = {}
    refs = record_refs(list(wanted))
    for (record_type, record_id), ids in wanted.items():
        persons: list[PersonMention]
        if record_type == RecordType.REPORT:
            report = access.reports_for(actor).filter(pk=record_id).prefetch_related("identifiers").first()
            persons = records.report_snapshot(report).persons if report is not None else []
        elif record_type == RecordType.CASE:
            case = (
                access.cases_for(actor)
                .filter(pk=record_id)
                .select_related("person")
                .prefetch_related("perpetrators")
                .first()
            )
            persons = records.case_snapshot(case).persons if case is not None else []
        else:
            persons = []
        for person in persons:
            if person.record_id in ids:
                ref = refs.get((record_type, record_id))
                found[person.record_id] = {
                    "name": person.name,
                    "aliases": ", ".join(person.aliases),
                    "age": person.age,
                    "gender": person.gender or "",
                    "place": subdivision_name(person.place) if person.place else "",
                    "record": ref,
                }
    return found


_INTERNAL_COLUMN = re.compile(r"\bf\d+_(\w+)")
FIELD_LABELS = {
    "name": _("Name"),
    "name_variants": _("Name variants"),
    "birth_year": _("Year of birth"),
    "birth_date": _("Date of birth"),
    "gender": _("Gender"),
    "place": _("Place"),
    "country": _("Country"),
    "phone_keys": _("Phone numbers"),
    "email_keys": _("E-mail addresses"),
}


def link_explanation(candidate: PersonLinkCandidate) -> list[dict[str, Any]]:
    """The waterfall of a candidate pair: the prior, then each field's level and match weight,
    with the running total after each step (Splink's waterfall chart, as rows)."""
    rows: list[dict[str, Any]] = [
        {"label": str(_("Prior: any two people")), "level": "", "weight": candidate.prior_weight}
    ]
    for comparison in candidate.comparisons or []:
        column = str(comparison.get("column", ""))
        missing = int(comparison.get("gamma", 0)) == -1
        rows.append(
            {
                "label": str(FIELD_LABELS.get(column, column)),
                # Splink names fields by its internal column ("f0_name"); show the field's own name.
                "level": str(_("Missing in one or both"))
                if missing
                else _INTERNAL_COLUMN.sub(r"\1", str(comparison.get("level", ""))),
                "weight": float(comparison.get("weight", 0.0)),
            }
        )
    total = 0.0
    for row in rows:
        total += row["weight"]
        row["total"] = total
    return rows


def review_rows(actor: Actor, candidates: list[PersonLinkCandidate]) -> list[dict[str, Any]]:
    """Pairs to review, with both people as their records tell them and the waterfall of the
    model's score; a pair with a side the actor cannot see is left out rather than shown half."""
    details = _person_details(actor, {c.left_id for c in candidates} | {c.right_id for c in candidates})
    return [
        {
            "candidate": c,
            "left": details[c.left_id],
            "right": details[c.right_id],
            "waterfall": link_explanation(c),
        }
        for c in candidates
        if c.left_id in details and c.right_id in details
    ]


def recent_runs(actor: Actor, limit: int = 5) -> QuerySet[AnalyticsRun]:
    """The latest batch runs the actor may see, newest first (the model's order)."""
    return access.runs_visible_to(actor)[:limit]


def decided_links(actor: Actor, limit: int = 10) -> QuerySet[PersonLinkCandidate]:
    """The pairs analysts of the actor's organisation decided most recently."""
    decided = (
        access.link_candidates_for(actor).exclude(status=LinkStatus.PENDING).select_related("decided_by")
    )
    return decided.order_by("-decided_at")[:limit]
