"""The one identifier normal form: properties over generated input, and the cases issue 11 names."""

from __future__ import annotations

import unicodedata

import phonenumbers
from hypothesis import given
from hypothesis import strategies as st

from safeguard.core.crypto import blind_index
from safeguard.core.identifiers import KINDS, is_verified_key, normal_form

KEY = b"k" * 32
# Valid Spanish mobiles (6xx xxx xxx) and French mobiles (6 xx xx xx xx), as phonenumbers knows them.
spanish_mobiles = st.integers(min_value=600_000_000, max_value=699_999_999).map(str)


def _formats(national: str, region: str) -> list[str]:
    number = phonenumbers.parse(national, region)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    spaced = " ".join(national[i : i + 3] for i in range(0, len(national), 3))
    return [
        national,
        spaced,
        e164,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
        "00" + e164[1:],
        f"({national[:3]}) {national[3:6]}-{national[6:]}",
        f" {spaced.replace(' ', '.')} ",
    ]


@given(spanish_mobiles)
def test_every_formatting_of_one_valid_phone_gives_one_key(national: str) -> None:
    number = phonenumbers.parse(national, "ES")
    if not phonenumbers.is_valid_number(number):
        return  # a few 6xx blocks are unallocated
    forms = {normal_form("phone", typed, region="ES") for typed in _formats(national, "ES")}
    assert {(form.key, form.verified) for form in forms} == {(f"+34{national}", True)}


@given(st.sampled_from(KINDS), st.text(max_size=60), st.sampled_from(["ES", "FR", "GB", None]))
def test_normal_form_is_idempotent_and_keeps_what_was_typed(
    kind: str, typed: str, region: str | None
) -> None:
    form = normal_form(kind, typed, region=region)
    assert form.typed == typed
    again = normal_form(kind, form.key, region=region)
    if form.verified:
        assert (again.key, again.verified) == (form.key, True)
        assert is_verified_key(kind, form.key)
        assert form.normalised == form.key
    else:
        # Kept as reported, never presented as normalised, and never mistaken for a verified key.
        assert form.key == unicodedata.normalize("NFKC", typed).strip()
        assert form.normalised == ""
        assert not is_verified_key(kind, form.key)


@given(st.sampled_from(KINDS), st.text(min_size=1, max_size=40))
def test_an_unverified_value_links_to_the_same_string_with_other_spacing_and_case(
    kind: str, typed: str
) -> None:
    form = normal_form(kind, typed)
    if form.verified:
        return
    variant = normal_form(kind, f"  {typed.upper()} ")
    if not variant.verified:
        assert blind_index(KEY, variant.key, purpose=kind) == blind_index(KEY, form.key.upper(), purpose=kind)


def test_an_incomplete_uk_number_is_not_verified_and_is_kept_as_reported() -> None:
    form = normal_form("phone", "07700 9001", region="GB")
    assert (form.key, form.verified, form.normalised) == ("07700 9001", False, "")


def test_unverified_phones_still_match_the_same_digits_spaced_differently() -> None:
    first = normal_form("phone", "07700 9001", region="GB")
    second = normal_form("phone", "077009001", region="GB")
    assert blind_index(KEY, first.key, purpose="phone") == blind_index(KEY, second.key, purpose="phone")


def test_each_kind_has_one_key() -> None:
    assert normal_form("email", " Vex.Doe@Example.ORG ").key == "vex.doe@example.org"
    assert normal_form("email", "vex.doe (at) example [dot] org").key == "vex.doe@example.org"
    assert normal_form("handle", "@Vex_Doe").key == "vex_doe"
    assert normal_form("url", "HTTPS://www.Example.org/ad/17/?utm_source=x#top").key == "example.org/ad/17"
    assert normal_form("plate", "demo-123").key == "DEMO123"
    assert normal_form("document", "x-1234 567").key == "X1234567"
    assert normal_form("phone", "+34 6l2 345 678").key == "+34612345678"
    assert not normal_form("email", "not-an-email").verified
    assert not normal_form("url", "javascript:alert(1)").verified
