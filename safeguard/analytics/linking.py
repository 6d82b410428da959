"""Probabilistic record linking (Fellegi–Sunter, through Splink 5) for person mentions and tables.

Records are normalised (case, accents, punctuation, phone and date formats), compared field by
field (Jaro-Winkler and Levenshtein on names, numeric ranges on age, exact on gender and
identifier keys), scored with a Fellegi–Sunter model whose parameters are estimated without
labels (u by random sampling, m by expectation maximisation over blocking rules) and clustered:

* pairs with match probability >= ``auto_threshold`` are linked;
* pairs in ``[review_threshold, auto_threshold)`` are listed for an analyst;
* analysts' decisions override the model: a confirmed pair is always linked, a rejected pair is
  never put in one cluster by the model (see `cluster_with_decisions`).

DuckDB is the default engine; ``engine="spark"`` runs the same SQL on a local Spark session.
No Django imports: services and tasks call these functions and store the results.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

import pyarrow as pa

__all__ = [
    "Decision",
    "FieldKind",
    "LinkField",
    "LinkageOptions",
    "LinkageResult",
    "PersonMention",
    "ScoredPair",
    "cluster_with_decisions",
    "link_people",
    "link_records",
    "normalise_date",
    "normalise_name",
    "normalise_phone",
    "prepare_table",
]

logger = logging.getLogger(__name__)

Engine = Literal["duckdb", "spark"]
ID_COLUMN = "unique_id"


class FieldKind(StrEnum):
    NAME = "name"
    ADDRESS = "address"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    DATE = "date"
    BIRTH_YEAR = "birth_year"
    GENDER = "gender"
    PLACE = "place"
    KEYS = "keys"  # a set of exact identifiers (blind keys, aliases): linked if any is shared
    EXACT = "exact"


@dataclass(frozen=True)
class LinkField:
    """A column of the input and how to compare it."""

    column: str
    kind: FieldKind


@dataclass(frozen=True)
class PersonMention:
    """A person as mentioned in one report, case or ad. ``*_keys`` are blind keys (HMACs)."""

    record_id: str
    source_type: str
    name: str
    aliases: tuple[str, ...] = ()
    age: int | None = None
    age_recorded_on: date | None = None
    birth_date: date | None = None
    gender: str | None = None
    place: str | None = None
    country: str | None = None
    phone_keys: tuple[str, ...] = ()
    email_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    """An analyst's verdict on a pair: ``same_person`` True = confirmed, False = rejected."""

    left_id: str
    right_id: str
    same_person: bool


@dataclass(frozen=True)
class ScoredPair:
    left_id: str
    right_id: str
    match_probability: float
    match_weight: float


@dataclass(frozen=True)
class LinkageOptions:
    auto_threshold: float = 0.95
    review_threshold: float = 0.6
    engine: Engine = "duckdb"
    seed: int = 42
    max_u_pairs: float = 2e6
    em_sample_proportion: float = 1.0
    # Below this many records EM has too few pairs to learn from: the m priors are kept.
    min_records_for_em: int = 500


