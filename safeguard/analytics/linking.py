"""Probabilistic record linking (Fellegi–Sunter, through Splink 5) for person mentions and tables.

Records are normalised (case, accents, punctuation, phone and date formats), compared field by
field (Jaro-Winkler and Levenshtein on names, plus their words as a set; numeric ranges on age;
exact on gender; sets of items or words by overlap; identifier keys by sharing one), scored with
a Fellegi–Sunter model whose parameters are estimated without labels (u by random sampling, m by
expectation maximisation over blocking rules; exact agreement on a name, address, postcode, phone
or e-mail is weighed by how common the value is: term-frequency adjustment) and clustered:

* pairs with match probability >= ``auto_threshold`` are linked, but two groups of records are
  merged only when their members agree on average (see `cluster_with_decisions`), so one shared
  building or phone number does not chain many different entities into one cluster;
* pairs in ``[review_threshold, auto_threshold)`` are listed for an analyst;
* analysts' decisions override the model: a confirmed pair is always linked, a rejected pair is
  never put in one cluster by the model.

Every scored pair says why: each field's comparison level and its match weight (`FieldComparison`).

DuckDB is the default engine; ``engine="spark"`` runs the same SQL on a local Spark session.
No Django imports: services and tasks call these functions and store the results.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
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
    # A set of items ("a**b", "a; b", "a | b") or, in a column without such separators, the words of
    # a text: compared by how many they share (co-authors, classes, free text).
    ITEMS = "items"


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
class FieldComparison:
    """How one field of a pair compared: the level it reached and the evidence that gives.

    ``match_weight`` is log2 of the Bayes factor (term-frequency adjustment included): positive
    for evidence of a match, negative against, 0 when the field is missing in either record.
    """

    column: str
    level: str  # e.g. "Exact match on f0_name", "Jaro-Winkler >= 0.92", "All other comparisons"
    gamma: int  # Splink's comparison vector value: -1 null, 0 the least similar level, ...
    match_weight: float


@dataclass(frozen=True)
class ScoredPair:
    """A pair the model scored; ``match_weight = prior_weight + sum of comparisons' weights``."""

    left_id: str
    right_id: str
    match_probability: float
    match_weight: float
    comparisons: tuple[FieldComparison, ...] = ()
    prior_weight: float = 0.0


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
    # Two groups of records are merged only if the match probabilities of the pairs between them
    # add up to this per record of the smaller group (unscored pairs count 0): a group joins
    # another through most of its members, not through one shared phone. 0 = connected components.
    cluster_cohesion: float = 0.5
    # Blocking on shared words and items pairs records through the rarest ones first, up to this
    # many pairs per column, so that common words ("ltd", "maria") never block.
    blocking_pair_budget: int = 250_000
    # Decisions are also labels: confirmed pairs re-estimate m, and all of them set the threshold.
    learn_from_decisions: bool = False


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


def _address_words(value: object) -> list[str] | None:
    address = _normalise_address(value)
    return sorted(set(address.split())) if address else None


def _name_words(value: object) -> list[str] | None:
    name = normalise_name(value)
    return sorted(set(name.split())) if name else None


def _keys(value: object) -> list[str] | None:
    if value is None:
        return None
    raw: list[object] = [value] if isinstance(value, str) else list(_iterable(value))
    keys = sorted({key for key in (_fold(item) for item in raw) if key})
    return keys or None


def _iterable(value: object) -> Iterable[object]:
    if not isinstance(value, Iterable):
        raise TypeError(f"expected a list of keys, got {type(value).__name__}")
    return value


_ITEM_SEPARATORS = re.compile(r"\*\*|;|\|")


def _separated(values: Iterable[object]) -> bool:
    """Whether a column holds separated items (else its values are texts compared by their words)."""
    return any(isinstance(value, str) and _ITEM_SEPARATORS.search(value) for value in values)


def _items(separated: bool) -> Callable[[object], object]:
    def items(value: object) -> list[str] | None:
        if isinstance(value, str):
            parts = _ITEM_SEPARATORS.split(value) if separated else _fold(value).split()
        else:
            parts = [str(part) for part in _iterable(value)]
        found = sorted({_fold(part) for part in parts} - {""})
        return found or None

    return items


