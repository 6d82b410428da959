"""k-anonymous (and optionally l-diverse) releases of a table by full-domain generalisation.

Every quasi-identifier column has a hierarchy of levels, from the original value (level 0) to
``*`` (the value withheld):

* numbers (ages among them): the value, then ranges of width 5, 10, 20 and 50 (and 100, 1000, …
  while narrower than the values' span), then ``*``;
* years (a numeric column whose name contains "year"): the year, then 2-, 5- and 10-year ranges;
* dates (``YYYY-MM-DD``): the month, the year, 2-, 5- and 10-year ranges;
* text: the value, then each level of a hierarchy file if one is given, then ``*``.

A *node* of the lattice picks one level per column. A node is acceptable when, after
suppressing (removing) the rows of every class of fewer than ``k`` rows — or with fewer than
``l`` distinct values in a sensitive column — at most ``max_suppression`` of the rows are
suppressed. Among acceptable nodes the one with the least information loss wins, found by a
branch-and-bound over the lattice (like ARX's optimal search): nodes are visited by their
generalisation loss, which bounds their total loss from below, and the search stops when that
bound exceeds the best total found.

Information loss of a released cell is the share of its column's range (numbers, years, dates)
or distinct values (text) that the released value could stand for, from 0 (the original) to 1
(``*``); a suppressed row counts 1 in every quasi-identifier. The loss of a release is the mean
over rows and quasi-identifiers.

The search runs on the distinct combinations of the original quasi-identifier (and sensitive)
values with their counts, so a million rows with a few hundred thousand distinct combinations
cost a few hundred thousand per node. No Django imports.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "ColumnKind",
    "Hierarchy",
    "ReleaseError",
    "ReleaseResult",
    "anonymise",
    "build_hierarchy",
    "read_hierarchy_csv",
]

WITHHELD = "*"
NUMBER_WIDTHS = (5, 10, 20, 50)
YEAR_WIDTHS = (2, 5, 10)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class ReleaseError(ValueError):
    """The table or the options cannot make a release; the message says what to change."""


class ColumnKind(StrEnum):
    NUMBER = "number"
    YEAR = "year"
    DATE = "date"
    TEXT = "text"


@dataclass(frozen=True)
class Hierarchy:
    """How one column generalises: the label of every distinct value at every level."""

    column: str
    kind: ColumnKind
    level_names: tuple[str, ...]
    # labels[level][i] is the released text of the i-th distinct value at that level.
    labels: tuple[tuple[str, ...], ...]
    # loss[level][i] is the information loss (0-1) of releasing that label for the i-th value.
    loss: tuple[tuple[float, ...], ...]

    @property
    def levels(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class ReleaseResult:
    """The released rows and everything the report states about them."""

    table: pd.DataFrame
    k: int
    l_diversity: int | None
    quasi_identifiers: tuple[str, ...]
    sensitive: tuple[str, ...]
    levels: dict[str, str]
    input_rows: int
    suppressed_rows: int
    information_loss: float
    classes: int
    smallest_class: int
    nodes_evaluated: int
    within_suppression_limit: bool
    max_suppression: float
    generalised_values: dict[str, int] = field(default_factory=dict)

    def report(self) -> dict[str, object]:
        return {
            "k": self.k,
            "l": self.l_diversity,
            "quasi_identifiers": list(self.quasi_identifiers),
            "sensitive": list(self.sensitive),
            "generalisations": self.levels,
            "generalised_values": self.generalised_values,
            "input_rows": self.input_rows,
            "released_rows": self.input_rows - self.suppressed_rows,
            "suppressed_rows": self.suppressed_rows,
            "suppression_rate": round(self.suppressed_rows / self.input_rows, 6) if self.input_rows else 0.0,
            "max_suppression": self.max_suppression,
            "within_suppression_limit": self.within_suppression_limit,
            "information_loss": round(self.information_loss, 6),
            "classes": self.classes,
            "smallest_class": self.smallest_class,
            "nodes_evaluated": self.nodes_evaluated,
        }


def read_hierarchy_csv(text: str) -> dict[str, list[str]]:
    """A hierarchy file: one line per value, ``value,level1,level2,…`` (``;`` also separates).

    Returns value → its generalisations, most specific first.
    """
    hierarchy: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in re.split(r"[;,]", line)]
        if len(parts) < 2 or not parts[0]:
            raise ReleaseError(f"hierarchy line {number}: expected value,level1[,level2…], got {line!r}")
        hierarchy[parts[0]] = [part for part in parts[1:] if part != WITHHELD]
    return hierarchy


def _kind_of(column: str, values: Sequence[str]) -> ColumnKind:
    present = [value for value in values if value != ""]
    if present and all(_DATE.match(value) for value in present):
        return ColumnKind.DATE
    if present and all(_NUMBER.match(value) for value in present):
        return ColumnKind.YEAR if "year" in column.lower() else ColumnKind.NUMBER
    return ColumnKind.TEXT


def _range_label(low: float, width: float, integral: bool) -> str:
    if integral:
        return f"{int(low)}-{int(low + width - 1)}"
    return f"[{low:g}, {low + width:g})"


def _numeric_levels(
    numbers: list[float | None], widths: Sequence[int], first_name: str
) -> tuple[list[str], list[list[str]], list[list[float]]]:
    present = [number for number in numbers if number is not None]
    span = (max(present) - min(present)) if present else 0.0
    low_all = min(present) if present else 0.0
    high_all = max(present) if present else 0.0
    integral = all(number == int(number) for number in present)
    names = [first_name]
    labels: list[list[str]] = [
        ["" if n is None else (f"{int(n)}" if integral else f"{n:g}") for n in numbers]
    ]
    losses: list[list[float]] = [[0.0 for _ in numbers]]
    for width in widths:
        names.append(f"ranges of {width}")
        level_labels: list[str] = []
        level_loss: list[float] = []
        for number in numbers:
            if number is None:
                level_labels.append("")
                level_loss.append(0.0)
                continue
            low = math.floor(number / width) * width
            level_labels.append(_range_label(low, width, integral))
            covered = min(low + width - (1 if integral else 0), high_all) - max(low, low_all)
            level_loss.append(min(1.0, max(0.0, covered) / span) if span else 0.0)
        labels.append(level_labels)
        losses.append(level_loss)
    return names, labels, losses


def build_hierarchy(
    column: str, values: Sequence[str], *, tree: Mapping[str, Sequence[str]] | None = None
) -> Hierarchy:
    """The levels of ``column`` for its distinct ``values`` ("" is a missing value)."""
    kind = ColumnKind.TEXT if tree is not None else _kind_of(column, values)
    names: list[str]
    labels: list[list[str]]
    losses: list[list[float]]
    if kind in (ColumnKind.NUMBER, ColumnKind.YEAR):
        numbers = [None if value == "" else float(value) for value in values]
        widths = YEAR_WIDTHS if kind == ColumnKind.YEAR else _number_widths(numbers)
        names, labels, losses = _numeric_levels(numbers, widths, "exact value")
    elif kind == ColumnKind.DATE:
        months = [value[:7] for value in values]
        years = [None if value == "" else float(value[:4]) for value in values]
        names, labels, losses = _numeric_levels(years, (1, *YEAR_WIDTHS), "year")
        # Dates first release the month; years follow (the year level of the numbers is exact).
        span_days = _date_span(values)
        names = ["month", "year", *names[2:]]
        labels = [months, labels[0], *labels[2:]]
        losses = [[min(1.0, 30.0 / span_days) if v else 0.0 for v in values], *losses[1:]]
        losses[1] = [min(1.0, 365.0 / span_days) if v else 0.0 for v in values]
    else:
        names, labels, losses = _text_levels(values, tree)
    names.append("withheld")
    labels.append([WITHHELD for _ in values])
    losses.append([1.0 for _ in values])
    return Hierarchy(
        column=column,
        kind=kind,
        level_names=tuple(names),
        labels=tuple(tuple(level) for level in labels),
        loss=tuple(tuple(level) for level in losses),
    )


def _number_widths(numbers: Sequence[float | None]) -> tuple[int, ...]:
    """5, 10, 20 and 50, then powers of ten while a range is narrower than the values' span."""
    present = [number for number in numbers if number is not None]
    span = (max(present) - min(present)) if present else 0.0
    widths = list(NUMBER_WIDTHS)
    width = 100
    while width < span:
        widths.append(width)
        width *= 10
    return tuple(widths)


