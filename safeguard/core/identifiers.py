"""The one normal form of the identifiers people report: phones, e-mails, handles, URLs, plates, documents.

Plain Python with ``phonenumbers``; no Django. Intake (a report's identifiers), cases (a child's
phone) and analytics (the entities of reports, cases and ads) all key identifiers with
:func:`normal_form`, so the same number typed "612 345 678" in a report and "+34 612-345-678"
in a case gets the same key and so the same blind index.

A value that cannot be verified (a phone number that is not a valid number for its region, an
e-mail without a domain …) is kept exactly as reported — only surrounding white space and
Unicode compatibility forms are folded — and flagged ``verified=False``. It is never presented
as normalised, and it still links to identical unverified strings (the blind index folds case
and inner white space). An unverified key can never equal a verified one: a verified phone is
E.164 and a string that reads as a valid E.164 number is verified.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import phonenumbers

__all__ = [
    "KINDS",
    "NormalForm",
    "is_verified_key",
    "normal_form",
    "phone_e164",
    "url_key",
]

KINDS = ("phone", "email", "handle", "url", "plate", "document")

_EMAIL_RE = re.compile(r"[a-z0-9._%+\-]{1,64}@(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}")
_SPELLED_AT_RE = re.compile(r"\s*[(\[{]\s*(?:at|arroba|arobase)\s*[)\]}]\s*|\s+(?:at|arroba|arobase)\s+")
_SPELLED_DOT_RE = re.compile(r"\s*[(\[{]\s*(?:dot|punto|point)\s*[)\]}]\s*|\s+(?:dot|punto|point)\s+")
_HANDLE_RE = re.compile(r"[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?")
_PLATE_RE = re.compile(r"[A-Z0-9]{2,10}")
_DOCUMENT_RE = re.compile(r"[A-Z0-9]{5,20}")
_HOST_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}")
# Letters written for digits in phone numbers (O→0, I/l→1, S→5): decoded only when nothing
# else in the value is a letter, so a keypad word ("0800 FLOWERS") is not read as digits.
_LETTER_DIGITS = str.maketrans({"o": "0", "O": "0", "i": "1", "I": "1", "l": "1", "s": "5", "S": "5"})
_PHONE_CHARS_RE = re.compile(r"\+?[\d\s().\-/]+")
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "igshid", "igsh", "mc_cid", "mc_eid", "yclid", "twclid",
     "ttclid", "si", "ref", "ref_src"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NormalForm:
    """An identifier as reported and its key; ``key`` is the typed value when not ``verified``."""

    kind: str
    typed: str
    key: str
    verified: bool

    @property
    def normalised(self) -> str:
        """The normalised form to show, or "" when the value could not be verified."""
        return self.key if self.verified else ""


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _unverified(kind: str, typed: str) -> NormalForm:
    return NormalForm(kind, typed, _fold(typed), False)


def phone_e164(value: str, region: str | None) -> str | None:
    """E.164 of ``value`` if ``phonenumbers`` calls it a valid number (in ``region`` without +code)."""
    try:
        number = phonenumbers.parse(value, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone(typed: str, region: str | None) -> NormalForm:
    text = _fold(typed)
    if not _PHONE_CHARS_RE.fullmatch(text):
        decoded = text.translate(_LETTER_DIGITS)
        if not _PHONE_CHARS_RE.fullmatch(decoded):
            return _unverified("phone", typed)
        text = decoded
    e164 = phone_e164(text, region)
    return NormalForm("phone", typed, e164, True) if e164 else _unverified("phone", typed)


def _email(typed: str) -> NormalForm:
    text = _fold(typed).casefold()
    text = _SPELLED_DOT_RE.sub(".", _SPELLED_AT_RE.sub("@", text)).rstrip(".")
    if _EMAIL_RE.fullmatch(text):
        return NormalForm("email", typed, text, True)
    return _unverified("email", typed)


def _handle(typed: str) -> NormalForm:
    text = _fold(typed).casefold().lstrip("@").rstrip(".")
    if _HANDLE_RE.fullmatch(text) and not text.isdigit():
        return NormalForm("handle", typed, text, True)
    return _unverified("handle", typed)


def url_key(host: str, rest: str) -> str:
    """A URL's key from its host and what follows it: host lower-case without ``www.``, no
    fragment, no tracking parameters, no trailing slash."""
    host = host.lower().rstrip(".").removeprefix("www.")
    path, _, query = rest.split("#", 1)[0].partition("?")
    path = path.rstrip("/")
    if query:
        kept = [
            (name, value)
            for name, value in parse_qsl(query, keep_blank_values=True)
            if not name.lower().startswith("utm_") and name.lower() not in TRACKING_PARAMS
        ]
        query = urlencode(kept)
    return host + path + ("?" + query if query else "")


def _url(typed: str) -> NormalForm:
    text = _fold(typed)
    if not text or any(c.isspace() for c in text):
        return _unverified("url", typed)
    candidate = text if "://" in text else f"https://{text}"
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").casefold()
    except ValueError:  # for example an unbalanced "[" taken for an IPv6 address
        return _unverified("url", typed)
    if parts.scheme.lower() not in ("http", "https") or not _HOST_RE.fullmatch(host):
        return _unverified("url", typed)
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return NormalForm("url", typed, url_key(host, rest), True)


def _alphanumeric(kind: str, typed: str, pattern: re.Pattern[str]) -> NormalForm:
    text = "".join(c for c in _fold(typed).upper() if c.isalnum())
    if pattern.fullmatch(text) and any(c.isdigit() for c in text):
        return NormalForm(kind, typed, text, True)
    return _unverified(kind, typed)


def normal_form(kind: str, typed: str, *, region: str | None = None) -> NormalForm:
    """The key of one identifier of a known kind; ``region`` is the ISO country of the record.

    Guarantees: ``normal_form(kind, f.key, region=region) == f.key`` for a verified ``f``
    (idempotent); an unverified value's key is the typed value, folded (NFKC, stripped).
    """
    match kind:
        case "phone":
            return _phone(typed, region)
        case "email":
            return _email(typed)
        case "handle":
            return _handle(typed)
        case "url":
            return _url(typed)
        case "plate":
            return _alphanumeric("plate", typed, _PLATE_RE)
        case "document":
            return _alphanumeric("document", typed, _DOCUMENT_RE)
    raise ValueError(f"unknown identifier kind {kind!r}")


def is_verified_key(kind: str, key: str) -> bool:
    """Whether a stored key is a verified normal form (an unverified key is the typed value).

    Used where only the key survives (analytics entities): a verified key is its own normal form.
    """
    if kind not in KINDS:
        return True
    # A verified phone key is E.164, valid whatever the region.
    form = normal_form(kind, key, region=None)
    return form.verified and form.key == key
