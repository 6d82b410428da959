"""Proof of work for a report that a limit would refuse, so that a child in danger is never turned away.

Above the public rate limit a report marked "a child is in danger now" is not refused: the
reporter is asked for a small proof of work instead, as GlobaLeaks does. A *challenge* is a
signed, timestamped token (``django.core.signing``) holding only random bytes and the difficulty,
never anything about the reporter. It is answered in one of two ways:

- **solved**: a nonce such that ``sha256(challenge + nonce)`` starts with ``bits`` zero bits,
  found by the page's script (``static/js/proof-of-work.js``) or by an API client;
- **waited**: no nonce, sent back at least ``wait_seconds`` after the challenge was issued; this is
  the fallback of a browser without JavaScript. The signature carries the time, so the wait is
  checked by the server and cannot be skipped.

Each challenge is accepted once: redeeming it adds its digest to the cache (shared by every worker
through the database cache) for as long as it is valid, and a second use is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from time import time as _now

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

SALT = "safeguard.intake.proof-of-work"
_USED_PREFIX = "intake.pow.used:"


@dataclass(frozen=True)
class Challenge:
    token: str
    bits: int
    wait_seconds: int

    def as_dict(self) -> dict[str, str | int]:
        return {
            "challenge": self.token,
            "bits": self.bits,
            "wait_seconds": self.wait_seconds,
            "algorithm": "sha256",
        }


class Refused(Exception):
    """The answer does not prove the work; ``message`` says why, for the reporter."""

    def __init__(self, message: object, *, too_early: bool = False) -> None:
        super().__init__(str(message))
        self.message = message
        self.too_early = too_early


def issue() -> Challenge:
    """A fresh challenge at the configured difficulty."""
    bits = settings.INTAKE_PROOF_OF_WORK_BITS
    payload = {"r": secrets.token_hex(16), "b": bits, "t": int(_now())}
    token = signing.dumps(payload, salt=SALT, compress=False)
    return Challenge(token=token, bits=bits, wait_seconds=settings.INTAKE_PROOF_OF_WORK_WAIT_SECONDS)


def again(token: str) -> Challenge:
    """The same challenge once more (sent too early without JavaScript: the wait done counts)."""
    return Challenge(
        token=token,
        bits=settings.INTAKE_PROOF_OF_WORK_BITS,
        wait_seconds=settings.INTAKE_PROOF_OF_WORK_WAIT_SECONDS,
    )


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        return count + 8 - byte.bit_length()
    return count


def solves(token: str, nonce: str, bits: int) -> bool:
    return leading_zero_bits(hashlib.sha256((token + nonce).encode()).digest()) >= bits


def solve(token: str, bits: int) -> str:
    """The first nonce that solves ``token`` (what the page's script does; used by tests and clients)."""
    nonce = 0
    while not solves(token, str(nonce), bits):
        nonce += 1
    return str(nonce)


def redeem(token: str, nonce: str = "") -> None:
    """Accept the answer once, or raise ``Refused`` with a message for the reporter."""
    max_age = settings.INTAKE_PROOF_OF_WORK_MAX_AGE_SECONDS
    invalid = _("This check was not valid. A new one has been started; please send again.")
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise Refused(invalid) from None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(key), int) for key in "bt"):
        raise Refused(invalid)
    age = _now() - payload["t"]
    if age > max_age:
        raise Refused(_("This check has expired. A new one has been started; please send again."))
    if nonce:
        if len(nonce) > 64 or not solves(token, nonce, payload["b"]):
            raise Refused(
                _("The answer to the check was wrong. A new one has been started; please send again.")
            )
    elif age < settings.INTAKE_PROOF_OF_WORK_WAIT_SECONDS:
        raise Refused(
            _("Please wait a few more seconds, then send the report again."),
            too_early=True,
        )
    used = _USED_PREFIX + hashlib.sha256(token.encode()).hexdigest()
    if not cache.add(used, 1, timeout=max_age + 60):
        raise Refused(_("This check was already used. A new one has been started; please send again."))