def _date_span(values: Sequence[str]) -> float:
    days = [pd.Timestamp(value) for value in values if value]
    if len(days) < 2:
        return 1.0
    return max(1.0, float((max(days) - min(days)).days))


def _text_levels(
    values: Sequence[str], tree: Mapping[str, Sequence[str]] | None
) -> tuple[list[str], list[list[str]], list[list[float]]]:
    distinct = max(1, len({value for value in values if value}) - 1)
    names = ["exact value"]
    labels: list[list[str]] = [list(values)]
    depth = max((len(path) for path in (tree or {}).values()), default=0)
    for level in range(depth):
        names.append(f"hierarchy level {level + 1}")
        labels.append(
            [value if value == "" else _tree_label((tree or {}).get(value, ()), level) for value in values]
        )
    losses: list[list[float]] = []
    for level_labels in labels:
        members: dict[str, int] = {}
        for label in level_labels:
            members[label] = members.get(label, 0) + 1
        losses.append([0.0 if not label else (members[label] - 1) / distinct for label in level_labels])
    return names, labels, losses


def _tree_label(path: Sequence[str], level: int) -> str:
    if not path:
        return WITHHELD
    return path[min(level, len(path) - 1)]


@dataclass
class _Column:
    hierarchy: Hierarchy
    # codes[level][i]: the class code of distinct value i at that level; cardinality per level.
    codes: list[IntArray]
    cardinality: list[int]
    loss: list[FloatArray]


