"""Receipt codes for anonymous follow-up; plain Python with argon2-cffi.

A receipt is 24 Crockford base32 characters shown in six groups of four, for example
``K7M2-Q9XD-4HTR-8WPA-3NVE-6ZCJ``. The first eight characters (40 bits) are a *lookup id*,
stored in clear and unique, so a receipt is found with one indexed query; the last sixteen
(80 bits) are the *secret*, stored only as an argon2id hash and checked against that one row.
See docs/decisions/010-intake-receipt-codes.md for the reasoning and the argon2 parameters.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LOOKUP_LENGTH = 8
SECRET_LENGTH = 16  # 16 × 5 bits = 80 bits
GROUP = 4

# 2 MiB, one pass: ~1 ms on one core (decision 010). The secret has 80 random bits, so brute force is out of
# reach even with a fast hash; the memory-hard hash is defence in depth for a stolen database.
HASHER = PasswordHasher(time_cost=1, memory_cost=2048, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
_DUMMY_HASH = HASHER.hash("0" * SECRET_LENGTH)


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_lookup() -> str:
    return _random(LOOKUP_LENGTH)


def new_secret() -> str:
    return _random(SECRET_LENGTH)


def format_receipt(lookup: str, secret: str) -> str:
    code = lookup + secret
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str:
    """What the reporter typed, as the canonical code: upper case, no separators, O→0, I/L→1."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    return text.translate(str.maketrans("OIL", "011"))


def split(typed: str) -> tuple[str, str] | None:
    """``(lookup, secret)`` of a typed receipt, or None when it cannot be a receipt at all."""
    code = normalise(typed)
    if len(code) != LOOKUP_LENGTH + SECRET_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code[:LOOKUP_LENGTH], code[LOOKUP_LENGTH:]


def hash_secret(secret: str) -> str:
    return HASHER.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """Constant work whether or not a receipt with that lookup id exists."""
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