def _columns_for(index: int, field_spec: LinkField, *, separated: bool = False) -> list[_Column]:
    base = _internal(index, field_spec)
    kind = field_spec.kind
    text = pa.string()
    if kind is FieldKind.NAME:
        return [
            _Column(base, text, normalise_name),
            _Column(f"{base}_first", text, _name_part(0)),
            _Column(f"{base}_last", text, _name_part(-1)),
            _Column(f"{base}_sorted", text, _sorted_name),
            _Column(f"{base}_words", pa.list_(text), _name_words),
        ]
    if kind is FieldKind.ITEMS:
        return [_Column(base, pa.list_(text), _items(separated))]
    if kind is FieldKind.ADDRESS:
        return [
            _Column(base, text, _normalise_address),
            _Column(f"{base}_words", pa.list_(text), _address_words),
        ]
    simple: dict[FieldKind, tuple[pa.DataType, Callable[[object], object]]] = {
        FieldKind.ADDRESS: (text, _normalise_address),
        FieldKind.POSTCODE: (text, _normalise_postcode),
        FieldKind.PHONE: (text, normalise_phone),
        FieldKind.EMAIL: (text, _normalise_email),
        FieldKind.DATE: (text, normalise_date),
        FieldKind.BIRTH_YEAR: (pa.int64(), _year),
        FieldKind.GENDER: (text, _normalise_gender),
        FieldKind.PLACE: (text, lambda value: _fold(value) or None),
        FieldKind.KEYS: (pa.list_(text), _keys),
        FieldKind.EXACT: (text, lambda value: _fold(value) or None),
    }
    arrow_type, derive = simple[kind]
    return [_Column(base, arrow_type, derive)]


def _year(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float | str):
        return int(value)
    raise TypeError(f"expected a year, got {type(value).__name__}")


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN from pandas
        return True
    return isinstance(value, str) and not value.strip()


def _blocking_words(word_lists: Sequence[object], pair_budget: int) -> list[list[str] | None]:
    """Each record's words that are rare enough to block on.

    Words are taken from the rarest up while the pairs they create (n(n-1)/2 for a word shared by
    n records) fit in ``pair_budget``; a word in one record only pairs nothing and is dropped.
    """
    frequency: Counter[str] = Counter()
    for words in word_lists:
        if isinstance(words, list):
            frequency.update(set(words))
    kept: set[str] = set()
    pairs = 0
    for word, count in sorted(frequency.items(), key=lambda item: (item[1], item[0])):
        if count < 2:
            continue
        pairs += count * (count - 1) // 2
        if pairs > pair_budget:
            break
        kept.add(word)
    return [
        [word for word in words if word in kept] or None if isinstance(words, list) else None
        for words in word_lists
    ]


def _blocking_source(index: int, field_spec: LinkField) -> str | None:
    """The list column whose rare words a field blocks on, if any."""
    base = _internal(index, field_spec)
    if field_spec.kind is FieldKind.NAME:
        return f"{base}_words"
    if field_spec.kind is FieldKind.ITEMS:
        return base
    return None


def prepare_table(
    rows: Sequence[Mapping[str, object]],
    fields: Sequence[LinkField],
    id_column: str,
    *,
    blocking_pair_budget: int = 250_000,
) -> pa.Table:
    """The normalised table Splink compares: ``unique_id`` plus derived columns per field.

    Names and item sets also get ``<column>_block``: their words rare enough to block on.
    """
    columns: dict[str, list[object]] = {ID_COLUMN: [str(row[id_column]) for row in rows]}
    schema = [pa.field(ID_COLUMN, pa.string())]
    for index, field_spec in enumerate(fields):
        raw_values = [row.get(field_spec.column) for row in rows]
        separated = field_spec.kind is FieldKind.ITEMS and _separated(raw_values)
        for column in _columns_for(index, field_spec, separated=separated):
            columns[column.name] = [None if _missing(raw) else column.derive(raw) for raw in raw_values]
            schema.append(pa.field(column.name, column.arrow_type))
        source = _blocking_source(index, field_spec)
        if source is not None:
            block = f"{_internal(index, field_spec)}_block"
            columns[block] = list(_blocking_words(columns[source], blocking_pair_budget))
            schema.append(pa.field(block, pa.list_(pa.string())))
    return pa.table(columns, schema=pa.schema(schema))


# ---------------------------------------------------------------------------------------------
# Splink model


