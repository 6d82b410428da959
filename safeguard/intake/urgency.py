"""Transparent urgency rules for reports; plain Python, no Django.

Every rule that fires adds a ``Reason`` naming itself and the level it asks for; the report's
level is the highest of them. Rules only ever add reasons, so telling us *more* about a report
(another sign, a younger child) can never lower its urgency. Operators see the reasons beside
the level, and ``python -m safeguard.intake.urgency`` prints the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import IntEnum
from typing import Any


class Level(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


# How soon a report of each level should be triaged (its first look by an operator).
TARGETS: dict[Level, timedelta] = {
    Level.CRITICAL: timedelta(hours=1),
    Level.HIGH: timedelta(hours=24),
    Level.MEDIUM: timedelta(hours=72),
    Level.LOW: timedelta(days=7),
}

# Signs that on their own suggest a child is being harmed or held.
SEVERE_INDICATORS = frozenset(
    {
        "physical_sexual_violence",
        "restriction_of_movement",
        "signs_of_abuse",
        "venue_commercial",
        "debt_bondage",
    }
)
YOUNG_CHILD_AGE = 13
MANY_SIGNS = 3
RECENT = frozenset({"now", "today"})

# The rules in words, in the order they are applied.
RULES: tuple[tuple[str, str], ...] = (
    ("child_in_danger", "The reporter says a child is in danger right now → critical."),
    ("child_maybe_in_danger", "The reporter is not sure whether a child is in danger now → medium."),
    ("children_involved", "One or more children are involved → medium."),
    ("young_child", f"A child younger than {YOUNG_CHILD_AGE} is involved → high."),
    ("severe_signs", "Violence, abuse, confinement, debt bondage or a commercial-sex venue → high."),
    ("many_signs", f"{MANY_SIGNS} or more signs of trafficking → high."),
    ("some_signs", f"1 or 2 signs of trafficking → medium (fewer than {MANY_SIGNS})."),
    ("child_sexual_exploitation", "Children involved and sexual exploitation suspected → high."),
    ("recent", "Happening now or today, and already medium or higher → one level higher."),
    ("no_specific_signs", "None of the above → low."),
)


@dataclass(frozen=True)
class Facts:
    """What the rules look at; every field is something the reporter or operator told us."""

    child_in_danger: str = ""  # "yes", "no", "unsure" or "" (not answered)
    children_count: int = 0
    youngest_age: int | None = None
    indicators: frozenset[str] = field(default_factory=frozenset)
    exploitation_types: frozenset[str] = field(default_factory=frozenset)
    occurred: str = ""  # "now", "today", "this_week", "this_month", "earlier", "unknown" or ""


@dataclass(frozen=True)
class Reason:
    code: str
    level: Level
    params: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "level": int(self.level), "params": dict(self.params)}


@dataclass(frozen=True)
class Assessment:
    level: Level
    reasons: tuple[Reason, ...]


def assess(facts: Facts) -> Assessment:
    """The level the rules give ``facts`` and every reason that contributed to it."""
    reasons: list[Reason] = []
    children = facts.children_count > 0 or facts.youngest_age is not None
    if facts.child_in_danger == "yes":
        reasons.append(Reason("child_in_danger", Level.CRITICAL))
    elif facts.child_in_danger == "unsure":
        reasons.append(Reason("child_maybe_in_danger", Level.MEDIUM))
    if children:
        reasons.append(Reason("children_involved", Level.MEDIUM, (("count", max(facts.children_count, 1)),)))
    if facts.youngest_age is not None and facts.youngest_age < YOUNG_CHILD_AGE:
        reasons.append(Reason("young_child", Level.HIGH, (("age", facts.youngest_age),)))
    severe = facts.indicators & SEVERE_INDICATORS
    if severe:
        reasons.append(Reason("severe_signs", Level.HIGH, (("count", len(severe)),)))
    signs = len(facts.indicators)
    if signs >= MANY_SIGNS:
        reasons.append(Reason("many_signs", Level.HIGH, (("count", signs),)))
    elif signs:
        reasons.append(Reason("some_signs", Level.MEDIUM, (("count", signs),)))
    if children and "SexualExploitation" in facts.exploitation_types:
        reasons.append(Reason("child_sexual_exploitation", Level.HIGH))
    base = max((reason.level for reason in reasons), default=Level.LOW)
    if facts.occurred in RECENT and Level.MEDIUM <= base < Level.CRITICAL:
        reasons.append(Reason("recent", Level(base + 1)))
    if not reasons:
        reasons.append(Reason("no_specific_signs", Level.LOW))
    return Assessment(level=max(reason.level for reason in reasons), reasons=tuple(reasons))


def combined_level(assessed: Level, raised: list[int] | tuple[int, ...]) -> Level:
    """The report's level: the rules' level, or higher if something else raised it."""
    return Level(max([int(assessed), *[int(level) for level in raised]]))


if __name__ == "__main__":  # pragma: no cover - documentation for the command line
    for code, text in RULES:
        print(f"{code:28} {text}")
    for level, target in TARGETS.items():
        print(f"target {level.name.lower():8} {target}")
