"""The urgency rules, pure: exact levels and reasons, and properties that must always hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safeguard.intake.choices import Indicator
from safeguard.intake.urgency import TARGETS, Facts, Level, assess, combined_level


def codes(facts: Facts) -> list[str]:
    return [reason.code for reason in assess(facts).reasons]


def test_nothing_known_is_low_with_a_reason() -> None:
    assessment = assess(Facts())
    assert assessment.level == Level.LOW
    assert codes(Facts()) == ["no_specific_signs"]


def test_child_in_danger_now_is_critical() -> None:
    assert assess(Facts(child_in_danger="yes")).level == Level.CRITICAL
    assert codes(Facts(child_in_danger="yes")) == ["child_in_danger"]


def test_unsure_about_danger_is_medium() -> None:
    assert assess(Facts(child_in_danger="unsure")).level == Level.MEDIUM


def test_children_involved_is_medium_and_young_child_high() -> None:
    assert assess(Facts(children_count=2, youngest_age=15)).level == Level.MEDIUM
    assert assess(Facts(children_count=1, youngest_age=12)).level == Level.HIGH
    assert codes(Facts(children_count=1, youngest_age=12)) == ["children_involved", "young_child"]


def test_signs_count() -> None:
    assert assess(Facts(indicators=frozenset({"deception"}))).level == Level.MEDIUM
    many = frozenset({"deception", "isolation", "excessive_overtime"})
    assert assess(Facts(indicators=many)).level == Level.HIGH
    assert assess(Facts(indicators=many)).reasons[0].params == (("count", 3),)


def test_severe_sign_alone_is_high() -> None:
    assert codes(Facts(indicators=frozenset({"debt_bondage"}))) == ["severe_signs", "some_signs"]
    assert assess(Facts(indicators=frozenset({"debt_bondage"}))).level == Level.HIGH


def test_children_and_sexual_exploitation_is_high() -> None:
    facts = Facts(children_count=1, exploitation_types=frozenset({"SexualExploitation"}))
    assert assess(facts).level == Level.HIGH
    assert "child_sexual_exploitation" in codes(facts)


def test_recent_raises_one_level_but_not_from_low() -> None:
    assert assess(Facts(children_count=1, occurred="now")).level == Level.HIGH
    assert assess(Facts(children_count=1, youngest_age=8, occurred="today")).level == Level.CRITICAL
    assert assess(Facts(occurred="now")).level == Level.LOW
    assert assess(Facts(children_count=1, occurred="earlier")).level == Level.MEDIUM


def test_targets_grow_as_urgency_falls() -> None:
    assert [
        TARGETS[level].total_seconds() for level in (Level.CRITICAL, Level.HIGH, Level.MEDIUM, Level.LOW)
    ] == [
        3600,
        86400,
        259200,
        604800,
    ]


def test_raises_never_lower() -> None:
    assert combined_level(Level.HIGH, [1, 2]) == Level.HIGH
    assert combined_level(Level.LOW, [4]) == Level.CRITICAL


facts_strategy = st.builds(
    Facts,
    child_in_danger=st.sampled_from(["", "yes", "no", "unsure"]),
    children_count=st.integers(min_value=0, max_value=50),
    youngest_age=st.one_of(st.none(), st.integers(min_value=0, max_value=17)),
    indicators=st.frozensets(st.sampled_from([choice.value for choice in Indicator])),
    exploitation_types=st.frozensets(st.sampled_from(["SexualExploitation", "ForcedLabour", "DontKnow"])),
    occurred=st.sampled_from(["", "now", "today", "this_week", "this_month", "earlier", "unknown"]),
)


@given(facts_strategy)
def test_level_is_the_highest_reason_and_always_explained(facts: Facts) -> None:
    assessment = assess(facts)
    assert assessment.reasons
    assert assessment.level == max(reason.level for reason in assessment.reasons)


@given(facts_strategy, st.sampled_from([choice.value for choice in Indicator]))
def test_telling_more_never_lowers_urgency(facts: Facts, extra: str) -> None:
    more = Facts(
        child_in_danger=facts.child_in_danger,
        children_count=facts.children_count,
        youngest_age=facts.youngest_age,
        indicators=facts.indicators | {extra},
        exploitation_types=facts.exploitation_types,
        occurred=facts.occurred,
    )
    assert assess(more).level >= assess(facts).level


@given(facts_strategy)
def test_danger_now_is_always_critical(facts: Facts) -> None:
    if facts.child_in_danger == "yes":
        assert assess(facts).level == Level.CRITICAL
