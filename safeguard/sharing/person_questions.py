"""The encoding of a person-matching question, shared by both installations and the benchmark.

A question carries one CLK per name of the person (``name``: the whole name, bigrams) and, when
known, the birth date (``dob``); the asked side encodes its people with the same schema under
the question's secret. The thresholds are the asked side's: from the per-question flow on FEBRL 4
(bench/sharing/bench_person_questions.py).

No Django imports.
"""

from __future__ import annotations

from collections.abc import Sequence

from safeguard.sharing.encodings import EncodingSchema, FieldEncoding, FieldKind

BITS = 1024
HASHES = 20
FLIP = 0.02  # BLIP on the asking side's encodings
THRESHOLDS = {("name", "dob"): 0.75, ("name",): 0.80}


def question_schema(fields: Sequence[str], *, flip: float = 0.0) -> EncodingSchema:
    kinds = {"name": FieldKind.NAME, "dob": FieldKind.DATE}
    return EncodingSchema(
        fields=tuple(FieldEncoding(field, kinds[field], HASHES) for field in fields), bits=BITS, flip=flip
    )
