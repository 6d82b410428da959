"""The identifier-link graph: records that share an entity key belong to one network.

Records ("report:123", "case:9", "ad:77") and entity keys ("phone:+12025550123", see
``extraction.Entity.link_key``) form a bipartite graph with one edge per mention. A *network* is a
connected component of that graph, so two records are in one network when a chain of shared keys
joins them.

Two safeguards keep the networks meaningful:

* **Stop-entities.** A key mentioned by more than ``max_records_per_entity`` records (a hotline
  number, "domain:gmail.com") or listed explicitly is left out of the graph: it would otherwise glue
  unrelated records together. The result names every stop-entity with its record count, so a
  reviewer can see what was ignored.
* **Communities.** A network larger than ``max_network_size`` records is split into communities
  with Leiden (modularity, on the record–record graph whose edge weights count shared keys). The
  network id stays the connected component; the community id says which part of it a record is in.

Pure numpy/scipy/igraph, no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import igraph
import leidenalg
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = [
    "Network",
    "NetworkResult",
    "NetworkSettings",
    "NetworkTouch",
    "StopEntity",
    "build_networks",
    "build_networks_from_mentions",
    "networks_touched",
]


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """Tuning of :func:`build_networks`; the defaults suit hotline reports and ads."""

    max_records_per_entity: int = 50
    stop_entities: frozenset[str] = frozenset()
    max_network_size: int = 500
    min_listed_size: int = 2
    leiden_resolution: float = 1.0
    seed: int = 0


@dataclass(frozen=True, slots=True)
class StopEntity:
    key: str
    record_count: int
    listed: bool  # True when named in settings, False when excluded for being too common


@dataclass(frozen=True, slots=True)
class Network:
    network_id: int
    records: tuple[str, ...]
    entities: tuple[str, ...]
    communities: tuple[tuple[str, ...], ...] = ()  # empty unless the network was split

    @property
    def size(self) -> int:
        return len(self.records)


@dataclass(frozen=True, slots=True)
class NetworkResult:
    """Every record's network and community, and the networks worth listing.

    ``record_ids[i]`` is in network ``network_ids[i]`` and community ``community_ids[i]`` (0 for
    networks that were not split). Every record has a network id, a record without shared keys is
    a network of one; ``networks`` lists only networks of at least ``min_listed_size`` records,
    largest first. ``entity_keys[j]`` (not a stop-entity) belongs to network ``entity_network_ids[j]``.
    """

    record_ids: Sequence[str]
    network_ids: np.ndarray
    community_ids: np.ndarray
    networks: tuple[Network, ...]
    stop_entities: tuple[StopEntity, ...]
    entity_keys: np.ndarray  # of str (dtype object)
    entity_network_ids: np.ndarray
    network_count: int

    def assignments(self) -> dict[str, tuple[int, int]]:
        """record id → (network id, community id)."""
        return {
            record: (int(network), int(community))
            for record, network, community in zip(
                self.record_ids, self.network_ids, self.community_ids, strict=True
            )
        }

    def entity_index(self) -> dict[str, int]:
        """entity key → network id, for :func:`networks_touched`; stop-entities are absent."""
        return {
            key: int(network)
            for key, network in zip(self.entity_keys, self.entity_network_ids, strict=True)
            if network >= 0
        }


@dataclass(frozen=True, slots=True)
class NetworkTouch:
    network_id: int
    shared_keys: tuple[str, ...]


@dataclass(slots=True)
class _Mentions:
    """Deduplicated record–entity pairs as integer codes."""

    record_ids: list[str]
    entity_keys: np.ndarray
    record_codes: np.ndarray
    entity_codes: np.ndarray
    records_per_entity: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.records_per_entity = np.bincount(self.entity_codes, minlength=len(self.entity_keys))


def build_networks(
    record_keys: Iterable[tuple[str, Iterable[str]]], *, settings: NetworkSettings = NetworkSettings()
) -> NetworkResult:
    """Networks of records linked by shared entity keys.

    ``record_keys`` yields each record id once with its entity keys (repeats are harmless).
    Guarantees: two records share a network id exactly when a chain of non-stop keys joins them;
    network ids are 0…n-1 in order of each network's first record in the input, so the result is
    deterministic for a given input order and settings.
    """
    record_ids: list[str] = []
    mention_records: list[int] = []
    mention_keys: list[str] = []
    for record_code, (record_id, keys) in enumerate(record_keys):
        record_ids.append(record_id)
        for key in keys:
            mention_records.append(record_code)
            mention_keys.append(key)
    return build_networks_from_mentions(
        record_ids, np.asarray(mention_records, dtype=np.int64), mention_keys, settings=settings
    )


def build_networks_from_mentions(
    record_ids: Sequence[str],
    mention_records: np.ndarray,
    mention_keys: Sequence[str],
    *,
    settings: NetworkSettings = NetworkSettings(),
) -> NetworkResult:
    """:func:`build_networks` on columnar input: mention ``i`` is key ``mention_keys[i]`` in record
    ``record_ids[mention_records[i]]``. The fast path for millions of mentions."""
    mentions = _encode(list(record_ids), np.asarray(mention_records, dtype=np.int64), mention_keys)
    stop_mask = _stop_mask(mentions, settings)
    keep = ~stop_mask[mentions.entity_codes]
    record_codes = mentions.record_codes[keep]
    entity_codes = mentions.entity_codes[keep]

    n_records = len(mentions.record_ids)
    n_entities = len(mentions.entity_keys)
    labels = _component_labels(n_records, n_entities, record_codes, entity_codes)
    network_ids = labels[:n_records]
    entity_network_ids = np.where(stop_mask, -1, labels[n_records:])
    network_count = int(network_ids.max()) + 1 if n_records else 0

    community_ids = np.zeros(n_records, dtype=np.int64)
    networks = _list_networks(mentions, network_ids, entity_network_ids, community_ids, record_codes,
                              entity_codes, settings)  # fmt: skip
    stop_entities = tuple(
        sorted(
            (
                StopEntity(
                    str(mentions.entity_keys[code]),
                    int(mentions.records_per_entity[code]),
                    str(mentions.entity_keys[code]) in settings.stop_entities,
                )
                for code in np.flatnonzero(stop_mask)
            ),
            key=lambda stop: (-stop.record_count, stop.key),
        )
    )
    return NetworkResult(
        record_ids=mentions.record_ids,
        network_ids=network_ids,
        community_ids=community_ids,
        networks=networks,
        stop_entities=stop_entities,
        entity_keys=mentions.entity_keys,
        entity_network_ids=entity_network_ids,
        network_count=network_count,
    )


def _encode(record_ids: list[str], mention_records: np.ndarray, mention_keys: Sequence[str]) -> _Mentions:
    if len(set(record_ids)) != len(record_ids):
        raise ValueError("record ids must be unique; give each record once with all its keys")
    entity_codes, entity_keys = pd.factorize(pd.Series(mention_keys, dtype=object), sort=False)
    entity_codes = entity_codes.astype(np.int64)
    n_entities = len(entity_keys)
    # One mention per (record, entity): a record naming a phone twice still counts once.
    pairs = np.unique(mention_records * max(n_entities, 1) + entity_codes)
    return _Mentions(
        record_ids=record_ids,
        entity_keys=np.asarray(entity_keys, dtype=object),
        record_codes=pairs // max(n_entities, 1),
        entity_codes=pairs % max(n_entities, 1),
    )


def _stop_mask(mentions: _Mentions, settings: NetworkSettings) -> np.ndarray:
    too_common = mentions.records_per_entity > settings.max_records_per_entity
    if settings.stop_entities:
        listed = np.fromiter(
            (key in settings.stop_entities for key in mentions.entity_keys),
            dtype=bool,
            count=len(mentions.entity_keys),
        )
        stop: np.ndarray = too_common | listed
        return stop
    return too_common


def _component_labels(
    n_records: int, n_entities: int, record_codes: np.ndarray, entity_codes: np.ndarray
) -> np.ndarray:
    """Component label per node (records first, then entities), numbered by first record."""
    n_nodes = n_records + n_entities
    if n_nodes == 0:
        return np.zeros(0, dtype=np.int64)
    graph = coo_matrix(
        (np.ones(len(record_codes), dtype=np.int8), (record_codes, entity_codes + n_records)),
        shape=(n_nodes, n_nodes),
    ).tocsr()
    _, raw = connected_components(graph, directed=False)
    # Renumber so network ids follow record order; components holding only entities come last.
    _, first_node = np.unique(raw, return_index=True)
    order = np.argsort(first_node, kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    labels: np.ndarray = renumber[raw].astype(np.int64)
    return labels


def _list_networks(
    mentions: _Mentions,
    network_ids: np.ndarray,
    entity_network_ids: np.ndarray,
    community_ids: np.ndarray,
    record_codes: np.ndarray,
    entity_codes: np.ndarray,
    settings: NetworkSettings,
) -> tuple[Network, ...]:
    """Networks of at least ``min_listed_size`` records; fills ``community_ids`` for split ones."""
    sizes = np.bincount(network_ids) if len(network_ids) else np.zeros(0, dtype=np.int64)
    listed_ids = np.flatnonzero(sizes >= max(settings.min_listed_size, 1))
    if len(listed_ids) == 0:
        return ()
    records_by_network = _group(network_ids, listed_ids)
    entities_by_network = _group(entity_network_ids, listed_ids)
    networks = []
    for network_id in listed_ids.tolist():
        members = records_by_network[network_id]
        communities: tuple[tuple[str, ...], ...] = ()
        if len(members) > settings.max_network_size:
            member_communities = _leiden_communities(members, record_codes, entity_codes, settings)
            community_ids[members] = member_communities
            communities = tuple(
                tuple(mentions.record_ids[r] for r in members[member_communities == c])
                for c in range(int(member_communities.max()) + 1)
            )
        networks.append(
            Network(
                network_id=int(network_id),
                records=tuple(mentions.record_ids[r] for r in members),
                entities=tuple(str(mentions.entity_keys[e]) for e in entities_by_network[network_id]),
                communities=communities,
            )
        )
    networks.sort(key=lambda network: (-network.size, network.network_id))
    return tuple(networks)


def _group(labels: np.ndarray, wanted: np.ndarray) -> dict[int, np.ndarray]:
    """Positions of each wanted label, in ascending position order."""
    is_wanted = np.zeros(int(max(labels.max(initial=-1), wanted.max(initial=-1))) + 2, dtype=bool)
    is_wanted[wanted] = True
    positions = np.flatnonzero(is_wanted[labels])  # label -1 maps to the spare last slot
    order = np.argsort(labels[positions], kind="stable")
    positions = positions[order]
    sorted_labels = labels[positions]
    boundaries = np.flatnonzero(np.diff(sorted_labels)) + 1
    groups = np.split(positions, boundaries)
    return {int(labels[group[0]]): group for group in groups if len(group)}


def _leiden_communities(
    members: np.ndarray, record_codes: np.ndarray, entity_codes: np.ndarray, settings: NetworkSettings
) -> np.ndarray:
    """Community index (0…k-1, in order of first member) of each member of one large network."""
    local = {int(record): i for i, record in enumerate(members)}
    in_network = np.isin(record_codes, members)
    records_by_entity: dict[int, list[int]] = defaultdict(list)
    for record, entity in zip(record_codes[in_network], entity_codes[in_network], strict=True):
        records_by_entity[int(entity)].append(local[int(record)])
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for linked in records_by_entity.values():
        for i, a in enumerate(linked):
            for b in linked[i + 1 :]:
                weights[(a, b) if a < b else (b, a)] += 1.0
    graph = igraph.Graph(n=len(members), edges=list(weights))
    graph.es["weight"] = list(weights.values())
    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=settings.leiden_resolution,
        seed=settings.seed,
    )
    raw = np.asarray(partition.membership, dtype=np.int64)
    _, first = np.unique(raw, return_index=True)
    order = np.argsort(first, kind="stable")
    renumber = np.empty_like(order)
    renumber[order] = np.arange(len(order))
    return renumber[raw]


def networks_touched(
    entity_keys: Iterable[str],
    index: Mapping[str, int],
    *,
    stop_entities: Container[str] = frozenset(),
) -> list[NetworkTouch]:
    """The existing networks a new record's keys touch, for alert-on-intake.

    ``index`` is entity key → network id (:meth:`NetworkResult.entity_index`). Costs one lookup per
    key. Stop-entities never count as a touch. Ordered by most shared keys, then network id.
    """
    shared: dict[int, list[str]] = {}
    for key in dict.fromkeys(entity_keys):
        if key in stop_entities:
            continue
        network_id = index.get(key)
        if network_id is not None:
            shared.setdefault(network_id, []).append(key)
    touches = [NetworkTouch(network_id, tuple(keys)) for network_id, keys in shared.items()]
    touches.sort(key=lambda touch: (-len(touch.shared_keys), touch.network_id))
    return touches