# Starting m probabilities (non-null levels, most to least similar): what a true match
# looks like before EM has seen the data, and what stays when the data is too small for EM.
_PRIOR_M: dict[FieldKind, list[float]] = {
    FieldKind.NAME: [0.55, 0.08, 0.14, 0.07, 0.07, 0.05, 0.04],
    FieldKind.ITEMS: [0.3, 0.3, 0.25, 0.15],
    FieldKind.ADDRESS: [0.6, 0.15, 0.12, 0.08, 0.05],
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


# Exact agreement on these is weighed by how common the agreed value is: sharing the phone of a
# call centre or the address of an office block says little.
_TERM_FREQUENCY_KINDS = {FieldKind.ADDRESS, FieldKind.POSTCODE, FieldKind.PHONE, FieldKind.EMAIL}


def _comparison(index: int, field_spec: LinkField) -> Any:
    comparison = _comparison_levels(index, field_spec)
    kind = field_spec.kind
    tf = {"term_frequency_adjustments": True} if kind in _TERM_FREQUENCY_KINDS else {}
    if kind in _PRIOR_U:
        return comparison.configure(m_probabilities=_PRIOR_M[kind], u_probabilities=_PRIOR_U[kind], **tf)
    return comparison.configure(m_probabilities=_PRIOR_M[kind], **tf)


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
                cll.ExactMatchLevel(column, term_frequency_adjustments=True),
                cll.ExactMatchLevel(f"{column}_sorted"),  # the same names in another order
                cll.JaroWinklerLevel(column, 0.92),
                cll.ArraySubsetLevel(f"{column}_words"),  # "alcatel" and "alcatel nederland"
                cll.JaroWinklerLevel(column, 0.8),
                cll.ArrayIntersectLevel(f"{column}_words", 1),
                cll.ElseLevel(),
            ],
        )
    if kind is FieldKind.ITEMS:
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ArraySubsetLevel(column),
                cll.ArrayIntersectLevel(column, 2),
                cll.ArrayIntersectLevel(column, 1),
                cll.ElseLevel(),
            ],
        )
    if kind is FieldKind.ADDRESS:
        # Words, not Jaro-Winkler: "12 Example St, floor 3" and "12 Example St, ground floor" share a
        # long prefix but may be two tenants of one building; the names tell them apart.
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column),
                cll.ArraySubsetLevel(f"{column}_words"),
                cll.ArrayIntersectLevel(f"{column}_words", 3),
                cll.ArrayIntersectLevel(f"{column}_words", 1),
                cll.ElseLevel(),
            ],
        )
    if kind is FieldKind.PLACE:
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
    items = columns[FieldKind.ITEMS]
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
    if name:
        prediction.append(block_on(f"{name}_block", arrays_to_explode=[f"{name}_block"]))
    for column in items:
        prediction.append(block_on(f"{column}_block", arrays_to_explode=[f"{column}_block"]))
    # Rules not using the name, so that EM also learns what names look like in a match.
    training += [block_on(column) for column in (dates + selective)[:2]]
    training += [block_on(f"{column}_block", arrays_to_explode=[f"{column}_block"]) for column in items[:2]]
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

        spark: Any = SparkAPI  # Splink leaves SparkAPI's constructor unannotated
        return spark(spark_session=_spark_session(), break_lineage_method="persist")
    raise ValueError(f"unknown linking engine {engine!r}; use 'duckdb' or 'spark'")


_MIN_RECORDS_FOR_PRIOR_ESTIMATE = 1000
_MIN_U_PAIRS = 250_000
_U_PAIRS_PER_RECORD = 20


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
        # A few hundred pairs per record estimate u well; more only costs time on small inputs.
        max_pairs=min(options.max_u_pairs, max(_MIN_U_PAIRS, _U_PAIRS_PER_RECORD * record_count)),
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
    table: pa.Table,
    fields: Sequence[LinkField],
    options: LinkageOptions,
    step: Callable[[str], None],
    labels: Sequence[Decision] = (),
) -> list[ScoredPair]:
    from splink import Linker, SettingsCreator

    rules = _rules(fields)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=ID_COLUMN,
        comparisons=[_comparison(index, spec) for index, spec in enumerate(fields)],
        blocking_rules_to_generate_predictions=rules.prediction,
        # Both kept so that each pair can say which level each field reached and what it weighed.
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        probability_two_random_records_match=_default_prior(table.num_rows),
    )
    database = _database(options.engine)
    linker = Linker(database.register(table), settings, log_level=None)
    step("estimating parameters")
    _train(linker, rules, options, table.num_rows)
    if labels:
        _learn_from_labels(linker, database, labels)
    step("scoring pairs")
    predictions: Any = linker.inference.predict(  # Splink's table type is partly unannotated
        threshold_match_probability=options.review_threshold, warning_mode="never"
    )
    return _scored_pairs(predictions.as_pyarrow_table(), linker, fields)


