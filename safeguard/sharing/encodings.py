"""Privacy-preserving person matching: Bloom-filter encodings compared by Dice similarity.

Each side encodes its people with a secret both share and nobody else knows, and sends only
the encodings; the other side compares them with its own. A record's encoding is one
*cryptographic long-term key* (CLK, Schnell et al. 2011): a bit array of ``bits`` bits into
which every field's tokens are hashed — bigrams of the names (padded, so first and last
letters count), and the year, month and day of the birth date as separate tokens (a swapped day
and month still share the year). Two encodings of the same person share most of their bits;
the Dice coefficient ``2|A∧B| / (|A| + |B|)`` estimates the similarity of the underlying values.

Mitigations of the known attacks (written up in docs/sharing.md):

* **keyed hashing** — every token goes through HMAC-SHA256 under a key derived from the shared
  secret and the field's name, so nobody without the secret can encode a dictionary of names and
  compare (the dictionary attack), and the same bigram lands differently in different fields;
* **random hashing, not double hashing** — each of a token's ``hashes`` positions is its own
  HMAC output, which removes the arithmetic structure of double hashing that the cryptanalysis of
  Niedermeyer et al. (2014) and Kroll & Steinmetzer (2015) exploit;
* **one record-level filter** instead of one filter per field, so a bit pattern cannot be
  attributed to a field and frequent patterns of one field are blurred by the others;
* **BLIP** (``flip``): every bit is flipped with a small probability (randomised response,
  Schnell & Borgs 2016), which makes the encodings themselves differentially private and breaks
  exact frequency patterns at a small cost in matching quality.

Frequency (pattern-mining) attacks on encodings of a large population remain possible in
principle for a party that holds both the encodings and the secret's outputs for guessed
values; the secret is therefore shared only between the two installations, per pairing, and
rotated on unpairing.

No Django imports.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = [
    "EncodingSchema",
    "FieldEncoding",
    "FieldKind",
    "Match",
    "WordArray",
    "dice_matrix",
    "encode",
    "match",
]

WordArray = npt.NDArray[np.uint64]
FloatMatrix = npt.NDArray[np.float64]
_WORD = 64


class FieldKind(StrEnum):
    NAME = "name"  # bigrams of the letters
    DATE = "date"  # year, month and day as three tokens
    EXACT = "exact"  # the whole normalised value as one token (postcode, sex)


@dataclass(frozen=True)
class FieldEncoding:
    column: str
    kind: FieldKind
    hashes: int = 20


@dataclass(frozen=True)
class EncodingSchema:
    fields: tuple[FieldEncoding, ...]
    bits: int = 1024
    flip: float = 0.0  # BLIP probability of flipping each bit

    def __post_init__(self) -> None:
        if self.bits % _WORD or self.bits <= 0:
            raise ValueError(f"bits must be a positive multiple of {_WORD}, got {self.bits}")
        if not 0.0 <= self.flip < 0.5:
            raise ValueError(f"flip must be in [0, 0.5), got {self.flip}")
        if not self.fields:
            raise ValueError("an encoding needs at least one field")


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


_DIGITS = re.compile(r"\d+")


def tokens(kind: FieldKind, value: str) -> list[str]:
    """The tokens one field's value contributes to the encoding."""
    if kind == FieldKind.DATE:
        digits = "".join(_DIGITS.findall(value))
        if len(digits) != 8:
            return []
        year, month, day = digits[:4], digits[4:6], digits[6:8]
        return [f"y{year}", f"m{month}", f"d{day}"]
    folded = _fold(value)
    if not folded:
        return []
    if kind == FieldKind.EXACT:
        return [folded]
    padded = f"_{folded}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def _positions(key: bytes, token: str, hashes: int, bits: int) -> Iterable[int]:
    for index in range(hashes):
        digest = hmac.new(key, f"{index}\x00{token}".encode(), hashlib.sha256).digest()
        yield int.from_bytes(digest[:8], "big") % bits


def encode(
    records: Sequence[Mapping[str, str]], schema: EncodingSchema, secret: bytes, *, seed: int | None = None
) -> WordArray:
    """One CLK per record, as ``len(records) × bits/64`` unsigned 64-bit words.

    ``seed`` makes BLIP's flips reproducible (tests and benchmarks); without it they come from the
    operating system's secure source.
    """
    if len(secret) < 16:
        raise ValueError("the shared secret must be at least 16 bytes")
    words = schema.bits // _WORD
    field_keys = {
        spec.column: hmac.new(secret, f"field:{spec.column}".encode(), hashlib.sha256).digest()
        for spec in schema.fields
    }
    cache: dict[tuple[str, str], list[int]] = {}
    bitsets = np.zeros((len(records), schema.bits), dtype=np.bool_)
    for row, record in enumerate(records):
        for spec in schema.fields:
            for token in tokens(spec.kind, str(record.get(spec.column) or "")):
                cached = cache.get((spec.column, token))
                if cached is None:
                    cached = list(_positions(field_keys[spec.column], token, spec.hashes, schema.bits))
                    cache[(spec.column, token)] = cached
                bitsets[row, cached] = True
    if schema.flip:
        generator = (
            np.random.default_rng(seed)
            if seed is not None
            else np.random.default_rng(np.random.SeedSequence())
        )
        bitsets ^= generator.random(bitsets.shape) < schema.flip
    packed = np.packbits(bitsets, axis=1, bitorder="little")
    return packed.view(np.uint64).reshape(len(records), words).copy()


def dice_matrix(left: WordArray, right: WordArray) -> FloatMatrix:
    """Dice coefficient of every pair (``len(left) × len(right)``)."""
    left_counts = np.bitwise_count(left).sum(axis=1).astype(np.float64)
    right_counts = np.bitwise_count(right).sum(axis=1).astype(np.float64)
    common = np.zeros((len(left), len(right)), dtype=np.float64)
    for word in range(left.shape[1]):
        common += np.bitwise_count(left[:, word, None] & right[None, :, word])
    total = left_counts[:, None] + right_counts[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 2.0 * common / total, 0.0)


@dataclass(frozen=True)
class Match:
    left: int
    right: int
    score: float


def match(left: WordArray, right: WordArray, *, threshold: float = 0.8, chunk: int = 512) -> list[Match]:
    """One-to-one matches of Dice ≥ ``threshold``, best first (greedy, as anonlink's solver)."""
    candidates: list[tuple[float, int, int]] = []
    for start in range(0, len(left), chunk):
        scores = dice_matrix(left[start : start + chunk], right)
        rows, columns = np.nonzero(scores >= threshold)
        candidates.extend(
            (float(scores[r, c]), start + int(r), int(c))
            for r, c in zip(rows.tolist(), columns.tolist(), strict=True)
        )
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1], candidate[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    matches: list[Match] = []
    for score, i, j in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        matches.append(Match(i, j, score))
    return matches
