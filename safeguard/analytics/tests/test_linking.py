"""Probabilistic person linking: exact clusters, the review band, analysts' decisions."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.analytics.linking import (
    Decision,
    FieldKind,
    LinkageOptions,
    LinkField,
    ScoredPair,
    cluster_with_decisions,
    link_people,
    link_records,
    normalise_date,
    normalise_name,
    normalise_phone,
)
from safeguard.analytics.tests.people import EXPECTED_CLUSTERS, MENTIONS


def _clusters(result) -> set[frozenset[str]]:
    return {frozenset(cluster) for cluster in result.clusters}


@pytest.fixture(scope="module")
def linked():
    return link_people(MENTIONS)


def test_person_mentions_are_clustered_as_expected(linked) -> None:
    assert _clusters(linked) == EXPECTED_CLUSTERS


def test_every_mention_has_a_cluster_named_after_its_first_member(linked) -> None:
    assert set(linked.cluster_of) == {mention.record_id for mention in MENTIONS}
    assert linked.cluster_of["r2"] == "r1"
    assert linked.cluster_of["r12"] == "r11"
    assert linked.cluster_of["r6"] == "r6"


def test_linked_pairs_are_above_the_auto_threshold(linked) -> None:
    assert {frozenset((p.left_id, p.right_id)) for p in linked.linked_pairs} == {
        cluster for cluster in EXPECTED_CLUSTERS if len(cluster) == 2
    }
    assert all(pair.match_probability >= 0.95 for pair in linked.linked_pairs)


def test_uncertain_pairs_are_listed_for_review(linked) -> None:
    # "TESTOVA, Ana" shares a phone with r1 and a surname with r2: the model is not sure of either.
    assert [(p.left_id, p.right_id) for p in linked.review_pairs] == [("r2", "r3"), ("r1", "r3")]
    assert all(0.6 <= pair.match_probability < 0.95 for pair in linked.review_pairs)


def test_confirmed_pair_is_linked_and_leaves_the_review_list() -> None:
    result = link_people(MENTIONS, decisions=[Decision("r3", "r1", same_person=True)])
    assert result.cluster_of["r3"] == "r1"
    assert frozenset({"r1", "r2", "r3"}) in _clusters(result)
    assert result.review_pairs == ()


def test_rejected_pair_is_kept_apart_even_above_the_threshold() -> None:
    result = link_people(MENTIONS, decisions=[Decision("r4", "r5", same_person=False)])
    assert result.cluster_of["r4"] != result.cluster_of["r5"]
    assert _clusters(result) - {frozenset({"r4"}), frozenset({"r5"})} == EXPECTED_CLUSTERS - {
        frozenset({"r4", "r5"})
    }


def test_review_threshold_cannot_exceed_auto_threshold() -> None:
    with pytest.raises(ValueError, match="thresholds"):
        link_people(MENTIONS, options=LinkageOptions(review_threshold=0.99, auto_threshold=0.9))


def test_duplicate_record_ids_are_rejected() -> None:
    rows = [{"id": "1", "name": "A"}, {"id": "1", "name": "B"}]
    with pytest.raises(ValueError, match="unique"):
        link_records(rows, [LinkField("name", FieldKind.NAME)])


def test_a_single_record_is_its_own_cluster() -> None:
    result = link_records([{"id": "only", "name": "Solo Fictiva"}], [LinkField("name", FieldKind.NAME)])
    assert result.cluster_of == {"only": "only"}


# --- clustering with decisions, without a model -------------------------------------------------


def _pair(left: str, right: str, probability: float) -> ScoredPair:
    return ScoredPair(left, right, probability, 0.0)


def test_a_rejection_blocks_a_chain_through_a_third_record() -> None:
    pairs = [_pair("a", "b", 0.99), _pair("b", "c", 0.98)]
    cluster_of, conflicts = cluster_with_decisions(
        ["a", "b", "c"], pairs, auto_threshold=0.95, decisions=[Decision("a", "c", same_person=False)]
    )
    assert cluster_of == {"a": "a", "b": "a", "c": "c"}
    assert conflicts == ()


def test_confirmations_win_over_a_rejection_and_are_reported_as_conflict() -> None:
    decisions = [
        Decision("a", "b", same_person=True),
        Decision("b", "c", same_person=True),
        Decision("a", "c", same_person=False),
    ]
    cluster_of, conflicts = cluster_with_decisions(
        ["a", "b", "c"], [], auto_threshold=0.95, decisions=decisions
    )
    assert set(cluster_of.values()) == {"a"}
    assert conflicts == (Decision("a", "c", same_person=False),)


def test_pairs_below_the_threshold_do_not_link_and_unknown_ids_are_ignored() -> None:
    cluster_of, _ = cluster_with_decisions(
        ["a", "b"], [_pair("a", "b", 0.9)], auto_threshold=0.95, decisions=[Decision("a", "zz", True)]
    )
    assert cluster_of == {"a": "a", "b": "b"}


# --- normalisation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "1990-03-12",
        "1990/3/12",
        "12/03/1990",
        "12.03.1990",
        "12-3-90",
        "19900312",
        "12 March 1990",
        "March 12, 1990",
        "03/12/1990 ",
    ],
)
def test_dates_in_common_forms_normalise_to_iso(written) -> None:
    expected = "1990-12-03" if written.strip() == "03/12/1990" else "1990-03-12"
    assert normalise_date(written) == expected


def test_dates_that_cannot_be_read_are_missing() -> None:
    assert normalise_date("31/02/1990") is None
    assert normalise_date("sometime in spring") is None
    assert normalise_date(date(2001, 2, 3)) == "2001-02-03"


def test_names_and_phones_normalise() -> None:
    assert normalise_name("  Mr. ZÉLDA   Fictionára-Smith ") == "zelda fictionara smith"
    assert normalise_name("Dr.") is None
    assert normalise_phone("+44 (0)7700 900-101") == normalise_phone("07700900101") == "700900101"
    assert normalise_phone("12 34") is None