def _learn_from_labels(linker: Any, database: Any, labels: Sequence[Decision]) -> None:
    """m re-estimated from the confirmed pairs, when there are enough of them to count levels."""
    from splink.internals.exceptions import SplinkException

    confirmed = [label for label in labels if label.same_person]
    if len(confirmed) < _MIN_CONFIRMED_FOR_M:
        return
    pairs = pa.table(
        {
            f"{ID_COLUMN}_l": [label.left_id for label in confirmed],
            f"{ID_COLUMN}_r": [label.right_id for label in confirmed],
        }
    )
    registered = database.register(pairs, table_name="safeguard_confirmed_pairs")
    try:
        linker.training.estimate_m_from_pairwise_labels(registered)
    except (SplinkException, ValueError, ZeroDivisionError) as error:
        logger.info("m from labels skipped: %s", error)


_MIN_CONFIRMED_FOR_M = 20


def _scored_pairs(scored: pa.Table, linker: Any, fields: Sequence[LinkField]) -> list[ScoredPair]:
    """Scored pairs with each field's level and weight (Splink's waterfall, as data)."""
    settings = linker._settings_obj
    prior = float(settings._probability_two_random_records_match)
    prior_weight = math.log2(prior / (1 - prior)) if 0 < prior < 1 else 0.0
    column_of = {_internal(index, spec): spec.column for index, spec in enumerate(fields)}
    columns = scored.to_pydict()
    explained: list[tuple[str, dict[int, str], list[int], list[float]]] = []
    for comparison in settings.comparisons:
        output = comparison.output_column_name
        labels = {
            level.comparison_vector_value: level.label_for_charts for level in comparison.comparison_levels
        }
        weights = [float(weight) for weight in columns[f"mw_{output}"]]
        for row, adjustment in enumerate(columns.get(f"mw_tf_adj_{output}", ())):
            weights[row] += float(adjustment or 0.0)
        explained.append((column_of.get(output, output), labels, columns[f"gamma_{output}"], weights))
    pairs = []
    for row, (left, right, probability, weight) in enumerate(
        zip(
            columns[f"{ID_COLUMN}_l"],
            columns[f"{ID_COLUMN}_r"],
            columns["match_probability"],
            columns["match_weight"],
            strict=True,
        )
    ):
        comparisons = tuple(
            FieldComparison(
                column, labels.get(int(gammas[row]), str(gammas[row])), int(gammas[row]), weights[row]
            )
            for column, labels, gammas, weights in explained
        )
        pairs.append(
            ScoredPair(str(left), str(right), float(probability), float(weight), comparisons, prior_weight)
        )
    return pairs


# ---------------------------------------------------------------------------------------------
# Clustering with analysts' decisions


class _DisjointSets:
    """Union-find over record ids that also keeps, per cluster, its size, the summed match
    probability of its pairs with each other cluster, and the clusters it must never join."""

    def __init__(self, members: Iterable[str]) -> None:
        self.parent = {member: member for member in members}
        self.size = dict.fromkeys(self.parent, 1)
        self.links: dict[str, dict[str, float]] = {}
        self.cannot_link: dict[str, set[str]] = {}

    def find(self, member: str) -> str:
        root = member
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[member] != root:
            self.parent[member], member = root, self.parent[member]
        return root

    def add_link(self, left: str, right: str, probability: float) -> None:
        left_root, right_root = self.find(left), self.find(right)
        if left_root == right_root:
            return
        self.links.setdefault(left_root, {})
        self.links.setdefault(right_root, {})
        self.links[left_root][right_root] = self.links[left_root].get(right_root, 0.0) + probability
        self.links[right_root][left_root] = self.links[left_root][right_root]

    def cohesion(self, left_root: str, right_root: str) -> float:
        """Summed match probability of the pairs between two clusters, per record of the smaller."""
        linked = self.links.get(left_root, {}).get(right_root, 0.0)
        return linked / min(self.size[left_root], self.size[right_root])

    def forbid(self, left: str, right: str) -> None:
        self.cannot_link.setdefault(left, set()).add(right)
        self.cannot_link.setdefault(right, set()).add(left)

    def forbidden(self, left_root: str, right_root: str) -> bool:
        return right_root in self.cannot_link.get(left_root, ())

    def union(self, left: str, right: str) -> None:
        left_root, right_root = self.find(left), self.find(right)
        if left_root == right_root:
            return
        if self.size[left_root] > self.size[right_root]:
            left_root, right_root = right_root, left_root
        self.parent[left_root] = right_root
        self.size[right_root] += self.size.pop(left_root)
        bans = self.cannot_link.pop(left_root, set())
        for banned in bans:
            self.cannot_link[banned].discard(left_root)
            self.cannot_link[banned].add(right_root)
        self.cannot_link.setdefault(right_root, set()).update(bans)
        merged = self.links.setdefault(right_root, {})
        merged.pop(left_root, None)
        for neighbour, probability in self.links.pop(left_root, {}).items():
            if neighbour == right_root:
                continue
            others = self.links[neighbour]
            others.pop(left_root, None)
            merged[neighbour] = merged.get(neighbour, 0.0) + probability
            others[right_root] = merged[neighbour]


