"""The identifiers people report, in intake's terms: the one normal form of ``core.identifiers``.

Kept as intake's import point (forms, the public API and submission use it); every key comes
from :func:`safeguard.core.identifiers.normal_form`, the same function analytics and cases use,
so a report's blind index equals the analytics entity's for the same identifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.core.identifiers import normal_form


@dataclass(frozen=True)
class Parsed:
    kind: str
    typed: str
    normalised: str  # the key: E.164 … when verified, the value as typed (folded) when not
    is_valid: bool  # verified: shown normalised; otherwise "could not be verified"


def parse_identifier(kind: str, typed: str, *, region: str = "") -> Parsed:
    form = normal_form(kind, typed, region=region or None)
    return Parsed(kind, typed, form.key, form.verified)


def parse_phone(typed: str, *, region: str = "") -> Parsed:
    return parse_identifier("phone", typed, region=region)