@dataclass(frozen=True)
class LinkageResult:
    """Every input record is in ``cluster_of``; a cluster id is the id of its first record (input order).

    ``linked_pairs`` are scored pairs at or above the auto threshold, ``review_pairs`` the
    undecided pairs in the review band, ``conflicts`` rejected pairs that confirmed pairs
    nevertheless chain into one cluster (the analyst should look at them again).
    """

    cluster_of: Mapping[str, str]
    clusters: tuple[tuple[str, ...], ...]
    linked_pairs: tuple[ScoredPair, ...]
    review_pairs: tuple[ScoredPair, ...]
    conflicts: tuple[Decision, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# Normalisation


_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mme", "mlle", "herr", "frau"}
_ADDRESS_WORDS = {
    "street": "st",
    "str": "st",
    "road": "rd",
    "avenue": "ave",
    "av": "ave",
    "lane": "ln",
    "drive": "dr",
    "place": "pl",
    "court": "ct",
    "square": "sq",
    "apartment": "apt",
    "flat": "apt",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def _fold(value: object) -> str:
    """Lower-case ASCII-ish text: accents removed, punctuation to spaces, spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^\w]+|_", " ", text)
    return " ".join(text.split())


def normalise_name(value: object) -> str | None:
    """Folded name without titles; None when nothing is left."""
    tokens = [token for token in _fold(value).split() if token not in _TITLES and not token.isdigit()]
    return " ".join(tokens) or None


def normalise_phone(value: object) -> str | None:
    """The last nine digits of a phone number (drops country and trunk prefixes); None if too short."""
    digits = re.sub(r"\D", "", str(value or ""))
    return digits[-9:] if len(digits) >= 7 else None


def _normalise_email(value: object) -> str | None:
    text = str(value or "").strip().lower()
    text = re.sub(r"^mailto:", "", text)
    return text if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) else None


def _normalise_postcode(value: object) -> str | None:
    text = re.sub(r"[^0-9a-z]", "", _fold(value))
    return text.upper() or None


def _normalise_address(value: object) -> str | None:
    tokens = [_ADDRESS_WORDS.get(token, token) for token in _fold(value).split()]
    return " ".join(tokens) or None


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def normalise_date(value: object) -> str | None:
    """ISO date from the common written forms; day-first when both readings are possible.

    Accepts 1990-03-12, 1990/3/12, 12/03/1990, 12.03.1990, 12-3-90, 19900312, 12 March 1990,
    March 12 1990, and date/datetime objects. Two-digit years above the current year's last two
    digits are read as 19xx. Returns None for anything else.
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _fold(value)
    if not text:
        return None
    parts = text.split()
    if len(parts) == 1 and re.fullmatch(r"\d{8}", parts[0]):
        digits = parts[0]
        return _valid_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    words = [part for part in parts if not part.isdigit()]
    numbers = [int(part) for part in parts if part.isdigit()]
    if len(words) == 1 and words[0] in _MONTHS and len(numbers) == 2:
        day, year = (numbers[0], numbers[1]) if numbers[0] <= 31 else (numbers[1], numbers[0])
        return _valid_date(_full_year(year), _MONTHS[words[0]], day)
    if words or len(numbers) != 3:
        return None
    first, second, third = numbers
    if parts[0].__len__() == 4:
        return _valid_date(first, second, third)
    year = _full_year(third)
    if second > 12 >= first:
        return _valid_date(year, first, second)
    return _valid_date(year, second, first)


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    current = date.today().year % 100
    return 2000 + year if year <= current else 1900 + year


def _normalise_gender(value: object) -> str | None:
    text = _fold(value)
    if not text:
        return None
    if text[0] in "fgw" or text in {"female", "girl", "woman"}:
        return "f"
    if text[0] in "mb" or text in {"male", "boy", "man"}:
        return "m"
    return "x"


def _birth_year(age: int | None, recorded_on: date | None, birth_date: date | None) -> int | None:
    if birth_date is not None:
        return birth_date.year
    if age is None:
        return None
    return (recorded_on or date.today()).year - age


# ---------------------------------------------------------------------------------------------
# Table preparation


@dataclass(frozen=True)
class _Column:
    """An internal column derived from one input field."""

    name: str
    arrow_type: pa.DataType
    derive: Callable[[object], object]


def _internal(index: int, field_spec: LinkField) -> str:
    return f"f{index}_{field_spec.kind.value}"


def _name_part(position: int) -> Callable[[object], object]:
    def part(value: object) -> str | None:
        name = normalise_name(value)
        return name.split()[position] if name else None

    return part


def _sorted_name(value: object) -> str | None:
    name = normalise_name(value)
    return " ".join(sorted(name.split())) if name else None


def _keys(value: object) -> list[str] | None:
    if value is None:
        return None
    raw = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    keys = sorted({key for key in (_fold(item) for item in raw) if key})
    return keys or None


def _columns_for(index: int, field_spec: LinkField) -> list[_Column]:
    base = _internal(index, field_spec)
    kind = field_spec.kind
    text = pa.string()
    if kind is FieldKind.NAME:
        return [
            _Column(base, text, normalise_name),
            _Column(f"{base}_first", text, _name_part(0)),
            _Column(f"{base}_last", text, _name_part(-1)),
            _Column(f"{base}_sorted", text, _sorted_name),
        ]
    simple: dict[FieldKind, tuple[pa.DataType, Callable[[object], object]]] = {
        FieldKind.ADDRESS: (text, _normalise_address),
        FieldKind.POSTCODE: (text, _normalise_postcode),
        FieldKind.PHONE: (text, normalise_phone),
        FieldKind.EMAIL: (text, _normalise_email),
        FieldKind.DATE: (text, normalise_date),
        FieldKind.BIRTH_YEAR: (pa.int64(), lambda value: None if value is None else int(value)),  # type: ignore[call-overload]
        FieldKind.GENDER: (text, _normalise_gender),
        FieldKind.PLACE: (text, lambda value: _fold(value) or None),
        FieldKind.KEYS: (pa.list_(text), _keys),
        FieldKind.EXACT: (text, lambda value: _fold(value) or None),
    }
    arrow_type, derive = simple[kind]
    return [_Column(base, arrow_type, derive)]


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN from pandas
        return True
    return isinstance(value, str) and not value.strip()


def prepare_table(
    rows: Sequence[Mapping[str, object]], fields: Sequence[LinkField], id_column: str
) -> pa.Table:
    """The normalised table Splink compares: ``unique_id`` plus derived columns per field."""
    columns: dict[str, list[object]] = {ID_COLUMN: [str(row[id_column]) for row in rows]}
    schema = [pa.field(ID_COLUMN, pa.string())]
    for index, field_spec in enumerate(fields):
        for column in _columns_for(index, field_spec):
            values = []
            for row in rows:
                raw = row.get(field_spec.column)
                values.append(None if _missing(raw) else column.derive(raw))
            columns[column.name] = values
            schema.append(pa.field(column.name, column.arrow_type))
    return pa.table(columns, schema=pa.schema(schema))


# ---------------------------------------------------------------------------------------------
# Splink model


# Starting m probabilities (non-null levels, most to least similar): what a true match
# looks like before EM has seen the data, and what stays when the data is too small for EM.
_PRIOR_M: dict[FieldKind, list[float]] = {
    FieldKind.NAME: [0.65, 0.1, 0.15, 0.06, 0.04],
    FieldKind.ADDRESS: [0.6, 0.2, 0.1, 0.1],
    FieldKind.PLACE: [0.7, 0.15, 0.05, 0.1],
    FieldKind.POSTCODE: [0.85, 0.07, 0.08],
    FieldKind.PHONE: [0.8, 0.1, 0.03, 0.07],
    FieldKind.EMAIL: [0.8, 0.1, 0.03, 0.07],
    FieldKind.DATE: [0.8, 0.12, 0.04, 0.04],
    FieldKind.BIRTH_YEAR: [0.6, 0.3, 0.07, 0.03],
    FieldKind.KEYS: [0.4, 0.6],
    FieldKind.GENDER: [0.95, 0.05],
    FieldKind.EXACT: [0.9, 0.1],
}


# Identifier keys are nearly unique: sharing one by chance is rare. Random sampling replaces
# this when it observes enough pairs.
_PRIOR_U: dict[FieldKind, list[float]] = {FieldKind.KEYS: [0.001, 0.999]}


def _comparison(index: int, field_spec: LinkField) -> Any:
    comparison = _comparison_levels(index, field_spec)
    if field_spec.kind in _PRIOR_U:
        return comparison.configure(
            m_probabilities=_PRIOR_M[field_spec.kind], u_probabilities=_PRIOR_U[field_spec.kind]
        )
    return comparison.configure(m_probabilities=_PRIOR_M[field_spec.kind])


def _comparison_levels(index: int, field_spec: LinkField) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    column = _internal(index, field_spec)
    kind = field_spec.kind
    if kind is FieldKind.NAME:
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column),
                cll.ExactMatchLevel(f"{column}_sorted"),  # the same names in another order
                cll.JaroWinklerLevel(column, 0.92),
                cll.JaroWinklerLevel(column, 0.8),
                cll.ElseLevel(),
            ],
        )
    if kind in (FieldKind.ADDRESS, FieldKind.PLACE):
        return cl.JaroWinklerAtThresholds(column, [0.92, 0.8])
    if kind is FieldKind.POSTCODE:
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column),
                cll.LevenshteinLevel(column, 1),
                cll.ElseLevel(),
            ],
        )
    if kind in (FieldKind.PHONE, FieldKind.EMAIL, FieldKind.DATE):
        return cl.LevenshteinAtThresholds(column, [1, 2])
    if kind is FieldKind.BIRTH_YEAR:
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column),
                cll.AbsoluteDifferenceLevel(column, 1),
                cll.AbsoluteDifferenceLevel(column, 3),
                cll.ElseLevel(),
            ],
        )
    if kind is FieldKind.KEYS:
        return cl.ArrayIntersectAtSizes(column, [1])
    return cl.ExactMatch(column)


