"""Private set intersection and Bloom-filter person matching, as pure functions."""

from __future__ import annotations

import numpy as np
import pytest

from safeguard.sharing.encodings import (
    EncodingSchema,
    FieldEncoding,
    FieldKind,
    dice_matrix,
    encode,
    match,
    tokens,
)
from safeguard.sharing.intersection import PsiClient, PsiServer, ServerAnswer, identifier_keys

SECRET = b"a secret both installations share"
SCHEMA = EncodingSchema(
    fields=(
        FieldEncoding("given_name", FieldKind.NAME),
        FieldEncoding("surname", FieldKind.NAME),
        FieldEncoding("birth_date", FieldKind.DATE),
    )
)


def test_psi_finds_exactly_the_common_identifiers() -> None:
    mine = identifier_keys(
        [("phone", "+44 20 7946 0001"), ("email", "Alpha@Example.org"), ("handle", "@nobody")]
    )
    theirs = identifier_keys([("phone", "020 7946 0001"), ("email", "beta@example.org")], default_region="GB")
    client = PsiClient(mine)
    server = PsiServer(theirs)
    answer = server.answer(client.request(), client_size=len(mine))
    assert client.intersection(answer) == ["phone:+442079460001"]
    # Nothing the client receives carries the server's non-matching identifier in the clear.
    assert b"beta" not in answer.setup + answer.response


def test_psi_on_a_larger_set_is_exact() -> None:
    mine = [f"phone:+4420794{i:05}" for i in range(0, 3000)]
    theirs = [f"phone:+4420794{i:05}" for i in range(2000, 6000)]
    client = PsiClient(mine)
    answer = PsiServer(theirs).answer(client.request(), client_size=len(mine))
    assert client.intersection(answer) == sorted(f"phone:+4420794{i:05}" for i in range(2000, 3000))
    assert isinstance(answer, ServerAnswer)


def test_identifier_kinds_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown identifier kind"):
        identifier_keys([("name", "Alice")])
    assert identifier_keys([("document", "ab 12-34"), ("document", "AB1234")]) == ["document:AB1234"]


def test_tokens() -> None:
    assert tokens(FieldKind.NAME, "Zoë") == ["_z", "zo", "oe", "e_"]
    assert tokens(FieldKind.DATE, "1990-05-17") == ["y1990", "m05", "d17"]
    assert tokens(FieldKind.DATE, "unknown") == []


def test_same_person_with_a_typo_scores_high_and_strangers_low() -> None:
    left = encode(
        [
            {"given_name": "Amara", "surname": "Okonkwo", "birth_date": "2009-03-14"},
            {"given_name": "Lucia", "surname": "Fernandez", "birth_date": "2011-11-02"},
        ],
        SCHEMA,
        SECRET,
    )
    right = encode(
        [
            {"given_name": "Lucía", "surname": "Fernandes", "birth_date": "2011-11-02"},
            {"given_name": "Amara", "surname": "Okonkow", "birth_date": "2009-03-14"},
        ],
        SCHEMA,
        SECRET,
    )
    scores = dice_matrix(left, right)
    assert scores[0, 1] > 0.85 and scores[1, 0] > 0.85
    assert scores[0, 0] < 0.5 and scores[1, 1] < 0.5
    assert sorted((m.left, m.right) for m in match(left, right, threshold=0.8)) == [(0, 1), (1, 0)]


def test_another_secret_gives_unrelated_encodings() -> None:
    record = [{"given_name": "Amara", "surname": "Okonkwo", "birth_date": "2009-03-14"}]
    mine = encode(record, SCHEMA, SECRET)
    other = encode(record, SCHEMA, b"another secret of sixteen+ bytes")
    assert dice_matrix(mine, mine)[0, 0] == 1.0
    assert dice_matrix(mine, other)[0, 0] < 0.5


def test_blip_flips_about_the_requested_share_of_bits() -> None:
    records = [{"given_name": f"name{i}", "surname": "x", "birth_date": ""} for i in range(200)]
    plain = encode(records, SCHEMA, SECRET)
    flipped = encode(records, EncodingSchema(fields=SCHEMA.fields, flip=0.05), SECRET, seed=1)
    changed = np.bitwise_count(plain ^ flipped).sum() / (200 * 1024)
    assert changed == pytest.approx(0.05, abs=0.005)


def test_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        encode([], SCHEMA, b"short")
