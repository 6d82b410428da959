"""Recruitment-ad template clustering (the job of InfoShield, ICDE 2021, at a larger scale).

Ads written from one template with varied slots (city, pay, phone, name) are grouped, and for
each group the template is shown with the values its slots took.

Pipeline:

1. tokenise: lower-case words without accents; URLs, e-mails, phone numbers and other numbers
   are masked to the slot tokens ``URL``, ``EMAIL``, ``PHONE``, ``NUM`` so that they never
   separate two ads; hashtags count as their word, emoji and punctuation as nothing;
2. features that survive how reposts drift: each word reduced to a skeleton (first letter, then
   its consonants without repeats: ``looking``, ``lookng`` and ``loking`` are all ``lkng``) so
   that most typos vanish, and word n-grams of every size up to ``shingle_size`` that never cross
   a sentence boundary, so that shuffled sentences keep all their features and a dropped or
   replaced word costs only the few n-grams around it; hashed to 64 bits;
3. MinHash signatures, computed vectorised with numpy (``num_perm`` multiply-shift hashes);
4. LSH banding (``bands`` bands of ``num_perm // bands`` rows): ads sharing a band are candidates;
   within a bucket each ad is paired with the bucket's first ad and with its predecessor, so the
   candidate count stays linear in the bucket size;
5. verification: the exact Jaccard similarity of the two feature sets must be at least
   ``threshold``;
6. connected components of verified pairs are clusters; an ad linked to no other is in none;
7. per cluster a template: the medoid of a sample of members, every other sampled member aligned
   to it (longest matching blocks), medoid tokens present in at least ``min_support`` of the
   sample are fixed text, the rest become slots with the values the members put there.

No Django imports: this module is called from services, tasks and the command line.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from itertools import chain

import igraph
import numpy as np
import pandas as pd

__all__ = [
    "Ad",
    "AdCluster",
    "ClusterResult",
    "OrganisedGroup",
    "Slot",
    "Template",
    "cluster_ads",
    "find_organised_groups",
    "normalise_identifier",
    "tokenise",
]

MASK_URL = "URL"
MASK_EMAIL = "EMAIL"
MASK_PHONE = "PHONE"
MASK_NUMBER = "NUM"
_MASK_KIND = {MASK_URL: "url", MASK_EMAIL: "email", MASK_PHONE: "phone", MASK_NUMBER: "number"}

_URL = r"(?:https?://|www\.)[^\s<>\"']+"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# At least seven digits, with the separators people put in phone numbers.
_PHONE = r"\+?\(?\d(?:[\s().-]{0,2}\d){6,14}"
_NUMBER = r"\d+(?:[.,]\d+)*"
_WORD = r"[^\W\d_]+"

_MASKING_PASSES = tuple(
    (re.compile(pattern, re.IGNORECASE), f" {mask} ")
    for pattern, mask in (
        (_URL, MASK_URL),
        (_EMAIL, MASK_EMAIL),
        (_PHONE, MASK_PHONE),
        (_NUMBER, MASK_NUMBER),
    )
)
_TOKEN = re.compile(_WORD)
MASK_BREAK = "BRK"  # a sentence boundary, in feature tokens only
# Passes for features, each run only when its cue is in the text (most ads have no URL).
_URL_PASS = re.compile(_URL, re.IGNORECASE)
_EMAIL_PASS = re.compile(_EMAIL, re.IGNORECASE)
_DIGITS_PASS = re.compile(f"({_PHONE})|{_NUMBER}")
_BREAK_PASS = re.compile(r"[.!?;:\n\r]+|\s[-–—|•*]+\s")
_FEATURE_TOKEN = re.compile(f"{_WORD}|{MASK_BREAK}")
_VOWELS = str.maketrans("", "", "aeiouy")
_SURFACE_TOKEN = re.compile(
    f"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<phone>{_PHONE})|(?P<number>{_NUMBER})|(?P<word>{_WORD})",
    re.IGNORECASE,
)
_SURFACE_MASK = {"url": MASK_URL, "email": MASK_EMAIL, "phone": MASK_PHONE, "number": MASK_NUMBER}

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_SHINGLE_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)
_CHUNK_ADS = 50_000


@dataclass(frozen=True)
class Ad:
    """One online ad. ``identifiers`` are phones, e-mails, handles found in or next to it."""

    ad_id: str
    text: str
    site: str = ""
    posted_at: datetime | None = None
    identifiers: tuple[str, ...] = ()
    location: str = ""


@dataclass(frozen=True)
class Slot:
    """A place in a template where members differ; ``values`` are (value, count), most common first."""

    name: str
    kind: str  # "phone", "email", "url", "number" or "text"
    values: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Template:
    """Fixed tokens with ``{slot name}`` placeholders, and the slots' values in the sampled members."""

    tokens: tuple[str, ...]
    slots: tuple[Slot, ...]
    sample_size: int

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class AdCluster:
    cluster_id: int
    ad_ids: tuple[str, ...]
    template: Template | None

    @property
    def size(self) -> int:
        return len(self.ad_ids)


