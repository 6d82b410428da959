"""Scoring a separated child against a family's enquiry: pure logic, no Django.

The child side is a case with a tracing request (the child's names and aliases, age, sex, where
the child comes from, and the family member the child is looking for); the enquiry side is what
a family member said about the child they look for (and who they are). Names are compared as the
case duplicate check compares them (`safeguard.cases.matching`: accents and case folded, token
order ignored, rapidfuzz ratios) plus their phonetic codes, so "Aminah Yousuf" finds "Amina
Yusuf"; ages must agree within ``AGE_TOLERANCE`` years, and an age further apart counts against
the pair strongly enough that a common name alone never makes a match; places agree by region or
by country. Nothing is linked automatically: the score orders what a caseworker is asked to
confirm or reject, and the reasons say why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from safeguard.cases.matching import name_tokens, normalise, phonetic

# A pair at or above this score is stored as a potential match for the case team to review.
THRESHOLD = 0.6
# Names at least this similar (or sounding alike) are needed for a pair to reach the threshold.
NAMES_AGREE = 0.8
# Ages given in enquiries are guesses; two ages this many years apart can be the same child.
AGE_TOLERANCE = 2

UNKNOWN_SEX = {"", "NonSpecifiedUnknown"}

# Reason codes (the pages translate them).
NAME = "name"
NAME_SOUNDS_ALIKE = "name_sounds_alike"
AGE = "age"
AGE_APART = "age_apart"
SEX = "sex"
SAME_REGION = "same_region"
SAME_COUNTRY = "same_country"
FAMILY_MEMBER = "family_member"


@dataclass(frozen=True)
class ChildSide:
    names: Sequence[str]  # full name then aliases
    age: int | None = None
    sex: str = ""
    places: Sequence[str] = ()  # ISO 3166 codes: the child's home region, the last known place of the family
    family_names: Sequence[str] = ()  # the family member the child is looking for


@dataclass(frozen=True)
class EnquirySide:
    names: Sequence[str]  # the child's name then aliases, as the family gave them
    age: int | None = None
    sex: str = ""
    place: str = ""
    enquirer_names: Sequence[str] = ()


@dataclass(frozen=True)
class MatchScore:
    value: float
    reasons: list[str] = field(default_factory=list)


def name_similarity(left: Sequence[str], right: Sequence[str]) -> float:
    """The best similarity (0–1) between any name of ``left`` and any of ``right``."""
    best = 0.0
    for a in (normalise(name) for name in left if name.strip()):
        for b in (normalise(name) for name in right if name.strip()):
            best = max(best, fuzz.token_sort_ratio(a, b) / 100, fuzz.token_set_ratio(a, b) / 100 * 0.95)
    return best


def sounds_alike(left: Sequence[str], right: Sequence[str]) -> bool:
    """True when some name of each side has every word sounding like a word of the other."""
    for a in left:
        codes_a = {phonetic(token) for token in name_tokens([a])}
        for b in right:
            codes_b = {phonetic(token) for token in name_tokens([b])}
            if codes_a and codes_b and (codes_a <= codes_b or codes_b <= codes_a):
                return True
    return False


def _place_points(places: Sequence[str], place: str) -> tuple[float, str]:
    if not place:
        return 0.0, ""
    if place in places and "-" in place:
        return 0.1, SAME_REGION
    if any(code.split("-")[0] == place.split("-")[0] for code in places if code):
        return 0.05, SAME_COUNTRY
    return 0.0, ""


def score(child: ChildSide, enquiry: EnquirySide) -> MatchScore:
    """How likely the enquiry is about this child, from 0 to 1, with the reasons.

    Guarantees: an age known on both sides and more than ``AGE_TOLERANCE`` years apart, or a
    different recorded sex, keeps the pair below ``THRESHOLD`` however alike the names are; and
    names that neither reach ``NAMES_AGREE`` nor sound alike keep it below whatever else agrees.
    """
    reasons: list[str] = []
    names = name_similarity(child.names, enquiry.names)
    total = 0.55 * names
    if names >= 0.85:
        reasons.append(NAME)
    if sounds_alike(child.names, enquiry.names):
        total += 0.05
        reasons.append(NAME_SOUNDS_ALIKE)
    if child.age is not None and enquiry.age is not None:
        gap = abs(child.age - enquiry.age)
        if gap <= AGE_TOLERANCE:
            total += 0.2 if gap <= 1 else 0.12
            reasons.append(AGE)
        else:
            total -= 0.4
            reasons.append(AGE_APART)
    else:
        total += 0.05
    if child.sex in UNKNOWN_SEX or enquiry.sex in UNKNOWN_SEX:
        total += 0.03
    elif child.sex == enquiry.sex:
        total += 0.1
        reasons.append(SEX)
    else:
        total -= 0.5
    points, reason = _place_points(child.places, enquiry.place)
    total += points
    if reason:
        reasons.append(reason)
    if name_similarity(child.family_names, enquiry.enquirer_names) >= 0.85:
        total += 0.1
        reasons.append(FAMILY_MEMBER)
    if names < NAMES_AGREE and NAME_SOUNDS_ALIKE not in reasons:
        # Age, sex and place are shared by many children: without names that agree they never
        # make a match on their own.
        total = min(total, THRESHOLD - 0.1)
    return MatchScore(value=round(max(0.0, min(1.0, total)), 3), reasons=reasons)
