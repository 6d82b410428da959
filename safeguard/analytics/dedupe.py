"""File-level jobs behind ``python -m safeguard.analytics``: deduplicate a CSV, cluster ads.

Both read messy input defensively and raise `InputError` with one readable sentence for any
problem with the input, so the command line can print it and exit with status 2.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from safeguard.analytics.adclusters import (
    Ad,
    ClusterResult,
    OrganisedGroup,
    cluster_ads,
    find_organised_groups,
    normalise_identifier,
)
from safeguard.analytics.linking import Decision, FieldKind, LinkageOptions, LinkField, link_records

__all__ = ["InputError", "ads_cluster_file", "dedupe_file", "read_csv_rows", "templates_path"]

csv.field_size_limit(16 * 1024 * 1024)


class InputError(Exception):
    """The input cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class DedupeSummary:
    rows: int
    clusters: int


@dataclass(frozen=True)
class AdsSummary:
    ads: int
    clusters: int
    clustered_ads: int
    organised_groups: int
    templates_file: Path


def _open_text(path: Path) -> Any:
    if not path.exists():
        raise InputError(f"input file not found: {path}")
    if path.is_dir():
        raise InputError(f"input is a directory, not a file: {path}")
    return path.open(encoding="utf-8-sig", newline="")


def read_csv_rows(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    """All rows of a CSV with a header; quoted fields may hold newlines. Checks required columns."""
    try:
        with _open_text(path) as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise InputError(f"input file is empty (no header row): {path}")
            missing = [column for column in required if column not in header]
            if missing:
                raise InputError(
                    f"column(s) not in {path.name}: {', '.join(missing)} (it has: {', '.join(header)})"
                )
            rows = [{key: value or "" for key, value in row.items() if key is not None} for row in reader]
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text: {error.reason} at byte {error.start}") from None
    except csv.Error as error:
        raise InputError(f"{path} is not valid CSV: {error}") from None
    if not rows:
        raise InputError(f"input file has a header but no rows: {path}")
    return rows


def _check_ids(ids: Sequence[str], id_column: str) -> None:
    seen: set[str] = set()
    for line, record_id in enumerate(ids, start=2):
        if not record_id.strip():
            raise InputError(f"row {line - 1} has an empty {id_column!r}")
        if record_id in seen:
            raise InputError(f"{id_column!r} is not unique: {record_id!r} appears more than once")
        seen.add(record_id)


def _write_assignments(path: Path, rows: Iterator[tuple[str, str]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "cluster_id"])
            writer.writerows(rows)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None


def _phase_bar(total: int, enabled: bool) -> tuple[Callable[[str], None], Callable[[], None]]:
    bar = tqdm(total=total, desc="dedupe", unit="phase", file=sys.stderr, disable=not enabled)

    def step(phase: str) -> None:
        bar.set_description(phase)
        bar.update(1)

    return step, bar.close


# A file job has nobody to review uncertain pairs: link every pair the model finds more likely
# a match than not, and let the clustering refuse weakly supported merges.
DEDUPE_OPTIONS = LinkageOptions(auto_threshold=0.5, review_threshold=0.5)


def read_labels(path: Path, known_ids: set[str]) -> list[Decision]:
    """Labelled pairs from ``id_left,id_right,match`` (match 1/0, true/false, yes/no)."""
    rows = read_csv_rows(path, ["id_left", "id_right", "match"])
    labels = []
    for line, row in enumerate(rows, start=2):
        verdict = row["match"].strip().lower()
        if verdict not in {"1", "0", "true", "false", "yes", "no"}:
            raise InputError(f"{path.name} line {line}: match must be 1 or 0, not {row['match']!r}")
        for column in ("id_left", "id_right"):
            if row[column] not in known_ids:
                raise InputError(f"{path.name} line {line}: {column} {row[column]!r} is not an input id")
        labels.append(Decision(row["id_left"], row["id_right"], same_person=verdict in {"1", "true", "yes"}))
    return labels


def dedupe_file(
    input_path: Path,
    out_path: Path,
    *,
    id_column: str,
    columns: Mapping[FieldKind, Sequence[str]],
    labels_path: Path | None = None,
    show_progress: bool = True,
) -> DedupeSummary:
    """Write ``id,cluster_id`` for every input row, once, in input order.

    Rows are linked with the model of `linking.link_records` (`DEDUPE_OPTIONS`), unsupervised
    unless labelled pairs are given: then a pair labelled a match is in one cluster, a pair
    labelled a non-match in two (unless other matches chain them), and the model learns from
    them. A row linked to no other gets a cluster of its own, whose id is its own id (a
    cluster's id is always the id of its first row in the input).
    """
    fields = [LinkField(column, kind) for kind, names in columns.items() for column in names]
    if not fields:
        raise InputError("give at least one column to compare (--name, --address, --postcode, ...)")
    rows = read_csv_rows(input_path, [id_column, *(field.column for field in fields)])
    ids = [row[id_column] for row in rows]
    _check_ids(ids, id_column)
    labels = read_labels(labels_path, set(ids)) if labels_path is not None else []
    options = dataclasses.replace(DEDUPE_OPTIONS, learn_from_decisions=bool(labels))
    step, close = _phase_bar(4, show_progress)
    try:
        result = link_records(
            rows, fields, id_column=id_column, decisions=labels, options=options, progress=step
        )
    finally:
        close()
    _write_assignments(out_path, ((record_id, result.cluster_of[record_id]) for record_id in ids))
    return DedupeSummary(rows=len(rows), clusters=len(result.clusters))


# ---------------------------------------------------------------------------------------------
# Ads


def templates_path(out_path: Path) -> Path:
    """Where the templates go: beside the assignments, ``CLUSTERS.csv`` -> ``CLUSTERS.templates.json``."""
    return out_path.with_name(f"{out_path.stem}.templates.json")


def _parse_time(value: object, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: posted_at {value!r} is not an ISO 8601 date-time") from None


def _read_jsonl_ads(path: Path, text_column: str, id_column: str) -> list[Ad]:
    ads: list[Ad] = []
    try:
        with _open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(f"{path.name} line {number} is not valid JSON: {error.msg}") from None
                if not isinstance(record, dict):
                    raise InputError(f"{path.name} line {number} is not a JSON object")
                for column in (id_column, text_column):
                    if column not in record:
                        raise InputError(f"{path.name} line {number} has no {column!r}")
                phones = record.get("phones") or []
                if isinstance(phones, str):
                    phones = [phones]
                ads.append(
                    Ad(
                        ad_id=str(record[id_column]),
                        text=str(record[text_column] or ""),
                        site=str(record.get("site") or ""),
                        posted_at=_parse_time(record.get("posted_at"), f"{path.name} line {number}"),
                        identifiers=tuple(str(phone) for phone in phones),
                        location=str(record.get("location") or ""),
                    )
                )
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text: {error.reason} at byte {error.start}") from None
    if not ads:
        raise InputError(f"input file has no ads: {path}")
    return ads


def _read_csv_ads(path: Path, text_column: str, id_column: str) -> list[Ad]:
    rows = read_csv_rows(path, [id_column, text_column])
    return [
        Ad(
            ad_id=row[id_column],
            text=row[text_column],
            site=row.get("site", ""),
            posted_at=_parse_time(row.get("posted_at"), f"{path.name} row {number}"),
            identifiers=tuple(part for part in row.get("phones", "").split(";") if part.strip()),
            location=row.get("location", ""),
        )
        for number, row in enumerate(rows, start=1)
    ]


def read_ads(path: Path, *, text_column: str = "text", id_column: str = "id") -> list[Ad]:
    """Ads from JSON Lines (``.jsonl``/``.ndjson``) or CSV (anything else); ids checked unique."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        ads = _read_jsonl_ads(path, text_column, id_column)
    else:
        ads = _read_csv_ads(path, text_column, id_column)
    _check_ids([ad.ad_id for ad in ads], id_column)
    return ads


def _group_json(group: OrganisedGroup) -> dict[str, object]:
    return {
        "group_id": group.group_id,
        "score": group.score,
        "cluster_ids": list(group.cluster_ids),
        "ad_count": len(group.ad_ids),
        "ad_ids": list(group.ad_ids),
        "sites": list(group.sites),
        "shared_identifiers": list(group.shared_identifiers),
        "identifier_count": len(group.identifiers),
        "first_posted": group.first_posted.isoformat() if group.first_posted else None,
        "last_posted": group.last_posted.isoformat() if group.last_posted else None,
    }


def _templates_json(result: ClusterResult, groups: Sequence[OrganisedGroup]) -> dict[str, object]:
    clusters = []
    for cluster in result.clusters:
        template = cluster.template
        clusters.append(
            {
                "cluster_id": cluster.cluster_id,
                "size": cluster.size,
                "template": template.text if template else None,
                "tokens": list(template.tokens) if template else [],
                "slots": [
                    {"name": slot.name, "kind": slot.kind, "values": [list(v) for v in slot.values]}
                    for slot in (template.slots if template else ())
                ],
                "template_sample_size": template.sample_size if template else 0,
            }
        )
    return {"clusters": clusters, "organised_groups": [_group_json(group) for group in groups]}


def _with_text_identifiers(ads: Sequence[Ad]) -> list[Ad]:
    """Identifiers given with each ad plus phones and e-mails written in its text."""
    from safeguard.analytics.adclusters import _surface_tokens

    enriched = []
    for ad in ads:
        found = [surface for masked, surface in _surface_tokens(ad.text) if masked in {"PHONE", "EMAIL"}]
        keys = {normalise_identifier(value) for value in (*ad.identifiers, *found)} - {""}
        enriched.append(Ad(ad.ad_id, ad.text, ad.site, ad.posted_at, tuple(sorted(keys)), ad.location))
    return enriched


def ads_cluster_file(
    input_path: Path,
    out_path: Path,
    *,
    text_column: str = "text",
    id_column: str = "id",
    show_progress: bool = True,
) -> AdsSummary:
    """Write ``id,cluster_id`` for every ad (empty cluster id: in no cluster) and the templates.

    The templates, their slots and the organised-activity groups go to `templates_path`.
    """
    ads = read_ads(input_path, text_column=text_column, id_column=id_column)
    bars: dict[str, tqdm] = {}

    def progress(phase: str, total: int, amount: int) -> None:
        if phase not in bars:
            bars[phase] = tqdm(total=total, desc=phase, unit="ad", file=sys.stderr, disable=not show_progress)
        bars[phase].update(amount)

    try:
        result = cluster_ads(ads, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    groups = find_organised_groups(_with_text_identifiers(ads), result)
    _write_assignments(
        out_path,
        ((ad.ad_id, "" if (c := result.cluster_of.get(ad.ad_id)) is None else str(c)) for ad in ads),
    )
    destination = templates_path(out_path)
    try:
        destination.write_text(json.dumps(_templates_json(result, groups), indent=1, ensure_ascii=False))
    except OSError as error:
        raise InputError(f"cannot write {destination}: {error.strerror}") from None
    return AdsSummary(
        ads=len(ads),
        clusters=len(result.clusters),
        clustered_ads=len(result.cluster_of),
        organised_groups=len(groups),
        templates_file=destination,
    )