def _prepare_column(hierarchy: Hierarchy) -> _Column:
    codes: list[IntArray] = []
    cardinality: list[int] = []
    loss: list[FloatArray] = []
    for level in range(hierarchy.levels):
        level_codes, uniques = pd.factorize(pd.Series(hierarchy.labels[level], dtype=object), sort=False)
        codes.append(np.asarray(level_codes, dtype=np.int64))
        cardinality.append(max(1, len(uniques)))
        loss.append(np.asarray(hierarchy.loss[level], dtype=np.float64))
    return _Column(hierarchy=hierarchy, codes=codes, cardinality=cardinality, loss=loss)


def _group_ids(columns: Sequence[IntArray], cardinalities: Sequence[int]) -> tuple[IntArray, int]:
    """Dense ids of the distinct combinations of ``columns`` (mixed radix, re-densified on overflow)."""
    key = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    size = 1
    for codes, cardinality in zip(columns, cardinalities, strict=True):
        if size * cardinality >= 2**62:
            uniques, inverse = np.unique(key, return_inverse=True)
            key, size = inverse.astype(np.int64), len(uniques)
        key = key * cardinality + codes
        size *= cardinality
    uniques, inverse = np.unique(key, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1), len(uniques)


@dataclass
class _Evaluation:
    levels: tuple[int, ...]
    loss: float
    suppressed: int
    keep: npt.NDArray[np.bool_]
    classes: int
    smallest: int


