"""Parsers that turn uploaded indicator tables into long-form observations for the index.

Three formats, all UTF-8 CSV (a byte-order mark is allowed):

* long: columns ``region, year, indicator, value`` (header names are case-insensitive);
* wide: one row per region (or per region and year), one column per indicator;
* World Bank indicator download: optional metadata lines, then ``Country Name, Country Code,
  Indicator Name, Indicator Code, 1960, 1961, …``; one row per country or aggregate.

Every parser returns a ``ParsedTable`` whose ``observations`` are a DataFrame with the columns
``region`` (str), ``year`` (Int64, empty only for undated wide tables), ``indicator`` (str) and
``value`` (float64, NaN for a missing value) — or raises ``TableError`` carrying every problem
found in the file (missing columns, unknown regions, non-numeric values with their line and
column, duplicates). Nothing is ever half-returned.

Empty cells and the markers ``NA``, ``N/A``, ``NaN``, ``..`` and ``-`` are missing values.
Line numbers in problems are physical lines of the file, header included, counting from 1.

No Django imports.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import IO

import pandas as pd
import pycountry

__all__ = [
    "MISSING_MARKERS",
    "LeftOutRow",
    "ParsedTable",
    "TableError",
    "TableProblem",
    "read_long_csv",
    "read_wide_csv",
    "read_worldbank_csv",
]

MISSING_MARKERS = frozenset({"", "na", "n/a", "nan", "..", "-"})
LONG_COLUMNS = ("region", "year", "indicator", "value")
WORLDBANK_COLUMNS = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")

Source = str | os.PathLike[str] | bytes | IO[str] | IO[bytes]


@dataclass(frozen=True)
class TableProblem:
    """One thing wrong with an uploaded table, located by file line and column where possible."""

    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class TableError(ValueError):
    """The table cannot be imported; ``problems`` lists every problem, in file order."""

    def __init__(self, problems: Sequence[TableProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}: " + "; ".join(map(str, self.problems)))


@dataclass(frozen=True)
class LeftOutRow:
    """A row deliberately not imported, such as a World Bank aggregate ('World', 'Low income')."""

    code: str
    name: str
    reason: str


@dataclass(frozen=True)
class ParsedTable:
    """Long-form observations and what was deliberately left out of them."""

    observations: pd.DataFrame
    left_out: tuple[LeftOutRow, ...] = ()
    indicator_names: dict[str, str] = field(default_factory=dict)


# --- reading text -----------------------------------------------------------------------------


def _read_text(source: Source) -> str:
    """The whole source as text, byte-order mark removed; undecodable bytes raise TableError."""
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as handle:
                raw: str | bytes = handle.read()
        except OSError as error:
            raise TableError([TableProblem(f"cannot read the file: {error.strerror or error}")]) from error
    elif isinstance(source, bytes):
        raw = source
    else:
        raw = source.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TableError(
                [TableProblem(f"the file is not UTF-8 text (byte {error.start} cannot be decoded)")]
            ) from error
    return raw.removeprefix("\ufeff")


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every non-blank CSV record; the line is where the record starts."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise TableError([TableProblem(f"not valid CSV: {error}", line=line)]) from error


def _parse_value(cell: str) -> float | None:
    """The number in a cell; NaN for a missing-value marker; None when it is not a finite number."""
    text = cell.strip()
    if text.lower() in MISSING_MARKERS:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_year(cell: str) -> int | None:
    text = cell.strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


def _header_index(
    header: list[str], wanted: Iterable[str], line: int, problems: list[TableProblem], *, fold: bool
) -> dict[str, int]:
    """Positions of wanted columns; each absent or repeated one is a problem."""
    names = [cell.strip().lower() if fold else cell.strip() for cell in header]
    positions: dict[str, int] = {}
    for column in wanted:
        key = column.lower() if fold else column
        found = [i for i, name in enumerate(names) if name == key]
        if not found:
            problems.append(TableProblem("missing column", line=line, column=column))
        elif len(found) > 1:
            problems.append(TableProblem("column appears more than once", line=line, column=column))
        else:
            positions[column] = found[0]
    return positions


def _cell(cells: list[str], position: int) -> str:
    return cells[position] if position < len(cells) else ""


def _check_region(
    region: str, line: int, column: str, known: Collection[str] | None, problems: list[TableProblem]
) -> None:
    if not region:
        problems.append(TableProblem("region is empty", line=line, column=column))
    elif known is not None and region not in known:
        hint = f" (did you mean {region.upper()!r}?)" if region.upper() in known else ""
        problems.append(TableProblem(f"unknown region {region!r}{hint}", line=line, column=column))


def _observations(records: list[tuple[str, int | None, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(LONG_COLUMNS))
    return frame.astype({"region": str, "year": "Int64", "indicator": str, "value": "float64"})


class _Duplicates:
    """Remembers the first line of each key, and reports later lines with the same key."""

    def __init__(self, what: str) -> None:
        self._first_line: dict[tuple[object, ...], int] = {}
        self._what = what

    def check(self, key: tuple[object, ...], line: int, problems: list[TableProblem]) -> None:
        first = self._first_line.setdefault(key, line)
        if first != line:
            label = " + ".join(str(part) for part in key if part is not None)
            problems.append(
                TableProblem(f"duplicate {self._what} {label} (first on line {first})", line=line)
            )


# --- long -------------------------------------------------------------------------------------


def read_long_csv(source: Source, *, known_regions: Collection[str] | None = None) -> ParsedTable:
    """Parse a long CSV (region, year, indicator, value; any other columns are ignored).

    Guarantees: either all rows are returned, or ``TableError`` lists every problem — missing
    columns, empty or unknown regions (when ``known_regions`` is given), years that are not whole
    numbers, empty indicators, values that are not numbers, duplicate region+year+indicator.
    """
    problems: list[TableProblem] = []
    rows = _rows(_read_text(source))
    header_line, header = next(rows, (1, []))
    if not header:
        raise TableError([TableProblem("the file is empty")])
    positions = _header_index(header, LONG_COLUMNS, header_line, problems, fold=True)
    if problems:
        raise TableError(problems)
    records: list[tuple[str, int | None, str, float]] = []
    duplicates = _Duplicates("region + year + indicator")
    for line, cells in rows:
        region = _cell(cells, positions["region"]).strip()
        _check_region(region, line, "region", known_regions, problems)
        year = _parse_year(_cell(cells, positions["year"]))
        if year is None:
            problems.append(
                TableProblem(
                    f"year {_cell(cells, positions['year'])!r} is not a year", line=line, column="year"
                )
            )
        indicator = _cell(cells, positions["indicator"]).strip()
        if not indicator:
            problems.append(TableProblem("indicator is empty", line=line, column="indicator"))
        value = _parse_value(_cell(cells, positions["value"]))
        if value is None:
            problems.append(
                TableProblem(
                    f"{_cell(cells, positions['value'])!r} is not a number", line=line, column="value"
                )
            )
        duplicates.check((region, year, indicator), line, problems)
        records.append((region, year, indicator, math.nan if value is None else value))
    if problems:
        raise TableError(problems)
    return ParsedTable(observations=_observations(records))


# --- wide -------------------------------------------------------------------------------------


def read_wide_csv(
    source: Source,
    *,
    region_column: str,
    year_column: str | None = None,
    indicator_columns: Sequence[str] | None = None,
    known_regions: Collection[str] | None = None,
) -> ParsedTable:
    """Parse a wide CSV: one row per region (per region and year with ``year_column``).

    Indicators are ``indicator_columns`` or, when None, every other column; the column name is
    the indicator id. Header names match exactly (after stripping spaces). Guarantees as for
    ``read_long_csv``; a repeated region (or region + year) is a duplicate. Without
    ``year_column`` the observations' year is empty (undated).
    """
    problems: list[TableProblem] = []
    rows = _rows(_read_text(source))
    header_line, header = next(rows, (1, []))
    if not header:
        raise TableError([TableProblem("the file is empty")])
    key_columns = [region_column] + ([year_column] if year_column else [])
    names = [cell.strip() for cell in header]
    if indicator_columns is None:
        indicator_columns = [name for name in dict.fromkeys(names) if name and name not in key_columns]
        if not indicator_columns:
            problems.append(
                TableProblem("no indicator columns besides the region and year", line=header_line)
            )
    indicator_columns = list(dict.fromkeys(indicator_columns))
    positions = _header_index(header, [*key_columns, *indicator_columns], header_line, problems, fold=False)
    if problems:
        raise TableError(problems)
    records: list[tuple[str, int | None, str, float]] = []
    duplicates = _Duplicates("region + year" if year_column else "region")
    for line, cells in rows:
        region = _cell(cells, positions[region_column]).strip()
        _check_region(region, line, region_column, known_regions, problems)
        year = None
        if year_column:
            year = _parse_year(_cell(cells, positions[year_column]))
            if year is None:
                text = _cell(cells, positions[year_column])
                problems.append(TableProblem(f"year {text!r} is not a year", line=line, column=year_column))
        duplicates.check((region, year), line, problems)
        for indicator in indicator_columns:
            text = _cell(cells, positions[indicator])
            value = _parse_value(text)
            if value is None:
                problems.append(TableProblem(f"{text!r} is not a number", line=line, column=indicator))
            records.append((region, year, indicator, math.nan if value is None else value))
    if problems:
        raise TableError(problems)
    return ParsedTable(observations=_observations(records))


# --- World Bank -------------------------------------------------------------------------------


@cache
def _alpha2_by_alpha3() -> dict[str, str]:
    return {country.alpha_3: country.alpha_2 for country in pycountry.countries}


def read_worldbank_csv(source: Source, *, known_regions: Collection[str] | None = None) -> ParsedTable:
    """Parse a World Bank indicator download (``API_<code>_DS2_…csv`` or the bulk WDI file).

    Lines before the header row (``Country Name, Country Code, Indicator Name, Indicator Code,
    <years>``) are metadata and skipped. A row is kept only when its Country Code is the ISO
    3166-1 alpha-3 code of a country (pycountry); everything else — regions, income groups,
    lending groups, 'World', and codes outside ISO such as Kosovo's XKX — is listed in
    ``left_out``. Regions are ISO alpha-2 codes (``known_regions`` is checked against them), the
    indicator id is the Indicator Code. Only non-empty values become observations.
    """
    problems: list[TableProblem] = []
    rows = _rows(_read_text(source))
    header_line, header = _worldbank_header(rows)
    positions = _header_index(header, WORLDBANK_COLUMNS, header_line, problems, fold=False)
    year_columns = _worldbank_year_columns(header, positions, header_line, problems)
    if problems:
        raise TableError(problems)
    alpha2 = _alpha2_by_alpha3()
    records: list[tuple[str, int | None, str, float]] = []
    left_out: list[LeftOutRow] = []
    indicator_names: dict[str, str] = {}
    duplicates = _Duplicates("country + indicator")
    for line, cells in rows:
        code = _cell(cells, positions["Country Code"]).strip()
        name = _cell(cells, positions["Country Name"]).strip()
        if code not in alpha2:
            reason = "no country code" if not code else "aggregate or not an ISO 3166-1 country"
            left_out.append(LeftOutRow(code=code, name=name, reason=reason))
            continue
        region = alpha2[code]
        if known_regions is not None and region not in known_regions:
            problems.append(
                TableProblem(f"unknown region {region!r} ({name}, {code})", line=line, column="Country Code")
            )
        indicator = _cell(cells, positions["Indicator Code"]).strip()
        if not indicator:
            problems.append(TableProblem("indicator code is empty", line=line, column="Indicator Code"))
        indicator_names.setdefault(indicator, _cell(cells, positions["Indicator Name"]).strip())
        duplicates.check((code, indicator), line, problems)
        for position, year in year_columns:
            text = _cell(cells, position)
            value = _parse_value(text)
            if value is None:
                problems.append(TableProblem(f"{text!r} is not a number", line=line, column=str(year)))
            elif not math.isnan(value):
                records.append((region, year, indicator, value))
    if problems:
        raise TableError(problems)
    return ParsedTable(
        observations=_observations(records), left_out=tuple(left_out), indicator_names=indicator_names
    )


def _worldbank_header(rows: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for line, cells in rows:
        if [cell.strip() for cell in cells[:2]] == list(WORLDBANK_COLUMNS[:2]):
            return line, cells
    raise TableError(
        [TableProblem("not a World Bank indicator file: no header row starting 'Country Name,Country Code'")]
    )


def _worldbank_year_columns(
    header: list[str], positions: dict[str, int], line: int, problems: list[TableProblem]
) -> list[tuple[int, int]]:
    """(position, year) of every year column; other non-empty extra columns are problems."""
    year_columns = []
    for position, cell in enumerate(header):
        name = cell.strip()
        if position in positions.values() or not name:
            continue  # real downloads end every line with a comma, giving an unnamed last column
        year = _parse_year(name)
        if year is None:
            problems.append(TableProblem("unexpected column (expected a year)", line=line, column=name))
        else:
            year_columns.append((position, year))
    if not year_columns:
        problems.append(TableProblem("no year columns", line=line))
    return year_columns
