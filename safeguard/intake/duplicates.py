"""Why two reports may be the same report: shared identifiers, near-identical narrative, same place and time.

Plain Python (``datasketch`` for MinHash); no Django. The selector
(``intake.duplicate_suggestions``) decrypts the reports the viewer may see and hands their
facts here; nothing computed here is stored.

Narratives are compared as sets of word triples (shingles) of the case-folded, accent-free
text, by the exact Jaccard similarity of the two sets: a narrative has tens of shingles, so the
exact figure costs less than a MinHash estimate of it, and it tells a re-sent report (J ≥ 0.8)
from two reports on the same subject (J ≈ 0.1–0.3; measured in
``bench/intake/bench_duplicates.py``). MinHash (128 permutations) is for finding candidates
among many reports with locality-sensitive hashing, as the bench does over FEBRL.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from datasketch import MinHash

__all__ = [
    "NEAR_TEXT",
    "ReportFacts",
    "Suggestion",
    "jaccard",
    "minhash",
    "shingles",
    "suggest",
]

NUM_PERM = 128
NEAR_TEXT = 0.5  # Jaccard similarity of word triples from which a narrative alone suggests a duplicate
SOME_TEXT = 0.2  # enough together with the same place and time
TIME_WINDOW = timedelta(hours=72)
NEAR_KM = 2.0
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class ReportFacts:
    """What the comparison needs of one report (decrypted in memory only)."""

    report_id: int
    narrative: str
    identifier_keys: frozenset[tuple[str, str]]  # (kind, blind index)
    created_at: datetime
    country: str = ""
    subdivision: str = ""
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Suggestion:
    """A likely duplicate and the reasons, strongest first; ``score`` orders suggestions."""

    report_id: int
    score: float
    shared_kinds: tuple[str, ...] = ()
    text_similarity: float = 0.0
    same_place: str = ""  # "place" (same place or within 2 km), "region", or ""
    hours_apart: float | None = None
    reasons: tuple[str, ...] = field(default=())


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD_RE.findall(plain)


def shingles(text: str, size: int = 3) -> set[str]:
    """Word ``size``-grams of the folded text; a text shorter than ``size`` words is one shingle."""
    words = _words(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


# The hash permutations MinHash draws from its seed, drawn once: each signature reuses them.
_SCHEME = MinHash(num_perm=NUM_PERM, seed=11)


def minhash(text: str) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, seed=11, permutations=_SCHEME.permutations, scheme=_SCHEME.scheme)
    signature.update_batch([s.encode() for s in shingles(text)])
    return signature


def jaccard(a: set[str], b: set[str]) -> float:
    """Shared shingles over all shingles of the two; 0 when either text has none."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _km(a: ReportFacts, b: ReportFacts) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _same_place(a: ReportFacts, b: ReportFacts) -> str:
    km = _km(a, b)
    if km is not None and km <= NEAR_KM:
        return "place"
    if a.place and " ".join(_words(a.place)) == " ".join(_words(b.place)) and a.country == b.country:
        return "place"
    if a.subdivision and a.subdivision == b.subdivision:
        return "region"
    return ""


def suggest(
    report: ReportFacts,
    others: Iterable[ReportFacts],
    *,
    limit: int = 5,
    shingled: dict[int, set[str]] | None = None,
) -> list[Suggestion]:
    """The ``limit`` most likely duplicates of ``report`` among ``others``, each with its reasons.

    A report is suggested when it shares an identifier, when its narrative is near-identical
    (Jaccard ≥ ``NEAR_TEXT``), or when it was received within 72 hours at the same place (or in
    the same region) and its narrative overlaps (≥ ``SOME_TEXT``). Place and time alone never
    suggest: a busy station has many different reports. ``shingled`` holds shingle sets already
    computed, by report id.
    """
    kept = shingled if shingled is not None else {}
    my_shingles = kept.get(report.report_id) or shingles(report.narrative)
    found: list[Suggestion] = []
    for other in others:
        if other.report_id == report.report_id:
            continue
        shared = tuple(sorted({kind for kind, index in report.identifier_keys & other.identifier_keys}))
        similarity = jaccard(my_shingles, kept.get(other.report_id) or shingles(other.narrative))
        if not shared and similarity < SOME_TEXT:
            continue  # neither an identifier nor enough text: place and time alone never suggest
        hours = abs((report.created_at - other.created_at).total_seconds()) / 3600
        place = _same_place(report, other) if hours <= TIME_WINDOW.total_seconds() / 3600 else ""
        if not (shared or similarity >= NEAR_TEXT or (place and similarity >= SOME_TEXT)):
            continue
        reasons = []
        if shared:
            reasons.append("shared:" + ",".join(shared))
        if similarity >= SOME_TEXT:
            reasons.append("text")
        if place:
            reasons.append("place:" + place)
        score = len(shared) + similarity + (0.3 if place == "place" else 0.15 if place else 0.0)
        found.append(
            Suggestion(
                other.report_id,
                round(score, 3),
                shared,
                round(similarity, 2),
                place,
                round(hours, 1),
                tuple(reasons),
            )
        )
    found.sort(key=lambda s: (-s.score, s.report_id))
    return found[:limit]


def signatures_for(facts: Sequence[ReportFacts]) -> dict[int, MinHash]:
    """MinHash of each report's narrative, to find candidates among many reports with LSH (bench)."""
    return {f.report_id: minhash(f.narrative) for f in facts}