class _Search:
    def __init__(
        self,
        columns: list[_Column],
        base: IntArray,
        weights: IntArray,
        sensitive: list[IntArray],
        k: int,
        l_diversity: int | None,
    ) -> None:
        self.columns = columns
        self.base = base  # distinct rows × quasi-identifiers: index of the distinct value
        self.weights = weights
        self.sensitive = sensitive
        self.k = k
        self.l_diversity = l_diversity
        self.rows = int(weights.sum())
        self.width = len(columns)
        # Weighted loss of each column at each level, over all rows: the lower bound's parts.
        self.level_loss = [
            [
                float((column.loss[level][base[:, j]] * weights).sum())
                for level in range(column.hierarchy.levels)
            ]
            for j, column in enumerate(columns)
        ]

    def bound(self, levels: tuple[int, ...]) -> float:
        total = sum(self.level_loss[j][level] for j, level in enumerate(levels))
        return total / (self.rows * self.width) if self.rows and self.width else 0.0

    def evaluate(self, levels: tuple[int, ...]) -> _Evaluation:
        group_codes = [
            column.codes[level][self.base[:, j]]
            for j, (column, level) in enumerate(zip(self.columns, levels, strict=True))
        ]
        cardinalities = [
            column.cardinality[level] for column, level in zip(self.columns, levels, strict=True)
        ]
        groups, count = _group_ids(group_codes, cardinalities)
        sizes = np.bincount(groups, weights=self.weights, minlength=count)
        ok = sizes >= self.k
        if self.l_diversity is not None:
            for values in self.sensitive:
                pairs = np.unique(groups * (int(values.max(initial=0)) + 1) + values)
                pair_groups = pairs // (int(values.max(initial=0)) + 1)
                distinct = np.bincount(pair_groups, minlength=count)
                ok &= distinct >= self.l_diversity
        keep = ok[groups]
        suppressed = int(self.weights[~keep].sum())
        kept_loss = sum(
            float((column.loss[level][self.base[keep, j]] * self.weights[keep]).sum())
            for j, (column, level) in enumerate(zip(self.columns, levels, strict=True))
        )
        total = kept_loss + suppressed * self.width
        loss = total / (self.rows * self.width) if self.rows and self.width else 0.0
        kept_sizes = sizes[ok]
        return _Evaluation(
            levels=levels,
            loss=loss,
            suppressed=suppressed,
            keep=keep,
            classes=int(ok.sum()),
            smallest=int(kept_sizes.min()) if len(kept_sizes) else 0,
        )


def _search(search: _Search, max_suppression: float) -> tuple[_Evaluation, bool, int]:
    """The acceptable node of least loss (or, if none is, the one of least loss overall)."""
    top = tuple(column.hierarchy.levels - 1 for column in search.columns)
    start = tuple(0 for _ in search.columns)
    queue: list[tuple[float, tuple[int, ...]]] = [(search.bound(start), start)]
    seen = {start}
    best: _Evaluation | None = None
    fallback: _Evaluation | None = None
    evaluated = 0
    limit = max_suppression * search.rows
    while queue:
        bound, levels = heapq.heappop(queue)
        if best is not None and bound >= best.loss:
            break
        evaluation = search.evaluate(levels)
        evaluated += 1
        if evaluation.suppressed <= limit + 1e-9:
            if best is None or evaluation.loss < best.loss:
                best = evaluation
        elif fallback is None or evaluation.loss < fallback.loss:
            fallback = evaluation
        # A node with nothing suppressed cannot be beaten by a more general one: stop climbing.
        if evaluation.suppressed == 0:
            continue
        for j in range(len(levels)):
            if levels[j] < top[j]:
                successor = (*levels[:j], levels[j] + 1, *levels[j + 1 :])
                if successor not in seen:
                    seen.add(successor)
                    heapq.heappush(queue, (search.bound(successor), successor))
    if best is not None:
        return best, True, evaluated
    assert fallback is not None  # the start node is always evaluated
    return fallback, False, evaluated


