"""Obviously fictional children for tests, the demo and the benchmark; pure Python, seeded.

Names are built from syllables ("Zorimo Velaku"), so they belong to nobody. ``variant`` makes
the kinds of differences the same child's records show across registrations: a typo, swapped
name order, an alias used as the name, an estimated age instead of a birth date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ze",
    "lu",
    "ta",
    "ni",
    "so",
    "fe",
    "da",
    "vi",
    "ro",
    "bel",
    "quo",
    "xan",
    "pim",
]
GENDERS = ["Feminine", "Masculine", "Feminine", "Masculine", "NonSpecifiedUnknown"]
COUNTRIES = ["NG", "GH", "RO", "VN", "AL", "GB", "FR", "ES"]


@dataclass(frozen=True)
class SyntheticChild:
    first_name: str
    second_name: str
    aliases: tuple[str, ...]
    birth_date: date | None
    estimated_age: int | None
    gender: str
    citizenships: tuple[str, ...]


def fictional_name(rng: random.Random, syllables: int | None = None) -> str:
    count = syllables or rng.choice([2, 2, 3])
    return "".join(rng.choice(SYLLABLES) for _ in range(count)).capitalize()


def child(rng: random.Random, *, today: date) -> SyntheticChild:
    born = date(today.year - rng.randint(6, 17), rng.randint(1, 12), rng.randint(1, 28))
    return SyntheticChild(
        first_name=fictional_name(rng),
        second_name=fictional_name(rng, 3),
        aliases=(fictional_name(rng),) if rng.random() < 0.3 else (),
        birth_date=born,
        estimated_age=None,
        gender=rng.choice(GENDERS),
        citizenships=(rng.choice(COUNTRIES),),
    )


def _typo(rng: random.Random, name: str) -> str:
    position = rng.randrange(1, len(name))
    match rng.choice(["swap", "drop", "double", "vowel"]):
        case "swap" if position < len(name) - 1:
            return name[:position] + name[position + 1] + name[position] + name[position + 2 :]
        case "drop":
            return name[:position] + name[position + 1 :]
        case "double":
            return name[:position] + name[position] + name[position:]
        case _:
            vowels = "aeiou"
            return name[:position] + rng.choice(vowels) + name[position + 1 :]


def variant(rng: random.Random, original: SyntheticChild, *, today: date) -> SyntheticChild:
    """The same child as another registration might record them."""
    kind = rng.choice(["typo", "typo", "swap", "alias", "estimated", "no_gender"])
    if kind == "typo":
        if rng.random() < 0.5:
            return replace(original, first_name=_typo(rng, original.first_name))
        return replace(original, second_name=_typo(rng, original.second_name))
    if kind == "swap":
        return replace(original, first_name=original.second_name, second_name=original.first_name)
    if kind == "alias":
        nickname = original.aliases[0] if original.aliases else _typo(rng, original.first_name)
        return replace(original, first_name=nickname, aliases=(original.first_name,))
    if kind == "estimated" and original.birth_date is not None:
        age = today.year - original.birth_date.year + rng.choice([-1, 0, 1])
        return replace(original, birth_date=None, estimated_age=age)
    return replace(original, gender="NonSpecifiedUnknown", citizenships=())


def namesake(rng: random.Random, original: SyntheticChild, *, today: date) -> SyntheticChild:
    """A different child with the same second name and a similar first name, born years apart."""
    assert original.birth_date is not None
    shift = rng.choice([-6, -5, 5, 6])
    born = date(original.birth_date.year + shift, original.birth_date.month, original.birth_date.day)
    return replace(
        original, first_name=fictional_name(rng), birth_date=born, aliases=(), gender=rng.choice(GENDERS[:2])
    )
