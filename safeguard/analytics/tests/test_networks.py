"""Networks: records linked by shared entity keys, stop-entities, Leiden splits, intake lookups."""

from __future__ import annotations

import numpy as np
import pytest

from safeguard.analytics.networks import (
    Network,
    NetworkResult,
    NetworkSettings,
    NetworkTouch,
    StopEntity,
    build_networks,
    build_networks_from_mentions,
    networks_touched,
)


def by_record(result: NetworkResult) -> dict[str, int]:
    return {record: network for record, (network, _) in result.assignments().items()}


class TestComponents:
    def test_records_sharing_a_key_directly_or_through_a_chain_are_one_network(self) -> None:
        result = build_networks(
            [
                ("report:1", ["phone:+12025550123"]),
                ("report:2", ["phone:+12025550123", "handle:lola_x"]),
                ("case:9", ["handle:lola_x"]),
                ("ad:77", ["email:ana@example.com"]),
                ("report:3", []),
                ("ad:78", ["email:ana@example.com", "email:ana@example.com"]),
            ]
        )
        assert by_record(result) == {
            "report:1": 0, "report:2": 0, "case:9": 0, "ad:77": 1, "report:3": 2, "ad:78": 1,
        }  # fmt: skip
        assert result.network_count == 3
        assert result.networks == (
            Network(0, ("report:1", "report:2", "case:9"), ("phone:+12025550123", "handle:lola_x")),
            Network(1, ("ad:77", "ad:78"), ("email:ana@example.com",)),
        )
        assert [network.size for network in result.networks] == [3, 2]
        assert result.stop_entities == ()

    def test_networks_are_listed_largest_first_and_singletons_are_not_listed(self) -> None:
        result = build_networks([("a", ["k:1"]), ("b", ["k:2"]), ("c", ["k:2"]), ("d", ["k:2"])])
        assert [network.records for network in result.networks] == [("b", "c", "d")]
        assert by_record(result) == {"a": 0, "b": 1, "c": 1, "d": 1}

    def test_columnar_input_gives_the_same_networks(self) -> None:
        result = build_networks_from_mentions(
            ["a", "b", "c"], np.array([0, 1, 1, 2]), ["k:1", "k:1", "k:2", "k:2"]
        )
        assert by_record(result) == {"a": 0, "b": 0, "c": 0}

    def test_a_record_given_twice_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="unique"):
            build_networks([("a", ["k:1"]), ("a", ["k:2"])])

    def test_empty_input(self) -> None:
        result = build_networks([])
        assert (result.networks, result.network_count, len(result.network_ids)) == ((), 0, 0)


class TestStopEntities:
    def test_a_key_mentioned_by_too_many_records_does_not_link_them(self) -> None:
        records = [(f"report:{i}", ["phone:+12025550100", f"handle:h{i}"]) for i in range(4)]
        records.append(("report:9", ["handle:h0"]))
        result = build_networks(records, settings=NetworkSettings(max_records_per_entity=3))
        assert result.stop_entities == (StopEntity("phone:+12025550100", 4, listed=False),)
        assert by_record(result) == {
            "report:0": 0,
            "report:1": 1,
            "report:2": 2,
            "report:3": 3,
            "report:9": 0,
        }
        assert "phone:+12025550100" not in result.entity_index()

    def test_a_listed_stop_entity_is_ignored_however_rare(self) -> None:
        settings = NetworkSettings(stop_entities=frozenset({"domain:example.com"}))
        result = build_networks(
            [("a", ["domain:example.com"]), ("b", ["domain:example.com"])], settings=settings
        )
        assert result.stop_entities == (StopEntity("domain:example.com", 2, listed=True),)
        assert by_record(result) == {"a": 0, "b": 1}

    def test_the_threshold_is_inclusive(self) -> None:
        result = build_networks(
            [("a", ["k"]), ("b", ["k"])], settings=NetworkSettings(max_records_per_entity=2)
        )
        assert by_record(result) == {"a": 0, "b": 0}


def two_dense_clusters_joined_by_one_edge() -> list[tuple[str, list[str]]]:
    left = [(f"left:{i}", ["phone:L1", "handle:L2", "email:l3@example.com"]) for i in range(6)]
    right = [(f"right:{i}", ["phone:R1", "handle:R2"]) for i in range(6)]
    left[0][1].append("phone:BRIDGE")
    right[0][1].append("phone:BRIDGE")
    return left + right


class TestCommunities:
    def test_a_large_network_is_split_into_its_two_dense_clusters(self) -> None:
        result = build_networks(
            two_dense_clusters_joined_by_one_edge(), settings=NetworkSettings(max_network_size=10)
        )
        (network,) = result.networks
        assert network.size == 12
        assert network.communities == (
            tuple(f"left:{i}" for i in range(6)),
            tuple(f"right:{i}" for i in range(6)),
        )
        communities = {record: community for record, (_, community) in result.assignments().items()}
        assert {communities[f"left:{i}"] for i in range(6)} == {0}
        assert {communities[f"right:{i}"] for i in range(6)} == {1}

    def test_a_network_within_the_size_limit_is_not_split(self) -> None:
        result = build_networks(
            two_dense_clusters_joined_by_one_edge(), settings=NetworkSettings(max_network_size=12)
        )
        assert result.networks[0].communities == ()
        assert set(result.community_ids.tolist()) == {0}


class TestIntakeLookup:
    def test_a_new_record_touches_the_networks_of_its_known_keys(self) -> None:
        result = build_networks(
            [
                ("report:1", ["phone:A", "handle:b"]),
                ("report:2", ["handle:b"]),
                ("report:3", ["email:c"]),
                ("report:4", ["phone:HOTLINE"]),
                ("report:5", ["phone:HOTLINE"]),
            ],
            settings=NetworkSettings(max_records_per_entity=1),
        )
        index = result.entity_index()
        stops = {stop.key for stop in result.stop_entities}
        touches = networks_touched(
            ["handle:b", "email:c", "phone:A", "phone:HOTLINE", "handle:new", "phone:A"],
            index,
            stop_entities=stops,
        )
        # handle:b is also a stop-entity here: two records name it and the limit is one.
        assert stops == {"handle:b", "phone:HOTLINE"}
        assert touches == [NetworkTouch(0, ("phone:A",)), NetworkTouch(2, ("email:c",))]

    def test_touches_are_ordered_by_shared_keys_then_network(self) -> None:
        index = {"k:1": 5, "k:2": 5, "k:3": 2, "k:4": 7}
        assert networks_touched(["k:4", "k:3", "k:1", "k:2", "k:9"], index) == [
            NetworkTouch(5, ("k:1", "k:2")),
            NetworkTouch(2, ("k:3",)),
            NetworkTouch(7, ("k:4",)),
        ]

    def test_no_known_keys_touch_nothing(self) -> None:
        assert networks_touched(["k:1"], {}) == []


def test_a_hundred_thousand_records_in_chains_of_ten() -> None:
    records = [(f"r:{i}", [f"k:{i // 10}", f"u:{i}"]) for i in range(100_000)]
    result = build_networks(records)
    assert result.network_count == 10_000
    assert len(result.networks) == 10_000
    assert np.array_equal(result.network_ids, np.arange(100_000) // 10)