def _first_of(fields: Sequence[LinkField], kind: FieldKind) -> str | None:
    for index, field_spec in enumerate(fields):
        if field_spec.kind is kind:
            return _internal(index, field_spec)
    return None


@dataclass(frozen=True)
class _Rules:
    prediction: list[Any]
    training: list[Any]
    deterministic: list[Any]


def _rules(fields: Sequence[LinkField]) -> _Rules:
    """Blocking rules: each pairs records that agree exactly on something selective."""
    from splink import block_on

    name = _first_of(fields, FieldKind.NAME)
    columns = {
        kind: [_internal(i, spec) for i, spec in enumerate(fields) if spec.kind is kind] for kind in FieldKind
    }
    dates = columns[FieldKind.DATE]
    dated = dates + columns[FieldKind.BIRTH_YEAR]
    selective = columns[FieldKind.PHONE] + columns[FieldKind.EMAIL] + columns[FieldKind.POSTCODE]
    keys = columns[FieldKind.KEYS]
    prediction: list[Any] = []
    training: list[Any] = []
    deterministic: list[Any] = []
    if name:
        prediction += [block_on(f"{name}_first", f"{name}_last"), block_on(f"{name}_sorted")]
        training.append(block_on(f"{name}_first", f"{name}_last"))
        for column in dated:
            prediction += [block_on(f"{name}_last", column), block_on(f"{name}_first", column)]
        for column in dates + selective:
            prediction.append(block_on(f"{name}_last", column))
            deterministic.append(block_on(name, column))
    for column in dates if not name else []:
        prediction.append(block_on(column))
    for column in selective:
        prediction.append(block_on(column))
    for column in keys:
        prediction.append(block_on(column, arrays_to_explode=[column]))
    # Rules not using the name, so that EM also learns what names look like in a match.
    training += [block_on(column) for column in (dates + selective)[:2]]
    if not deterministic:
        deterministic = prediction[:1]
    return _Rules(prediction=prediction, training=training, deterministic=deterministic)


