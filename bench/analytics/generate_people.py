"""Seeded synthetic person rows with known duplicates and realistic typos (all obviously fictional).

Names are made of invented syllables; addresses, postcodes, phones (+44 7700 900xxx-style
drama ranges) and e-mails (example.* domains) are fictional too. The true person of each row
goes to a separate truth file and never reaches the deduplication code.

    python -m bench.analytics.generate_people --n 100000 --out people.csv --truth truth.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "be",
    "da",
    "fe",
    "gi",
    "ho",
    "ju",
    "ke",
    "la",
    "mo",
    "nu",
    "pa",
    "re",
    "si",
    "to",
    "vu",
    "wa",
    "ye",
    "zo",
    "an",
    "el",
    "or",
]
STREETS = ["Street", "Road", "Lane", "Avenue", "Court", "Drive", "Square", "Place"]
TOWNS = ["Testville", "Mockton", "Sampleford", "Dummyburgh", "Fauxbury", "Placeholm", "Stubwick"]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    position = rng.randrange(1, len(text) - 1)
    operation = rng.randrange(4)
    if operation == 0:
        return text[:position] + text[position + 1 :]
    if operation == 1:
        return text[:position] + rng.choice("aeiourstnl") + text[position + 1 :]
    if operation == 2:
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text[:position] + text[position] + text[position:]


def _person(rng: random.Random, first_names: list[str], surnames: list[str]) -> dict[str, object]:
    first, last = rng.choice(first_names), rng.choice(surnames)
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 70))
    number = rng.randrange(1, 200)
    return {
        "first": first,
        "last": last,
        "dob": birth,
        "address": f"{number} {_word(rng, 2)} {rng.choice(STREETS)}",
        "town": rng.choice(TOWNS),
        "postcode": f"{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.randrange(1, 30)} "
        f"{rng.randrange(10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        "phone": f"7700{rng.randrange(10**6):06d}",
        "email": f"{first.lower()}.{last.lower()}{rng.randrange(100)}@example.{rng.choice(['org', 'net', 'com'])}",
    }


def _date_text(rng: random.Random, value: date) -> str:
    style = rng.randrange(4)
    if style == 0:
        return value.isoformat()
    if style == 1:
        return value.strftime("%d/%m/%Y")
    if style == 2:
        return value.strftime("%d.%m.%Y")
    return value.strftime("%-d %B %Y")


def _phone_text(rng: random.Random, digits: str) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"+44 {digits[:4]} {digits[4:]}"
    if style == 1:
        return f"0{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    return f"0{digits}"


def _row(rng: random.Random, person: dict[str, object], duplicate: bool) -> dict[str, str]:
    first, last = str(person["first"]), str(person["last"])
    if duplicate and rng.random() < 0.35:
        first = _typo(rng, first)
    if duplicate and rng.random() < 0.25:
        last = _typo(rng, last)
    name = f"{last}, {first}" if rng.random() < 0.07 else f"{first} {last}"
    name = name.upper() if rng.random() < 0.1 else name.lower() if rng.random() < 0.1 else name
    address = str(person["address"])
    if duplicate and rng.random() < 0.2:
        address = _typo(rng, address)
    if rng.random() < 0.3:
        address = f"{address}\n{person['town']}"  # multi-line field, quoted in the CSV
    dob = person["dob"]
    assert isinstance(dob, date)
    if duplicate and rng.random() < 0.05:
        dob = dob.replace(day=min(28, dob.day % 28 + 1))
    values = {
        "full_name": name,
        "address": address,
        "postcode": str(person["postcode"]).lower() if rng.random() < 0.2 else str(person["postcode"]),
        "phone": _phone_text(rng, str(person["phone"])),
        "email": str(person["email"]).upper() if rng.random() < 0.05 else str(person["email"]),
        "dob": _date_text(rng, dob),
    }
    for column in values:
        if rng.random() < (0.15 if column != "full_name" else 0.0):
            values[column] = ""
    return values


def generate(n: int, *, seed: int = 11, duplicate_share: float = 0.3) -> list[tuple[dict[str, str], int]]:
    """(row, true person number) for n rows; about ``duplicate_share`` of rows repeat a person."""
    rng = random.Random(seed)
    first_names = sorted({_word(rng, rng.randint(2, 3)) for _ in range(1500)})
    surnames = sorted({_word(rng, rng.randint(2, 4)) for _ in range(6000)})
    rows: list[tuple[dict[str, str], int]] = []
    people: list[dict[str, object]] = []
    while len(rows) < n:
        if people and rng.random() < duplicate_share:
            number = rng.randrange(len(people))
            rows.append((_row(rng, people[number], duplicate=True), number))
        else:
            people.append(_person(rng, first_names, surnames))
            rows.append((_row(rng, people[-1], duplicate=False), len(people) - 1))
    rng.shuffle(rows)
    return [({"id": f"P{index:06d}", **row}, person) for index, (row, person) in enumerate(rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    args = parser.parse_args(argv)
    records = generate(args.n, seed=args.seed)
    columns = ["id", "full_name", "address", "postcode", "phone", "email", "dob"]
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(row for row, _ in records)
    with args.truth.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "person"])
        writer.writerows((row["id"], person) for row, person in records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
