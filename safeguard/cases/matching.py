"""Duplicate detection for registered children: pure logic, no Django.

Names are encrypted, so the database cannot compare them. Instead each person carries a few
*name keys*: the phonetic code of every name token (first name, second name, aliases), stored
only as keyed blind indexes. A check looks up persons sharing a key (and a plausible birth
year), decrypts those few candidates and scores them here with rapidfuzz. Nothing is ever
merged automatically; the score only orders what a person is shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

# A candidate at or above this score is shown as a likely duplicate.
THRESHOLD = 0.72

_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def normalise(name: str) -> str:
    """Lower case, accents removed, anything but letters and spaces dropped."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = [ch if ch.isalpha() else " " for ch in decomposed if not unicodedata.combining(ch)]
    return " ".join("".join(letters).split())


def phonetic(token: str) -> str:
    """American Soundex of one token ("Mariya" and "Maria" both give M600)."""
    token = "".join(ch for ch in normalise(token) if "a" <= ch <= "z")
    if not token:
        return ""
    code = token[0].upper()
    previous = _SOUNDEX.get(token[0], "")
    for ch in token[1:]:
        digit = _SOUNDEX.get(ch, "")
        if digit and digit != previous:
            code += digit
        if ch not in "hw":
            previous = digit
    return (code + "000")[:4]


def name_tokens(names: Iterable[str]) -> list[str]:
    tokens: list[str] = []
    for name in names:
        tokens.extend(token for token in normalise(name).split() if len(token) > 1)
    return tokens


def name_keys(names: Iterable[str]) -> set[str]:
    """The phonetic codes under which a person can be found (before blind indexing)."""
    return {code for code in (phonetic(token) for token in name_tokens(names)) if code}


@dataclass(frozen=True)
class Profile:
    """What the duplicate check compares; ``names`` holds full names then aliases."""

    names: Sequence[str]
    birth_year: int | None = None
    birth_year_estimated: bool = False
    gender: str = ""
    citizenships: Sequence[str] = ()
    place: str = ""


@dataclass(frozen=True)
class Score:
    value: float
    reasons: list[str] = field(default_factory=list)


def _name_similarity(left: Sequence[str], right: Sequence[str]) -> float:
    best = 0.0
    for a in (normalise(name) for name in left if name.strip()):
        for b in (normalise(name) for name in right if name.strip()):
            best = max(best, fuzz.token_sort_ratio(a, b) / 100, fuzz.token_set_ratio(a, b) / 100 * 0.95)
    return best


def score(query: Profile, candidate: Profile) -> Score:
    """How likely two profiles are the same child, from 0 to 1, with the reasons.

    Names carry most weight; a birth year far apart or a different recorded gender pulls a
    candidate down, because two different children often share a common name.
    """
    reasons: list[str] = []
    names = _name_similarity(query.names, candidate.names)
    total = 0.6 * names
    if names >= 0.85:
        reasons.append("name")
    if query.birth_year and candidate.birth_year:
        slack = 2 if (query.birth_year_estimated or candidate.birth_year_estimated) else 0
        gap = max(0, abs(query.birth_year - candidate.birth_year) - slack)
        total += {0: 0.2, 1: 0.12}.get(gap, -0.2)
        if gap == 0:
            reasons.append("age")
    else:
        total += 0.08
    unknown = {"", "NonSpecifiedUnknown"}
    if query.gender in unknown or candidate.gender in unknown:
        total += 0.05
    elif query.gender == candidate.gender:
        total += 0.1
        reasons.append("gender")
    else:
        total -= 0.2
    if query.citizenships and candidate.citizenships:
        if set(query.citizenships) & set(candidate.citizenships):
            total += 0.07
            reasons.append("citizenship")
    else:
        total += 0.03
    if query.place and candidate.place and query.place.split("-")[0] == candidate.place.split("-")[0]:
        total += 0.03
        reasons.append("place")
    return Score(value=round(max(0.0, min(1.0, total)), 3), reasons=reasons)