def _spark_session() -> Any:
    from pyspark.sql import SparkSession
    from splink.internals.spark.jar_location import similarity_jar_location

    return (
        SparkSession.builder.master("local[2]")
        .appName("safeguard-linking")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )


def _database(engine: Engine) -> Any:
    if engine == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if engine == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=_spark_session(), break_lineage_method="persist")
    raise ValueError(f"unknown linking engine {engine!r}; use 'duckdb' or 'spark'")


_MIN_RECORDS_FOR_PRIOR_ESTIMATE = 1000


def _default_prior(record_count: int) -> float:
    """About two duplicates per record at most: a weak prior, refined on larger inputs."""
    return min(0.2, 2 / max(record_count - 1, 1))


def _train(linker: Any, rules: _Rules, options: LinkageOptions, record_count: int) -> None:
    """Unsupervised estimation; a step that cannot run on this data keeps Splink's defaults."""
    from splink.internals.exceptions import SplinkException

    if record_count >= _MIN_RECORDS_FOR_PRIOR_ESTIMATE:
        prior = _default_prior(record_count)
        try:
            linker.training.estimate_probability_two_random_records_match(rules.deterministic, recall=0.8)
        except (SplinkException, ValueError, ZeroDivisionError) as error:
            logger.info("prior left at default: %s", error)
        settings = linker._settings_obj
        # Zero observed matches would make every pair a non-match: keep the heuristic instead.
        if not settings._probability_two_random_records_match > 0:
            settings._probability_two_random_records_match = prior
    linker.training.estimate_u_using_random_sampling(
        max_pairs=options.max_u_pairs,
        seed=options.seed,
        min_count_per_level=None,
        # Chunks only bound memory; on small inputs each one is pure overhead (Spark above all).
        num_chunks=1 if record_count < 50_000 else 10,
    )
    if record_count < options.min_records_for_em:
        return
    for rule in rules.training:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=options.em_sample_proportion
            )
        except (SplinkException, ValueError, ZeroDivisionError) as error:
            logger.info("EM over %s skipped: %s", rule, error)


