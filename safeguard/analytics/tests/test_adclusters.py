"""Template clustering of recruitment ads: planted templates must come back exactly."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from safeguard.analytics.adclusters import (
    Ad,
    cluster_ads,
    find_organised_groups,
    normalise_identifier,
    tokenise,
)

HOSTESS = (
    "Hostess wanted in {city}! Free accommodation, flights and visa paid by our agency, no experience "
    "needed and no language needed. Salary {pay} euro per week paid in cash, tips extra. Girls from "
    "{country} very welcome, we arrange all documents. Call or WhatsApp {name} on {phone} today."
)
NANNY = (
    "Looking for a live-in nanny for a rich family in {city}. You must be young, open minded and ready "
    "to travel at once. We lend you money for the ticket and take it back later from your salary of "
    "{pay} EUR a month. Passport kept safe by the family. Write to {name} at {phone}."
)
PICKER = (
    "Fruit pickers needed this summer near {city}, transport from {country} organised by the boss, "
    "housing in containers on the farm, {pay} pounds a day, pay at the end of the season only. "
    "Contact {name} {phone} for the next bus."
)
CITIES = ["Lisbon", "Milan", "Riga", "Sofia", "Porto", "Lyon"]
COUNTRIES = ["Moldova", "Ukraine", "Nigeria", "Romania", "Albania", "Vietnam"]
NAMES = ["Testa", "Mockel", "Fakira", "Dummia", "Placeo", "Lorema"]
PHONES = [
    "+44 7700 900111",
    "07700-900-222",
    "(555) 010-3333",
    "+44 7700 900444",
    "07700 900555",
    "555 010 6666",
]
NOISE = [
    "Selling a blue bicycle, barely used, collection only from the old town.",
    "Piano lessons for beginners on Saturday mornings, first lesson free for children and adults.",
    "Lost cat near the river park, grey with a white tail, answers to Pebble.",
    "Room for rent in a quiet shared flat, bills included, no pets please.",
]


def _fill(template: str, index: int) -> str:
    return template.format(
        city=CITIES[index % 6],
        pay=800 + 100 * index,
        country=COUNTRIES[(index + 2) % 6],
        name=NAMES[(index + 3) % 6],
        phone=PHONES[index % 6],
    )


def _planted_ads() -> list[Ad]:
    ads = [Ad(f"h{i}", _fill(HOSTESS, i)) for i in range(6)]
    ads += [Ad(f"n{i}", _fill(NANNY, i)) for i in range(5)]
    ads += [Ad(f"p{i}", _fill(PICKER, i)) for i in range(4)]
    ads += [Ad(f"x{i}", text) for i, text in enumerate(NOISE)]
    # Interleave so that cluster ids do not simply follow the planting order.
    return sorted(ads, key=lambda ad: (ad.ad_id[1:], ad.ad_id[0]))


@pytest.fixture(scope="module")
def planted():
    ads = _planted_ads()
    return ads, cluster_ads(ads)


def test_tokenise_masks_numbers_phones_urls_and_emails() -> None:
    assert tokenise("Call +44 7700 900111 or mail A.B@example.org, 1.500 EUR at www.example.org/jobs!") == [
        "call",
        "PHONE",
        "or",
        "mail",
        "EMAIL",
        "NUM",
        "eur",
        "at",
        "URL",
    ]


def test_planted_templates_come_back_as_exact_clusters(planted) -> None:
    _, result = planted
    clusters = {frozenset(cluster.ad_ids) for cluster in result.clusters}
    assert clusters == {
        frozenset(f"h{i}" for i in range(6)),
        frozenset(f"n{i}" for i in range(5)),
        frozenset(f"p{i}" for i in range(4)),
    }


def test_noise_ads_are_in_no_cluster(planted) -> None:
    _, result = planted
    assert [result.cluster_id(f"x{i}") for i in range(4)] == [None, None, None, None]


def test_cluster_ids_follow_first_appearance(planted) -> None:
    ads, result = planted
    first_ids = [cluster.ad_ids[0] for cluster in result.clusters]
    assert [cluster.cluster_id for cluster in result.clusters] == [0, 1, 2]
    positions = [next(i for i, ad in enumerate(ads) if ad.ad_id == ad_id) for ad_id in first_ids]
    assert positions == sorted(positions)


def _cluster_of(result, ad_id):
    return result.clusters[result.cluster_of[ad_id]]


def test_template_keeps_fixed_text_and_lists_slot_values(planted) -> None:
    _, result = planted
    template = _cluster_of(result, "h0").template
    assert template is not None
    assert template.text.startswith("hostess wanted in {slot1} free accommodation flights and visa")
    slots = {slot.name: slot for slot in template.slots}
    assert {value for value, _ in slots["slot1"].values} == set(CITIES)
    phone_slot = next(slot for slot in template.slots if slot.kind == "phone")
    assert {value for value, _ in phone_slot.values} == set(PHONES)
    assert sum(count for _, count in phone_slot.values) == 6
    pay_slot = next(slot for slot in template.slots if slot.kind == "number")
    assert {value for value, _ in pay_slot.values} == {str(800 + 100 * i) for i in range(6)}
    assert "euro per week paid in cash" in template.text


def test_identical_ads_form_one_cluster_with_no_slots() -> None:
    ads = [Ad(str(i), "Same words in the same order every time for this ad about work") for i in range(3)]
    result = cluster_ads(ads)
    assert len(result.clusters) == 1
    template = result.clusters[0].template
    assert template is not None
    assert template.slots == ()


def test_empty_and_one_word_ads_are_never_clustered() -> None:
    result = cluster_ads([Ad("a", ""), Ad("b", ""), Ad("c", "hello"), Ad("d", "!!!")])
    assert result.cluster_of == {}
    assert result.clusters == ()


def test_duplicate_ad_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate ad id: 'a'"):
        cluster_ads([Ad("a", "one"), Ad("a", "two")])


def test_bands_must_divide_permutations() -> None:
    with pytest.raises(ValueError, match="multiple of bands"):
        cluster_ads([Ad("a", "one")], num_perm=64, bands=10)


def test_normalise_identifier() -> None:
    assert normalise_identifier(" +44 (7700) 900-111 ") == "7700900111"
    assert normalise_identifier("Agent.X@Example.ORG") == "agent.x@example.org"
    assert normalise_identifier("@Recruiter_Ana") == "@recruiter_ana"


def _when(day: int) -> datetime:
    return datetime(2024, 1, day, tzinfo=UTC)


def test_organised_groups_join_clusters_and_lone_ads_through_shared_identifiers(planted) -> None:
    ads, result = planted
    site_of = {"h": "jobs.example", "n": "nanny.example", "p": "farm.example", "x": "market.example"}
    enriched = []
    for ad in ads:
        identifiers: tuple[str, ...] = ()
        if ad.ad_id in {"h1", "n2"}:
            identifiers = ("+44 7700 900999",)  # the same recruiter behind two templates
        if ad.ad_id in {"p0", "x3"}:
            identifiers = ("boss@example.net",)
        day = int(ad.ad_id[1:]) + 1
        enriched.append(Ad(ad.ad_id, ad.text, site_of[ad.ad_id[0]], _when(day), identifiers))

    groups = find_organised_groups(enriched, result)

    assert len(groups) == 2
    strongest, second = groups
    hostess, nanny, picker = (result.cluster_of[key] for key in ("h0", "n0", "p0"))
    assert strongest.cluster_ids == tuple(sorted((hostess, nanny)))
    assert len(strongest.ad_ids) == 11
    assert strongest.sites == ("jobs.example", "nanny.example")
    assert strongest.shared_identifiers == ("7700900999",)
    assert strongest.first_posted == _when(1) and strongest.last_posted == _when(6)
    assert strongest.score == round(math.log2(12) + 2 + math.log2(2) + 5 / 30, 4)
    assert second.cluster_ids == (picker,)
    assert set(second.ad_ids) == {"p0", "p1", "p2", "p3", "x3"}
    assert second.sites == ("farm.example", "market.example")
    assert [group.group_id for group in groups] == [0, 1]


def test_a_cluster_without_shared_identifiers_is_no_group(planted) -> None:
    ads, result = planted
    assert find_organised_groups(ads, result) == ()


def test_reposts_that_drift_from_their_template_stay_in_its_cluster() -> None:
    ads = _planted_ads()
    reposts = [
        # typos, a synonym, a dropped word, shuffled sentences, hashtags, emoji, shouting
        "Hostes wanted in Porto 🔥! Salary 1200 euro per week paid in cash, tips extra. Free "
        "accomodation, flights and visa paid by our agency, no experience needed and no language "
        "needed. Girls from Moldova very welcome, we arrange all papers. Call or WhatsApp Testa on "
        "+44 7700 900111 today ✨ #job #abroad",
        "LOOKING FOR A LIVE-IN NANNY FOR A RICH FAMILY IN RIGA. PASSPORT KEPT SAFE BY THE FAMILY. YOU "
        "MUST BE YOUNG, OPEN MINDED AND READY TO TRAVEL AT ONCE. WE LEND YOU MONEY FOR THE TICKET AND "
        "TAKE IT BACK LATER FROM YOUR SALARY OF 900 EUR A MONTH. WRITE TO MOCKEL AT 07700-900-222 💰",
    ]
    ads += [Ad("h-drift", reposts[0]), Ad("n-drift", reposts[1])]
    result = cluster_ads(ads)
    assert result.cluster_of["h-drift"] == result.cluster_of["h0"]
    assert result.cluster_of["n-drift"] == result.cluster_of["n0"]
    assert len(result.clusters) == 3
