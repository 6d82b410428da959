"""Obviously fictional person mentions with known identities, shared by the linking tests."""

from __future__ import annotations

from datetime import date

from safeguard.analytics.linking import PersonMention

M = PersonMention

MENTIONS = (
    M(
        "r1",
        "report",
        "Ana Testova",
        age=15,
        age_recorded_on=date(2024, 5, 1),
        gender="F",
        place="Lisbon",
        phone_keys=("k1",),
    ),
    M("r2", "case", "Anna Testova", birth_date=date(2009, 2, 3), gender="female", place="Lisboa"),
    M("r3", "ad", "TESTOVA, Ana", age=16, age_recorded_on=date(2025, 1, 1), gender="f", phone_keys=("k1",)),
    M("r4", "report", "Boris Fictionov", age=30, age_recorded_on=date(2024, 1, 1), gender="M", place="Porto"),
    M(
        "r5",
        "case",
        "Borys Fictionov",
        age=31,
        age_recorded_on=date(2025, 1, 1),
        gender="male",
        place="Porto",
    ),
    M(
        "r6",
        "report",
        "Carla Sampleton",
        age=12,
        age_recorded_on=date(2024, 1, 1),
        gender="F",
        place="Madrid",
    ),
    M(
        "r7",
        "report",
        "Dmitri Placeholder",
        age=40,
        age_recorded_on=date(2024, 1, 1),
        gender="M",
        place="Riga",
    ),
    M(
        "r8",
        "ad",
        "Dmitry Placeholder",
        age=41,
        age_recorded_on=date(2025, 1, 1),
        gender="M",
        place="Riga",
        email_keys=("e9",),
    ),
    M("r9", "report", "Eva Mockova", age=17, age_recorded_on=date(2024, 1, 1), gender="F", place="Prague"),
    M("r10", "report", "Eva Mockova", age=45, age_recorded_on=date(2024, 1, 1), gender="F", place="Sofia"),
    M(
        "r11",
        "report",
        "Fatima Exampli",
        age=14,
        age_recorded_on=date(2024, 1, 1),
        gender="F",
        place="Athens",
        aliases=("Fifi",),
    ),
    M("r12", "ad", "Fifi", age=15, age_recorded_on=date(2025, 1, 1), gender="F", place="Athens"),
)

# r3 ("TESTOVA, Ana", same phone key as r1) is deliberately left for review by the model.
EXPECTED_CLUSTERS = {
    frozenset({"r1", "r2"}),
    frozenset({"r3"}),
    frozenset({"r4", "r5"}),
    frozenset({"r6"}),
    frozenset({"r7", "r8"}),
    frozenset({"r9"}),  # same name as r10 but 28 years apart and in another city
    frozenset({"r10"}),
    frozenset({"r11", "r12"}),  # "Fifi" is r11's alias
}