def _score(
    table: pa.Table, fields: Sequence[LinkField], options: LinkageOptions, step: Callable[[str], None]
) -> list[ScoredPair]:
    from splink import Linker, SettingsCreator

    rules = _rules(fields)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=ID_COLUMN,
        comparisons=[_comparison(index, spec) for index, spec in enumerate(fields)],
        blocking_rules_to_generate_predictions=rules.prediction,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        probability_two_random_records_match=_default_prior(table.num_rows),
    )
    database = _database(options.engine)
    linker = Linker(database.register(table), settings, log_level=None)
    step("estimating parameters")
    _train(linker, rules, options, table.num_rows)
    step("scoring pairs")
    predictions = linker.inference.predict(
        threshold_match_probability=options.review_threshold, warning_mode="never"
    )
    scored = predictions.as_pyarrow_table().select(
        [f"{ID_COLUMN}_l", f"{ID_COLUMN}_r", "match_probability", "match_weight"]
    )
    columns = scored.to_pydict()
    return [
        ScoredPair(str(left), str(right), float(probability), float(weight))
        for left, right, probability, weight in zip(
            columns[f"{ID_COLUMN}_l"],
            columns[f"{ID_COLUMN}_r"],
            columns["match_probability"],
            columns["match_weight"],
            strict=True,
        )
    ]


# ---------------------------------------------------------------------------------------------
# Clustering with analysts' decisions


class _DisjointSets:
    def __init__(self, members: Iterable[str]) -> None:
        self.parent = {member: member for member in members}
        self.cannot_link: dict[str, set[str]] = {}

    def find(self, member: str) -> str:
        root = member
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[member] != root:
            self.parent[member], member = root, self.parent[member]
        return root

    def forbid(self, left: str, right: str) -> None:
        self.cannot_link.setdefault(left, set()).add(right)
        self.cannot_link.setdefault(right, set()).add(left)

    def forbidden(self, left_root: str, right_root: str) -> bool:
        return right_root in self.cannot_link.get(left_root, ())

    def union(self, left: str, right: str) -> None:
        left_root, right_root = self.find(left), self.find(right)
        if left_root == right_root:
            return
        self.parent[left_root] = right_root
        bans = self.cannot_link.pop(left_root, set())
        for banned in bans:
            self.cannot_link[banned].discard(left_root)
            self.cannot_link[banned].add(right_root)
        self.cannot_link.setdefault(right_root, set()).update(bans)


def cluster_with_decisions(
    record_ids: Sequence[str],
    pairs: Iterable[ScoredPair],
    *,
    auto_threshold: float,
    decisions: Iterable[Decision] = (),
) -> tuple[dict[str, str], tuple[Decision, ...]]:
    """Cluster records: confirmed pairs first, then model links strongest first.

    Guarantees: each record id is in exactly one cluster; a confirmed pair is in one cluster; a
    model link is skipped when it would put a rejected pair in one cluster (a rejection is only
    overruled by confirmed pairs chaining the two records together, and then it is returned as a
    conflict); the cluster id is the first record id of the cluster in ``record_ids`` order.
    Decisions about unknown record ids are ignored.
    """
    sets = _DisjointSets(record_ids)
    decision_list = [d for d in decisions if d.left_id in sets.parent and d.right_id in sets.parent]
    for decision in decision_list:
        if decision.same_person:
            sets.union(decision.left_id, decision.right_id)
    rejected = [d for d in decision_list if not d.same_person]
    conflicts = tuple(d for d in rejected if sets.find(d.left_id) == sets.find(d.right_id))
    for decision in rejected:
        if decision not in conflicts:
            sets.forbid(sets.find(decision.left_id), sets.find(decision.right_id))
    ordered = sorted(
        (pair for pair in pairs if pair.match_probability >= auto_threshold),
        key=lambda pair: (-pair.match_probability, pair.left_id, pair.right_id),
    )
    for pair in ordered:
        left_root, right_root = sets.find(pair.left_id), sets.find(pair.right_id)
        if left_root != right_root and not sets.forbidden(left_root, right_root):
            sets.union(left_root, right_root)
    representative: dict[str, str] = {}
    cluster_of: dict[str, str] = {}
    for record_id in record_ids:
        cluster_of[record_id] = representative.setdefault(sets.find(record_id), record_id)
    return cluster_of, conflicts


