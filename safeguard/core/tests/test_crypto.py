"""Field encryption and blind indexes, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.core.crypto import DecryptionError, FieldCipher, blind_index, key_id_of

OLD = {"old": b"o" * 32}
NEW = {"new": b"n" * 32, "old": b"o" * 32}


@given(st.text())
def test_any_text_round_trips(plaintext) -> None:
    cipher = FieldCipher(OLD)
    assert cipher.decrypt(cipher.encrypt(plaintext, context="t.f"), context="t.f") == plaintext


def test_encrypting_twice_gives_different_tokens_naming_the_key() -> None:
    cipher = FieldCipher(OLD)
    first, second = cipher.encrypt("Jane Roe", context="t.f"), cipher.encrypt("Jane Roe", context="t.f")
    assert first != second
    assert first.startswith("sg1:old:")
    assert "Jane" not in first


def test_a_token_does_not_decrypt_in_another_field() -> None:
    cipher = FieldCipher(OLD)
    token = cipher.encrypt("secret", context="cases.person.name")
    with pytest.raises(DecryptionError, match="failed authentication"):
        cipher.decrypt(token, context="cases.person.alias")


def test_a_tampered_token_is_refused() -> None:
    cipher = FieldCipher(OLD)
    token = cipher.encrypt("secret", context="t.f")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(DecryptionError):
        cipher.decrypt(tampered, context="t.f")


def test_after_rotation_old_tokens_still_decrypt_and_new_ones_use_the_new_key() -> None:
    old_token = FieldCipher(OLD).encrypt("value", context="t.f")
    rotated = FieldCipher(NEW)
    assert rotated.decrypt(old_token, context="t.f") == "value"
    assert rotated.needs_rotation(old_token)
    assert key_id_of(rotated.encrypt("value", context="t.f")) == "new"


def test_a_token_under_a_removed_key_names_the_missing_key() -> None:
    token = FieldCipher(OLD).encrypt("value", context="t.f")
    with pytest.raises(DecryptionError, match="no key with id 'old'"):
        FieldCipher({"new": b"n" * 32}).decrypt(token, context="t.f")


def test_blind_index_matches_equal_identifiers_whatever_their_spacing_and_case() -> None:
    key = b"k" * 32
    assert blind_index(key, "@Some.Handle", purpose="handle") == blind_index(
        key, " @some.handle ", purpose="handle"
    )
    assert blind_index(key, "@some.handle", purpose="handle") != blind_index(
        key, "@some.handle", purpose="email"
    )
    assert blind_index(key, "@some.handle", purpose="handle") != blind_index(
        b"x" * 32, "@some.handle", purpose="handle"
    )
    assert len(blind_index(key, "x", purpose="phone")) == 40
