"""Reading a file of online ads (CSV or JSON Lines) and checking every row before any is stored.

Plain Python, no Django. Columns: ``id`` and ``text`` are required; ``posted_at`` (ISO 8601
date or date-time), ``phones`` (a list in JSON, or values separated by ``;`` or ``|`` in CSV),
``location`` and ``site`` are optional. Every problem is listed with its row number (1 is the
first data row) and field, so an analyst can fix the file in one go.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

MAX_ROWS = 200_000
MAX_TEXT = 20_000
_PHONE_SPLIT = re.compile(r"[;|]")


@dataclass(frozen=True)
class RowError:
    row: int | None
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class AdRow:
    ad_id: str
    text: str
    posted_at: datetime | None = None
    phones: tuple[str, ...] = ()
    location: str = ""
    site: str = ""


@dataclass
class ParsedAds:
    rows: list[AdRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0


def _posted_at(value: Any) -> datetime | None:
    text = str(value).strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _phones(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    return tuple(part.strip() for part in _PHONE_SPLIT.split(str(value)) if part.strip())


def _row(number: int, record: dict[str, Any], seen: set[str], errors: list[RowError]) -> AdRow | None:
    problems = len(errors)
    ad_id = str(record.get("id") or "").strip()
    text = str(record.get("text") or "").strip()
    if not ad_id:
        errors.append(RowError(number, "id", "id is missing"))
    elif len(ad_id) > 100:
        errors.append(RowError(number, "id", "id is longer than 100 characters"))
    elif ad_id in seen:
        errors.append(RowError(number, "id", f"id {ad_id!r} appears more than once in the file"))
    if not text:
        errors.append(RowError(number, "text", "text is missing"))
    elif len(text) > MAX_TEXT:
        errors.append(RowError(number, "text", f"text is longer than {MAX_TEXT} characters"))
    posted_at = None
    try:
        posted_at = _posted_at(record.get("posted_at") or "")
    except ValueError:
        errors.append(
            RowError(number, "posted_at", f"{record.get('posted_at')!r} is not a date (use 2024-05-31)")
        )
    phones_value = record.get("phones")
    if phones_value is not None and not isinstance(phones_value, list | str | int):
        errors.append(RowError(number, "phones", "phones must be a list or text"))
        phones_value = None
    for name in ("location", "site"):
        if len(str(record.get(name) or "")) > 200:
            errors.append(RowError(number, name, f"{name} is longer than 200 characters"))
    seen.add(ad_id)
    if len(errors) > problems:
        return None
    return AdRow(
        ad_id=ad_id,
        text=text,
        posted_at=posted_at,
        phones=_phones(phones_value),
        location=str(record.get("location") or "").strip(),
        site=str(record.get("site") or "").strip(),
    )


def read_ads(content: str, file_format: str) -> ParsedAds:
    """Every row as an ``AdRow``, or every problem; ``rows`` is only complete when ``errors`` is empty."""
    parsed = ParsedAds()
    records: list[tuple[int, dict[str, Any]]] = []
    if file_format == "csv":
        reader = csv.DictReader(io.StringIO(content))
        columns = {name.strip().lower() for name in reader.fieldnames or []}
        missing = sorted({"id", "text"} - columns)
        if missing:
            parsed.errors.append(
                RowError(None, ",".join(missing), "required column missing: " + ", ".join(missing))
            )
            return parsed
        for number, raw in enumerate(reader, start=1):
            records.append((number, {(k or "").strip().lower(): v for k, v in raw.items()}))
        parsed.row_count = len(records)
    else:
        number = 0
        for line in content.splitlines():
            if not line.strip():
                continue
            number += 1
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                parsed.errors.append(RowError(number, "", f"not valid JSON: {error.msg}"))
                continue
            if not isinstance(value, dict):
                parsed.errors.append(RowError(number, "", "each line must be a JSON object"))
                continue
            records.append((number, value))
        parsed.row_count = number
    if parsed.row_count > MAX_ROWS:
        parsed.errors.append(RowError(None, "", f"more than {MAX_ROWS} rows; split the file"))
        return parsed
    seen: set[str] = set()
    for number, record in records:
        row = _row(number, record, seen, parsed.errors)
        if row is not None:
            parsed.rows.append(row)
    if not parsed.row_count:
        parsed.errors.append(RowError(None, "", "the file has no rows"))
    parsed.errors.sort(key=lambda error: (error.row or 0, error.field))
    return parsed