_MAX_CLUSTERING_PASSES = 20


def cluster_with_decisions(
    record_ids: Sequence[str],
    pairs: Iterable[ScoredPair],
    *,
    auto_threshold: float,
    decisions: Iterable[Decision] = (),
    cohesion: float = 0.0,
) -> tuple[dict[str, str], tuple[Decision, ...]]:
    """Cluster records: confirmed pairs first, then model links strongest first.

    Guarantees: each record id is in exactly one cluster; a confirmed pair is in one cluster; a
    model link is skipped when it would put a rejected pair in one cluster (a rejection is only
    overruled by confirmed pairs chaining the two records together, and then it is returned as a
    conflict); a model link joins two clusters only when the match probabilities of all pairs
    between them (each given pair counts its probability, a confirmed pair 1, any other pair 0)
    add up to at least ``cohesion`` times the size of the smaller cluster, so that two groups
    touching through one or two members stay apart (0: every link above the threshold joins, as
    connected components); the cluster id is
    the first record id of the cluster in ``record_ids`` order. Decisions about unknown record
    ids are ignored.
    """
    sets = _DisjointSets(record_ids)
    decision_list = [d for d in decisions if d.left_id in sets.parent and d.right_id in sets.parent]
    decided = {frozenset((d.left_id, d.right_id)) for d in decision_list}
    pair_list = [pair for pair in pairs if frozenset((pair.left_id, pair.right_id)) not in decided]
    for pair in pair_list:
        if pair.left_id in sets.parent and pair.right_id in sets.parent:
            sets.add_link(pair.left_id, pair.right_id, pair.match_probability)
    for decision in decision_list:
        if decision.same_person:
            sets.add_link(decision.left_id, decision.right_id, 1.0)
            sets.union(decision.left_id, decision.right_id)
    rejected = [d for d in decision_list if not d.same_person]
    conflicts = tuple(d for d in rejected if sets.find(d.left_id) == sets.find(d.right_id))
    for decision in rejected:
        if decision not in conflicts:
            sets.forbid(sets.find(decision.left_id), sets.find(decision.right_id))
    pending = sorted(
        (pair for pair in pair_list if pair.match_probability >= auto_threshold),
        key=lambda pair: (-pair.match_probability, pair.left_id, pair.right_id),
    )
    # A link refused now may be accepted once its clusters have grown towards each other.
    for _ in range(_MAX_CLUSTERING_PASSES):
        refused: list[ScoredPair] = []
        for pair in pending:
            left_root, right_root = sets.find(pair.left_id), sets.find(pair.right_id)
            if left_root == right_root or sets.forbidden(left_root, right_root):
                continue
            if sets.cohesion(left_root, right_root) >= cohesion:
                sets.union(left_root, right_root)
            else:
                refused.append(pair)
        if len(refused) == len(pending):
            break
        pending = refused
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
    """Link the rows of one table to each other (deduplication).

    Guarantees: every row's id is in ``cluster_of`` (ids must be unique, else ValueError);
    clusters follow `cluster_with_decisions`; ``review_pairs`` holds the scored pairs with
    ``review_threshold <= p < auto_threshold`` not covered by a decision and not already in one
    cluster, strongest first. With ``options.learn_from_decisions`` the decisions are also
    labels the model learns from (see `_learn_from_labels`).
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
    table = prepare_table(rows, fields, id_column, blocking_pair_budget=options.blocking_pair_budget)
    labels = decisions if options.learn_from_decisions else ()
    pairs = _score(table, fields, options, progress, labels) if len(record_ids) > 1 else []
    progress("clustering")
    cluster_of, conflicts = cluster_with_decisions(
        record_ids,
        pairs,
        auto_threshold=options.auto_threshold,
        decisions=decisions,
        cohesion=options.cluster_cohesion,
    )
    decided = {frozenset((d.left_id, d.right_id)) for d in decisions}
    review = sorted(
        (
            pair
            for pair in pairs
            if options.review_threshold <= pair.match_probability < options.auto_threshold
            and frozenset((pair.left_id, pair.right_id)) not in decided
            and cluster_of[pair.left_id] != cluster_of[pair.right_id]
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
