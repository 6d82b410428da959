"""Signed messages between installations: Ed25519 over the method, path, time and body.

Every request one installation sends another carries three headers: the sender's base URL, the
time (seconds since the epoch) and an Ed25519 signature of ``METHOD\\nPATH\\nTIME\\nSHA-256(body)``.
The receiver checks the signature with the key it stored when the two were paired and refuses
a time more than ``MAX_SKEW`` seconds away, so a recorded request cannot be replayed later.

No Django imports.
"""

from __future__ import annotations

import base64
import hashlib
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

__all__ = [
    "HEADER_INSTALLATION",
    "HEADER_SIGNATURE",
    "HEADER_TIME",
    "MAX_SKEW",
    "SignatureError",
    "fingerprint",
    "new_private_key",
    "public_key_of",
    "sign",
    "verify",
]

HEADER_INSTALLATION = "X-Safeguard-Installation"
HEADER_TIME = "X-Safeguard-Time"
HEADER_SIGNATURE = "X-Safeguard-Signature"
MAX_SKEW = 300


class SignatureError(ValueError):
    """A message whose signature, key or time does not check out."""


def new_private_key() -> str:
    """A new Ed25519 private key, as base64 of its 32 raw bytes."""
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def public_key_of(private_key: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def fingerprint(public_key: str) -> str:
    """What two administrators read to each other: 16 groups of 4 hex digits of SHA-256."""
    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:64]
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def _message(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    return f"{method.upper()}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()


def sign(
    private_key: str, method: str, path: str, body: bytes, *, now: float | None = None
) -> tuple[str, str]:
    """(time, signature) for a request."""
    timestamp = str(int(now if now is not None else time.time()))
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    return timestamp, base64.b64encode(key.sign(_message(method, path, timestamp, body))).decode()


def verify(
    public_key: str,
    method: str,
    path: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    now: float | None = None,
) -> None:
    """Raise ``SignatureError`` unless ``signature`` is the key's, over this request, and recent."""
    try:
        sent = int(timestamp)
    except ValueError:
        raise SignatureError("the time header is not a number") from None
    if abs((now if now is not None else time.time()) - sent) > MAX_SKEW:
        raise SignatureError("the message is too old or from the future")
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), _message(method, path, timestamp, body))
    except (InvalidSignature, ValueError) as error:
        raise SignatureError("the signature does not match") from error