def anonymise(
    table: pd.DataFrame,
    *,
    quasi_identifiers: Sequence[str],
    k: int,
    sensitive: Sequence[str] = (),
    l_diversity: int | None = None,
    hierarchies: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    max_suppression: float = 0.05,
    drop: Sequence[str] = (),
    progress: Callable[[float], None] | None = None,
) -> ReleaseResult:
    """Generalise and suppress ``table`` (all cells text, "" missing) so that it is k-anonymous.

    Every combination of released quasi-identifier values occurs at least ``k`` times (and, with
    ``l_diversity``, with at least that many distinct values of every ``sensitive`` column);
    suppressed rows are left out. Columns in ``drop`` are removed; the others are kept as given.
    """
    problems = _check(table, quasi_identifiers, k, sensitive, l_diversity, max_suppression, drop, hierarchies)
    if problems:
        raise ReleaseError("; ".join(problems))
    table = table.fillna("").astype(str)
    columns: list[_Column] = []
    value_index: list[IntArray] = []
    for name in quasi_identifiers:
        codes, uniques = pd.factorize(table[name], sort=True)
        hierarchy = build_hierarchy(name, [str(u) for u in uniques], tree=(hierarchies or {}).get(name))
        columns.append(_prepare_column(hierarchy))
        value_index.append(np.asarray(codes, dtype=np.int64))
    sensitive_index = [np.asarray(pd.factorize(table[name])[0], dtype=np.int64) for name in sensitive]
    if progress:
        progress(0.1)
    all_codes = [*value_index, *sensitive_index]
    cards = [int(codes.max(initial=-1)) + 1 or 1 for codes in all_codes]
    distinct_of_row, distinct_count = (
        _group_ids(all_codes, cards) if len(table) else (np.zeros(0, np.int64), 0)
    )
    first = np.full(distinct_count, -1, dtype=np.int64)
    first[distinct_of_row[::-1]] = np.arange(len(table) - 1, -1, -1)
    weights = np.bincount(distinct_of_row, minlength=distinct_count).astype(np.int64)
    base = (
        np.stack([codes[first] for codes in value_index], axis=1)
        if len(table)
        else np.zeros((0, len(columns)), np.int64)
    )
    sensitive_base = [codes[first] for codes in sensitive_index]
    search = _Search(columns, base, weights, sensitive_base, k, l_diversity if sensitive else None)
    if len(table) == 0:
        chosen = _Evaluation(tuple(0 for _ in columns), 0.0, 0, np.zeros(0, dtype=np.bool_), 0, 0)
        within, evaluated = True, 0
    else:
        chosen, within, evaluated = _search(search, max_suppression)
    if progress:
        progress(0.8)
    keep_rows = chosen.keep[distinct_of_row] if len(table) else np.zeros(0, dtype=np.bool_)
    released = table[keep_rows].copy()
    generalised: dict[str, int] = {}
    level_names: dict[str, str] = {}
    for j, (column, level) in enumerate(zip(columns, chosen.levels, strict=True)):
        labels = np.asarray(column.hierarchy.labels[level], dtype=object)
        new_values = labels[value_index[j][keep_rows]]
        generalised[column.hierarchy.column] = int(
            (new_values != released[column.hierarchy.column].to_numpy()).sum()
        )
        released[column.hierarchy.column] = new_values
        level_names[column.hierarchy.column] = column.hierarchy.level_names[level]
    released = released.drop(columns=list(drop)).reset_index(drop=True)
    return ReleaseResult(
        table=released,
        k=k,
        l_diversity=l_diversity if sensitive else None,
        quasi_identifiers=tuple(quasi_identifiers),
        sensitive=tuple(sensitive),
        levels=level_names,
        input_rows=len(table),
        suppressed_rows=chosen.suppressed,
        information_loss=chosen.loss,
        classes=chosen.classes,
        smallest_class=chosen.smallest,
        nodes_evaluated=evaluated,
        within_suppression_limit=within,
        max_suppression=max_suppression,
        generalised_values=generalised,
    )


def _check(
    table: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    k: int,
    sensitive: Sequence[str],
    l_diversity: int | None,
    max_suppression: float,
    drop: Sequence[str],
    hierarchies: Mapping[str, object] | None,
) -> list[str]:
    problems: list[str] = []
    if not quasi_identifiers:
        problems.append("choose at least one quasi-identifier column")
    if len(set(quasi_identifiers)) != len(quasi_identifiers):
        problems.append("a quasi-identifier column is named twice")
    missing = [
        name for name in itertools.chain(quasi_identifiers, sensitive, drop) if name not in table.columns
    ]
    if missing:
        problems.append(
            f"no column named {', '.join(sorted(set(missing)))} (columns: {', '.join(map(str, table.columns))})"
        )
    if k < 2:
        problems.append(f"k must be at least 2, got {k}")
    if l_diversity is not None and l_diversity < 2:
        problems.append(f"l must be at least 2, got {l_diversity}")
    if l_diversity is not None and not sensitive:
        problems.append("l-diversity needs at least one sensitive column")
    if set(sensitive) & set(quasi_identifiers):
        problems.append("a column cannot be both a quasi-identifier and sensitive")
    if set(drop) & set(quasi_identifiers):
        problems.append("a quasi-identifier column cannot be dropped")
    if not 0.0 <= max_suppression <= 1.0:
        problems.append(f"the suppression limit must be between 0 and 1, got {max_suppression}")
    unknown = set(hierarchies or {}) - set(quasi_identifiers)
    if unknown:
        problems.append(
            f"a hierarchy is given for {', '.join(sorted(unknown))}, which is not a quasi-identifier"
        )
    return problems
