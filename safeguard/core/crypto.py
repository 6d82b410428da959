"""AES-256-GCM field encryption and HMAC blind indexes; plain Python, no Django.

A token is ``sg1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``. The key id says which key
decrypts it, so keys can be rotated: a new key is put first, old tokens still decrypt, and
``rotate_field_keys`` re-encrypts them. The associated data binds a token to the field it was
written for, so a ciphertext copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "sg1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A token is malformed, names an unknown key, or fails authentication."""


class FieldCipher:
    """Encrypts under the first key; decrypts under any key it holds."""

    def __init__(self, keys: Mapping[str, bytes]) -> None:
        if not keys:
            raise ValueError("FieldCipher needs at least one key")
        self.keys = dict(keys)
        self.active_key_id = next(iter(self.keys))

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active_key_id]).encrypt(
            nonce, plaintext.encode("utf-8"), context.encode("utf-8")
        )
        return f"{PREFIX}:{self.active_key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str, *, context: str) -> str:
        key_id = key_id_of(token)
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(f"no key with id {key_id!r} is configured")
        try:
            blob = base64.b64decode(token.split(":", 2)[2], validate=True)
            plaintext = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode("utf-8"))
        except (InvalidTag, ValueError) as error:
            raise DecryptionError("ciphertext failed authentication") from error
        return plaintext.decode("utf-8")

    def needs_rotation(self, token: str) -> bool:
        return key_id_of(token) != self.active_key_id


def key_id_of(token: str) -> str:
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("not an encrypted field token")
    return parts[1]


def is_token(value: str) -> bool:
    return value.startswith(f"{PREFIX}:") and value.count(":") >= 2


def canonical_identifier(value: str) -> str:
    """The form an identifier is compared in: NFKC, case-folded, inner whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", value).casefold().split())


def blind_index(key: bytes, value: str, *, purpose: str) -> str:
    """A keyed, deterministic digest for equality look-ups without decrypting.

    ``purpose`` (for example ``"phone"``) separates the index spaces so that the same string
    used as a phone and as a handle gives different digests.
    """
    message = f"{purpose}\x1f{canonical_identifier(value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]
