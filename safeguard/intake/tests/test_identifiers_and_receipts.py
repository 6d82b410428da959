"""Identifier normalising and receipt codes: pure functions, with hypothesis for the parsers."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from safeguard.intake import receipts
from safeguard.intake.identifiers import parse_identifier, parse_phone


def test_phone_parsed_to_e164_with_country_default() -> None:
    parsed = parse_phone("612 34 56 78", region="ES")
    assert (parsed.normalised, parsed.is_valid) == ("+34612345678", True)
    assert parse_phone("+34 612-34-56-78").normalised == "+34612345678"


def test_unparseable_phone_kept_as_typed_and_flagged() -> None:
    parsed = parse_phone("not sure, started with 07", region="GB")
    assert parsed.is_valid is False
    assert parsed.typed == "not sure, started with 07"
    assert parsed.normalised == "not sure, started with 07"


def test_an_incomplete_number_is_not_verified_and_not_presented_as_normalised() -> None:
    # Issue 11: "07700 9001" became "+44077009001", looked valid and went to the police.
    parsed = parse_phone("07700 9001", region="GB")
    assert (parsed.normalised, parsed.is_valid) == ("07700 9001", False)


def test_other_kinds_normalise() -> None:
    assert parse_identifier("email", " Vex.Doe@Example.ORG ").normalised == "vex.doe@example.org"
    assert parse_identifier("handle", "@Vex_Doe").normalised == "vex_doe"
    assert parse_identifier("url", "HTTPS://www.Example.org/ad/17/").normalised == "example.org/ad/17"
    assert parse_identifier("plate", "demo-123").normalised == "DEMO123"
    assert parse_identifier("email", "not-an-email").is_valid is False


@given(st.sampled_from(["phone", "email", "handle", "url", "plate"]), st.text(max_size=80))
def test_parsers_never_raise_and_keep_what_was_typed(kind: str, typed: str) -> None:
    parsed = parse_identifier(kind, typed, region="ES")
    assert parsed.typed == typed
    assert isinstance(parsed.normalised, str)


def test_receipt_has_at_least_80_secret_bits_and_groups_of_four() -> None:
    lookup, secret = receipts.new_lookup(), receipts.new_secret()
    code = receipts.format_receipt(lookup, secret)
    assert [len(group) for group in code.split("-")] == [4, 4, 4, 4, 4, 4]
    assert receipts.SECRET_LENGTH * math.log2(len(receipts.ALPHABET)) >= 80


def test_receipt_normalises_what_people_type() -> None:
    lookup, secret = "ABCD0123", "EFGH4567JKMN89PQ"
    typed = receipts.format_receipt(lookup, secret).lower().replace("-", " ").replace("0", "o")
    assert receipts.split(typed) == (lookup, secret)
    assert receipts.split("too short") is None


def test_secret_stored_as_argon2id_and_verified() -> None:
    secret = receipts.new_secret()
    stored = receipts.hash_secret(secret)
    assert stored.startswith("$argon2id$v=19$m=2048,t=1,p=1$")
    assert secret not in stored
    assert receipts.verify_secret(stored, secret) is True
    assert receipts.verify_secret(stored, receipts.new_secret()) is False
    assert receipts.verify_secret(None, secret) is False