@dataclass(frozen=True)
class ClusterResult:
    """``cluster_of`` maps each clustered ad id to its cluster id; ads in no cluster are absent."""

    ad_ids: tuple[str, ...]
    cluster_of: Mapping[str, int]
    clusters: tuple[AdCluster, ...]
    candidate_pairs: int
    verified_pairs: int

    def cluster_id(self, ad_id: str) -> int | None:
        return self.cluster_of.get(ad_id)


@dataclass(frozen=True)
class OrganisedGroup:
    """Template clusters (and lone ads) joined by shared identifiers; see `find_organised_groups`."""

    group_id: int
    cluster_ids: tuple[int, ...]
    ad_ids: tuple[str, ...]
    sites: tuple[str, ...]
    identifiers: tuple[str, ...]
    shared_identifiers: tuple[str, ...]
    first_posted: datetime | None
    last_posted: datetime | None
    score: float = field(default=0.0)


# ---------------------------------------------------------------------------------------------
# Tokenising


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def _fold(text: str) -> str:
    """Without accents (decomposed, combining marks removed); ASCII text is returned as is."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def tokenise(text: str) -> list[str]:
    """Lower-cased word tokens with URLs, e-mails, phones and numbers replaced by mask tokens."""
    masked = text.lower()
    for pattern, mask in _MASKING_PASSES:
        masked = pattern.sub(mask, masked)
    return _TOKEN.findall(masked)


def _digits_mask(match: re.Match[str]) -> str:
    return f" {MASK_PHONE} " if match.group(1) else f" {MASK_NUMBER} "


def _feature_tokens(text: str) -> list[str]:
    """Tokens as `tokenise` gives them, with ``BRK`` between sentences (not yet reduced)."""
    masked = _fold(text).lower()
    if "http" in masked or "www" in masked:
        masked = _URL_PASS.sub(f" {MASK_URL} ", masked)
    if "@" in masked:
        masked = _EMAIL_PASS.sub(f" {MASK_EMAIL} ", masked)
    masked = _DIGITS_PASS.sub(_digits_mask, masked)
    masked = _BREAK_PASS.sub(f" {MASK_BREAK} ", masked)
    return _FEATURE_TOKEN.findall(masked)


def _skeleton(token: str) -> str:
    """First letter, then the consonants with repeats collapsed; mask tokens stay as they are."""
    if token.isupper():
        return token
    rest = token[1:].translate(_VOWELS)
    collapsed = "".join(ch for index, ch in enumerate(rest) if index == 0 or ch != rest[index - 1])
    return token[0] + collapsed


def _surface_tokens(text: str) -> list[tuple[str, str]]:
    """(masked token, original text) pairs, for slot values."""
    tokens: list[tuple[str, str]] = []
    for match in _SURFACE_TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        surface = match.group()
        tokens.append((_SURFACE_MASK.get(kind, surface.lower()), surface))
    return tokens


def normalise_identifier(identifier: str) -> str:
    """E-mails lower-cased; phone-like strings reduced to their last ten digits; else folded."""
    value = identifier.strip()
    if "@" in value:
        return value.lower()
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7:
        return digits[-10:]
    return _fold(value).lower()


# ---------------------------------------------------------------------------------------------
# Hashing


def _splitmix64(values: np.ndarray) -> np.ndarray:
    z = values.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


class _TokenHasher:
    """Stable 64-bit hashes of tokens' skeletons (independent of process and input order)."""

    def __init__(self) -> None:
        self._known: dict[str, int] = {}

    def hash_many(self, tokens: Sequence[str]) -> np.ndarray:
        codes, uniques = pd.factorize(pd.Series(tokens, dtype=object), sort=False)
        known = self._known
        hashes = np.empty(len(uniques), dtype=np.uint64)
        for index, token in enumerate(uniques):
            value = known.get(token)
            if value is None:
                digest = hashlib.blake2b(_skeleton(token).encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                known[token] = value
            hashes[index] = value
        hashed: np.ndarray = hashes[codes]
        return hashed


def _shingle_hashes(
    token_hashes: np.ndarray, sentences: np.ndarray, lengths: np.ndarray, shingle_size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hash of every feature, grouped by ad, and the number of features per ad.

    Features are the word n-grams of each size from 1 to ``shingle_size`` whose words are all in
    one sentence (``sentences`` numbers the sentence of each token, across all ads).
    """
    total = len(token_hashes)
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    padded = np.concatenate([token_hashes, np.zeros(shingle_size, dtype=np.uint64)])
    padded_sentences = np.concatenate([sentences, np.full(shingle_size, -1, dtype=np.int64)])
    parts: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    combined = np.zeros(total, dtype=np.uint64)
    inside = np.ones(total, dtype=bool)
    with np.errstate(over="ignore"):
        for offset in range(shingle_size):
            inside &= padded_sentences[offset : offset + total] == sentences
            combined += padded[offset : offset + total] * _SHINGLE_MULTIPLIERS[offset]
            parts.append(_splitmix64(combined[inside] ^ np.uint64(offset)))
            owners.append(owner[inside])
    hashes = np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)
    by_ad = np.argsort(np.concatenate(owners), kind="stable") if owners else np.empty(0, dtype=np.int64)
    counts = np.bincount(np.concatenate(owners), minlength=len(lengths)) if owners else np.zeros(0)
    return hashes[by_ad], counts.astype(np.int64)


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(seed)
    multipliers = generator.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    offsets = generator.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return multipliers, offsets


def _minhash(
    shingles: np.ndarray, counts: np.ndarray, multipliers: np.ndarray, offsets: np.ndarray
) -> np.ndarray:
    """MinHash signatures (one row per ad); an ad without shingles gets all-ones (never matches)."""
    signatures = np.full((len(counts), len(multipliers)), np.iinfo(np.uint32).max, dtype=np.uint32)
    has_shingles = counts > 0
    if not has_shingles.any():
        return signatures
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[has_shingles]
    with np.errstate(over="ignore"):
        for column, (multiplier, offset) in enumerate(zip(multipliers, offsets, strict=True)):
            permuted = ((shingles * multiplier + offset) >> np.uint64(32)).astype(np.uint32)
            signatures[has_shingles, column] = np.minimum.reduceat(permuted, starts)
    # Two empty ads would otherwise agree on every row.
    signatures[~has_shingles] = np.arange(len(multipliers), dtype=np.uint32)[None, :] ^ np.uint32(0xFFFFFFFF)
    return signatures


@dataclass(frozen=True)
class _ShingleSets:
    """Each ad's distinct 32-bit shingle hashes, sorted, stored back to back (CSR layout)."""

    hashes: np.ndarray
    offsets: np.ndarray

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


def _distinct_per_ad(shingles: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    owner = np.repeat(np.arange(len(counts), dtype=np.uint64), counts)
    keyed = np.sort((owner << np.uint64(32)) | (shingles >> np.uint64(32)))
    keyed = keyed[np.concatenate([[True], keyed[1:] != keyed[:-1]])] if len(keyed) else keyed
    distinct = (keyed & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    distinct_counts = np.bincount((keyed >> np.uint64(32)).astype(np.int64), minlength=len(counts))
    return distinct, distinct_counts


def _signatures(
    texts: Sequence[str],
    *,
    shingle_size: int,
    num_perm: int,
    seed: int,
    progress: Callable[[int], None] | None,
) -> tuple[np.ndarray, _ShingleSets]:
    """MinHash signatures and shingle sets of all texts, computed chunk by chunk."""
    multipliers, offsets = _permutations(num_perm, seed)
    hasher = _TokenHasher()
    signatures = np.empty((len(texts), num_perm), dtype=np.uint32)
    set_parts: list[np.ndarray] = []
    set_sizes = np.zeros(len(texts), dtype=np.int64)
    for start in range(0, len(texts), _CHUNK_ADS):
        chunk = texts[start : start + _CHUNK_ADS]
        token_lists = [[MASK_BREAK, *_feature_tokens(text)] for text in chunk]
        flat = np.asarray(list(chain.from_iterable(token_lists)), dtype=object)
        breaks = flat == MASK_BREAK
        # Every ad starts with a break, so sentences never span two ads.
        sentences = np.cumsum(breaks)[~breaks].astype(np.int64)
        words = flat[~breaks]
        ad_of_token = np.repeat(
            np.arange(len(chunk)), np.fromiter((len(tokens) for tokens in token_lists), dtype=np.int64)
        )[~breaks]
        lengths = np.bincount(ad_of_token, minlength=len(chunk)).astype(np.int64)
        token_hashes = hasher.hash_many(words.tolist()) if len(words) else np.empty(0, dtype=np.uint64)
        shingles, counts = _shingle_hashes(token_hashes, sentences, lengths, shingle_size)
        signatures[start : start + len(chunk)] = _minhash(shingles, counts, multipliers, offsets)
        distinct, distinct_counts = _distinct_per_ad(shingles, counts)
        set_parts.append(distinct)
        set_sizes[start : start + len(chunk)] = distinct_counts
        if progress is not None:
            progress(len(chunk))
    hashes = np.concatenate(set_parts) if set_parts else np.empty(0, dtype=np.uint32)
    set_offsets = np.concatenate([[0], np.cumsum(set_sizes)]).astype(np.int64)
    return signatures, _ShingleSets(hashes=hashes, offsets=set_offsets)


# ---------------------------------------------------------------------------------------------
# LSH, verification, components


def _band_keys(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    key = np.zeros(len(signatures), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(band * rows, (band + 1) * rows):
            key = _splitmix64(key ^ signatures[:, column].astype(np.uint64))
    return key


def _candidate_pairs(signatures: np.ndarray, usable: np.ndarray, bands: int) -> np.ndarray:
    """Distinct candidate pairs (i < j) as an (n, 2) int64 array."""
    rows = signatures.shape[1] // bands
    indices = np.flatnonzero(usable)
    found: list[np.ndarray] = []
    for band in range(bands):
        keys = _band_keys(signatures[indices], band, rows)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same_as_previous = np.concatenate([[False], sorted_keys[1:] == sorted_keys[:-1]])
        group_start = np.maximum.accumulate(np.where(same_as_previous, 0, np.arange(len(order))))
        members = np.flatnonzero(same_as_previous)
        if len(members) == 0:
            continue
        first = indices[order[group_start[members]]]
        previous = indices[order[members - 1]]
        current = indices[order[members]]
        found.append(np.stack([first, current], axis=1))
        found.append(np.stack([previous, current], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    count = len(signatures)
    encoded = np.sort(pairs[:, 0] * count + pairs[:, 1])
    encoded = encoded[np.concatenate([[True], encoded[1:] != encoded[:-1]])] if len(encoded) else encoded
    return np.stack([encoded // count, encoded % count], axis=1)


def _gather(sets: _ShingleSets, ads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The shingle hashes of the given ads back to back, and which of them each came from."""
    sizes = sets.sizes()[ads]
    total = int(sizes.sum())
    owner = np.repeat(np.arange(len(ads)), sizes)
    first = np.repeat(sets.offsets[ads] - (np.cumsum(sizes) - sizes), sizes)
    return sets.hashes[first + np.arange(total)], owner


def _exact_jaccard(sets: _ShingleSets, pairs: np.ndarray) -> np.ndarray:
    """Jaccard similarity of the two ads' shingle sets, for each pair."""
    similarities = np.empty(len(pairs), dtype=np.float64)
    sizes = sets.sizes()
    step = 200_000
    for start in range(0, len(pairs), step):
        block = pairs[start : start + step]
        left, left_owner = _gather(sets, block[:, 0])
        right, right_owner = _gather(sets, block[:, 1])
        keys = np.concatenate(
            [
                (left_owner.astype(np.uint64) << np.uint64(32)) | left.astype(np.uint64),
                (right_owner.astype(np.uint64) << np.uint64(32)) | right.astype(np.uint64),
            ]
        )
        keys.sort()
        # Each set is distinct, so a key seen twice is in both sets of its pair.
        shared = keys[1:][keys[1:] == keys[:-1]] >> np.uint64(32)
        intersection = np.bincount(shared.astype(np.int64), minlength=len(block))
        union = sizes[block[:, 0]] + sizes[block[:, 1]] - intersection
        similarities[start : start + step] = intersection / np.maximum(union, 1)
    return similarities


# Signatures estimate Jaccard with a standard error of at most 0.5 / sqrt(num_perm) (0.0625 for
# 64): pairs estimated this far from the threshold are decided by the estimate alone.
_ESTIMATE_MARGIN = 0.16


def _verified(signatures: np.ndarray, sets: _ShingleSets, pairs: np.ndarray, threshold: float) -> np.ndarray:
    """The pairs whose feature sets have Jaccard similarity >= threshold.

    The MinHash estimate decides clear cases; pairs near the threshold get the exact similarity.
    """
    estimate = np.empty(len(pairs), dtype=np.float64)
    step = 500_000
    for start in range(0, len(pairs), step):
        block = pairs[start : start + step]
        estimate[start : start + step] = (signatures[block[:, 0]] == signatures[block[:, 1]]).mean(axis=1)
    accepted = estimate >= threshold + _ESTIMATE_MARGIN
    unsure = np.flatnonzero(~accepted & (estimate >= threshold - _ESTIMATE_MARGIN))
    accepted[unsure] = _exact_jaccard(sets, pairs[unsure]) >= threshold
    return pairs[accepted]


def _components(count: int, edges: np.ndarray) -> np.ndarray:
    graph = igraph.Graph(n=count, edges=edges.tolist(), directed=False)
    return np.asarray(graph.connected_components().membership, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Templates


def _medoid(sample: Sequence[int], signatures: np.ndarray) -> int:
    sample_signatures = signatures[list(sample)]
    agreement = (sample_signatures[:, None, :] == sample_signatures[None, :, :]).mean(axis=2)
    return int(np.argmax(agreement.sum(axis=1)))


def _alignment(reference: list[str], member: list[str]) -> list[int]:
    """For each reference position, the member position aligned to it, or -1."""
    aligned = [-1] * len(reference)
    matcher = SequenceMatcher(None, reference, member, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            aligned[block.a + offset] = block.b + offset
    return aligned


def _slot_kind(values: Iterable[str]) -> str:
    kinds = set()
    for value in values:
        tokens = _surface_tokens(value)
        if len(tokens) == 1 and tokens[0][0] in _MASK_KIND:
            kinds.add(_MASK_KIND[tokens[0][0]])
        else:
            kinds.add("text")
    return kinds.pop() if len(kinds) == 1 else "text"


def _derive_template(
    texts: Sequence[str], signatures: np.ndarray, members: Sequence[int], *, min_support: float, sample: int
) -> Template:
    step = max(1, len(members) // sample)
    sampled = list(members[::step][:sample])
    tokenised = [_surface_tokens(texts[index]) for index in sampled]
    reference_at = _medoid(sampled, signatures)
    reference = tokenised[reference_at]
    reference_masked = [masked for masked, _ in reference]
    alignments = [_alignment(reference_masked, [masked for masked, _ in tokens]) for tokens in tokenised]

    fixed: list[bool] = []
    for position, (masked, _) in enumerate(reference):
        aligned_surfaces = [
            tokens[alignment[position]][1].lower()
            for tokens, alignment in zip(tokenised, alignments, strict=True)
            if alignment[position] >= 0
        ]
        supported = len(aligned_surfaces) >= min_support * len(sampled)
        constant = masked not in _MASK_KIND or len(set(aligned_surfaces)) == 1
        fixed.append(supported and constant)

    anchors = [position for position, is_fixed in enumerate(fixed) if is_fixed]
    gap_values: list[Counter[str]] = [Counter() for _ in range(len(anchors) + 1)]
    for tokens, alignment in zip(tokenised, alignments, strict=True):
        boundaries = [-1, *(alignment[anchor] for anchor in anchors), len(tokens)]
        for gap in range(len(anchors) + 1):
            left, right = boundaries[gap], boundaries[gap + 1]
            if (left < 0 and gap > 0) or right < 0:
                continue  # the member lacks an anchor here, so its slot value is unknown
            value = " ".join(surface for _, surface in tokens[left + 1 : right])
            if value:
                gap_values[gap][value] += 1

    template_tokens: list[str] = []
    slots: list[Slot] = []
    for gap, values in enumerate(gap_values):
        if values:
            name = f"slot{len(slots) + 1}"
            slots.append(Slot(name=name, kind=_slot_kind(values), values=tuple(values.most_common(20))))
            template_tokens.append("{" + name + "}")
        if gap < len(anchors):
            masked, surface = reference[anchors[gap]]
            template_tokens.append(surface.lower() if masked not in _MASK_KIND else surface)
    return Template(tokens=tuple(template_tokens), slots=tuple(slots), sample_size=len(sampled))


# ---------------------------------------------------------------------------------------------
# Public API


def cluster_ads(
    ads: Iterable[Ad],
    *,
    threshold: float = 0.6,
    num_perm: int = 64,
    bands: int = 16,
    shingle_size: int = 2,
    min_support: float = 0.5,
    template_sample: int = 20,
    with_templates: bool = True,
    seed: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> ClusterResult:
    """Cluster ads written from the same template.

    Guarantees: every clustered ad belongs to exactly one cluster of at least two ads; two ads
    are in one cluster only if a chain of verified pairs (Jaccard similarity of their features at least
    ``threshold``) joins them; cluster ids are 0, 1, ... in order of each cluster's first ad in
    the input; the result depends only on the input and the parameters (``seed`` included).
    ``progress``, if given, is called as ``progress(phase, total, done_now)`` while work is
    done, so a caller can show a bar. Raises ValueError on duplicate ad ids
    or on parameters that do not fit together.
    """
    if num_perm % bands:
        raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    ad_list = list(ads)
    ad_ids = tuple(ad.ad_id for ad in ad_list)
    if len(set(ad_ids)) != len(ad_ids):
        duplicate = next(ad_id for ad_id, count in Counter(ad_ids).items() if count > 1)
        raise ValueError(f"duplicate ad id: {duplicate!r}")
    texts = [ad.text or "" for ad in ad_list]
    del ad_list

    def report(phase: str, amount: int) -> None:
        if progress is not None:
            progress(phase, len(texts), amount)

    signatures, shingle_sets = _signatures(
        texts,
        shingle_size=shingle_size,
        num_perm=num_perm,
        seed=seed,
        progress=lambda amount: report("minhash", amount),
    )
    pairs = _candidate_pairs(signatures, shingle_sets.sizes() > 0, bands)
    verified = _verified(signatures, shingle_sets, pairs, threshold)
    membership = _components(len(texts), verified)

    component_sizes = np.bincount(membership, minlength=len(texts))
    clustered = component_sizes[membership] >= 2
    members_of: dict[int, list[int]] = {}
    for index in np.flatnonzero(clustered).tolist():
        members_of.setdefault(int(membership[index]), []).append(index)

    clusters: list[AdCluster] = []
    cluster_of: dict[str, int] = {}
    for cluster_id, members in enumerate(members_of.values()):
        template = (
            _derive_template(texts, signatures, members, min_support=min_support, sample=template_sample)
            if with_templates
            else None
        )
        member_ids = tuple(ad_ids[index] for index in members)
        clusters.append(AdCluster(cluster_id=cluster_id, ad_ids=member_ids, template=template))
        for ad_id in member_ids:
            cluster_of[ad_id] = cluster_id
        report("templates", len(members))
    return ClusterResult(
        ad_ids=ad_ids,
        cluster_of=cluster_of,
        clusters=tuple(clusters),
        candidate_pairs=len(pairs),
        verified_pairs=len(verified),
    )


def _group_score(ads: int, sites: int, identifiers: int, span_days: float) -> float:
    return round(
        math.log2(1 + ads) + 2.0 * max(sites - 1, 0) + math.log2(1 + identifiers) + min(span_days, 365) / 30,
        4,
    )


def find_organised_groups(
    ads: Iterable[Ad], result: ClusterResult, *, min_units: int = 2
) -> tuple[OrganisedGroup, ...]:
    """Groups of template clusters and lone ads that share identifiers, strongest first.

    A *unit* is a template cluster, or an ad in no cluster. Two units are joined when an ad of
    one and an ad of the other carry the same identifier (after `normalise_identifier`); a group
    is a connected set of at least ``min_units`` units. Its score is transparent::

        score = log2(1 + ads) + 2 * (sites - 1) + log2(1 + distinct identifiers)
                + min(span in days between first and last post, 365) / 30

    so more ads, more sites (the strongest sign of an organised operation), more identifiers
    and a longer activity period each raise it. Groups are ordered by score, then by size;
    group ids are 0, 1, ... in that order.
    """
    ad_list = list(ads)
    unit_of_ad: dict[str, str] = {}
    for ad in ad_list:
        cluster_id = result.cluster_of.get(ad.ad_id)
        unit_of_ad[ad.ad_id] = f"c{cluster_id}" if cluster_id is not None else f"a{ad.ad_id}"

    units: list[str] = sorted(set(unit_of_ad.values()))
    unit_index = {unit: index for index, unit in enumerate(units)}
    identifier_units: dict[str, set[int]] = {}
    for ad in ad_list:
        for identifier in ad.identifiers:
            key = normalise_identifier(identifier)
            if key:
                identifier_units.setdefault(key, set()).add(unit_index[unit_of_ad[ad.ad_id]])
    edges = [
        (first, other)
        for linked in identifier_units.values()
        if len(linked) > 1
        for first, *rest in [sorted(linked)]
        for other in rest
    ]
    membership = _components(len(units), np.asarray(edges, dtype=np.int64).reshape(-1, 2))

    units_by_component: dict[int, list[int]] = {}
    for unit, component in enumerate(membership.tolist()):
        units_by_component.setdefault(component, []).append(unit)
    ads_by_unit: dict[int, list[Ad]] = {}
    for ad in ad_list:
        ads_by_unit.setdefault(unit_index[unit_of_ad[ad.ad_id]], []).append(ad)

    groups: list[OrganisedGroup] = []
    for component_units in units_by_component.values():
        if len(component_units) < min_units:
            continue
        group_ads = [ad for unit in component_units for ad in ads_by_unit.get(unit, [])]
        identifiers = sorted({normalise_identifier(i) for ad in group_ads for i in ad.identifiers} - {""})
        shared = sorted(key for key in identifiers if len(identifier_units.get(key, ())) > 1)
        posted = sorted(ad.posted_at for ad in group_ads if ad.posted_at is not None)
        sites = sorted({ad.site for ad in group_ads if ad.site})
        span_days = (posted[-1] - posted[0]).total_seconds() / 86400 if posted else 0.0
        groups.append(
            OrganisedGroup(
                group_id=-1,
                cluster_ids=tuple(sorted(int(units[u][1:]) for u in component_units if units[u][0] == "c")),
                ad_ids=tuple(ad.ad_id for ad in group_ads),
                sites=tuple(sites),
                identifiers=tuple(identifiers),
                shared_identifiers=tuple(shared),
                first_posted=posted[0] if posted else None,
                last_posted=posted[-1] if posted else None,
                score=_group_score(len(group_ads), len(sites), len(identifiers), span_days),
            )
        )
    groups.sort(key=lambda group: (-group.score, -len(group.ad_ids), group.ad_ids))
    return tuple(
        OrganisedGroup(**{**group.__dict__, "group_id": group_id}) for group_id, group in enumerate(groups)
    )