# ---------------------------------------------------------------------------------------------
# Public API


def _no_progress(_phase: str) -> None:
    return None


def link_records(
    rows: Sequence[Mapping[str, object]],
    fields: Sequence[LinkField],
    *,
    id_column: str = "id",
    decisions: Iterable[Decision] = (),
    options: LinkageOptions | None = None,
    progress: Callable[[str], None] = _no_progress,
) -> LinkageResult:
    """Link the rows of one table to each other (deduplication), without labels.

    Guarantees: every row's id is in ``cluster_of`` (ids must be unique, else ValueError);
    clusters follow `cluster_with_decisions`; ``review_pairs`` holds the scored pairs with
    ``review_threshold <= p < auto_threshold`` not covered by a decision, strongest first.
    ``progress`` is told the name of each phase as it starts.
    """
    options = options or LinkageOptions()
    if not 0 < options.review_threshold <= options.auto_threshold <= 1:
        raise ValueError("thresholds must satisfy 0 < review_threshold <= auto_threshold <= 1")
    if not fields:
        raise ValueError("at least one field to compare is needed")
    record_ids = [str(row[id_column]) for row in rows]
    if len(set(record_ids)) != len(record_ids):
        raise ValueError("record ids must be unique")
    decisions = tuple(decisions)
    progress("normalising")
    table = prepare_table(rows, fields, id_column)
    pairs = _score(table, fields, options, progress) if len(record_ids) > 1 else []
    progress("clustering")
    cluster_of, conflicts = cluster_with_decisions(
        record_ids, pairs, auto_threshold=options.auto_threshold, decisions=decisions
    )
    decided = {frozenset((d.left_id, d.right_id)) for d in decisions}
    review = sorted(
        (
            pair
            for pair in pairs
            if options.review_threshold <= pair.match_probability < options.auto_threshold
            and frozenset((pair.left_id, pair.right_id)) not in decided
        ),
        key=lambda pair: (-pair.match_probability, pair.left_id, pair.right_id),
    )
    members: dict[str, list[str]] = {}
    for record_id in record_ids:
        members.setdefault(cluster_of[record_id], []).append(record_id)
    return LinkageResult(
        cluster_of=cluster_of,
        clusters=tuple(tuple(group) for group in members.values()),
        linked_pairs=tuple(pair for pair in pairs if pair.match_probability >= options.auto_threshold),
        review_pairs=tuple(review),
        conflicts=conflicts,
    )


PERSON_FIELDS = (
    LinkField("name", FieldKind.NAME),
    LinkField("name_variants", FieldKind.KEYS),
    LinkField("birth_year", FieldKind.BIRTH_YEAR),
    LinkField("birth_date", FieldKind.DATE),
    LinkField("gender", FieldKind.GENDER),
    LinkField("place", FieldKind.PLACE),
    LinkField("country", FieldKind.EXACT),
    LinkField("phone_keys", FieldKind.KEYS),
    LinkField("email_keys", FieldKind.KEYS),
)


def _person_row(mention: PersonMention) -> dict[str, object]:
    return {
        "id": mention.record_id,
        "name": mention.name,
        "name_variants": [mention.name, *mention.aliases],
        "birth_year": _birth_year(mention.age, mention.age_recorded_on, mention.birth_date),
        "birth_date": mention.birth_date,
        "gender": mention.gender,
        "place": mention.place,
        "country": mention.country,
        "phone_keys": list(mention.phone_keys) or None,
        "email_keys": list(mention.email_keys) or None,
    }


def link_people(
    mentions: Iterable[PersonMention],
    *,
    decisions: Iterable[Decision] = (),
    options: LinkageOptions | None = None,
) -> LinkageResult:
    """Link person mentions across reports, cases and ads (see `link_records` for guarantees).

    Names are compared with Jaro-Winkler (and in any word order), aliases and blind keys by
    sharing any value exactly, age through the birth year it implies (within 1 and 3 years),
    birth date by edit distance, gender and country exactly, place by Jaro-Winkler.
    """
    rows = [_person_row(mention) for mention in mentions]
    return link_records(rows, PERSON_FIELDS, id_column="id", decisions=decisions, options=options)
