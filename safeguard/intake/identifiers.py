"""Normalising the identifiers people report (phones, e-mails, handles, addresses, plates).

Plain Python with ``phonenumbers``; no Django. An identifier that cannot be parsed is kept as
typed and flagged, never dropped: a half-remembered number can still match another report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HANDLE = re.compile(r"^[\w.\-]{1,100}$", re.UNICODE)


@dataclass(frozen=True)
class Parsed:
    kind: str
    typed: str
    normalised: str
    is_valid: bool


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def parse_phone(typed: str, *, region: str = "") -> Parsed:
    """E.164 when ``phonenumbers`` can parse it (in ``region`` if it has no +country code)."""
    text = _fold(typed)
    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return Parsed(
            "phone", typed, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True
        )
    digits = re.sub(r"[^\d+]", "", text)
    return Parsed("phone", typed, digits or text.casefold(), False)


def parse_email(typed: str) -> Parsed:
    text = _fold(typed).casefold()
    return Parsed("email", typed, text, bool(EMAIL.match(text)))


def parse_handle(typed: str) -> Parsed:
    text = _fold(typed).casefold().lstrip("@")
    return Parsed("handle", typed, text, bool(HANDLE.match(text)))


def parse_url(typed: str) -> Parsed:
    text = _fold(typed)
    candidate = text if "://" in text else f"https://{text}"
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").casefold().removeprefix("www.")
    except ValueError:  # for example an unbalanced "[" taken for an IPv6 address
        return Parsed("url", typed, text.casefold(), False)
    if not host or "." not in host or " " in text:
        return Parsed("url", typed, text.casefold(), False)
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return Parsed("url", typed, f"{host}{path}{query}", True)


def parse_plate(typed: str) -> Parsed:
    text = re.sub(r"[\W_]+", "", _fold(typed).upper())
    return Parsed("plate", typed, text, 2 <= len(text) <= 12)


def parse_identifier(kind: str, typed: str, *, region: str = "") -> Parsed:
    if kind == "phone":
        return parse_phone(typed, region=region)
    parser = {"email": parse_email, "handle": parse_handle, "url": parse_url, "plate": parse_plate}[kind]
    return parser(typed)
