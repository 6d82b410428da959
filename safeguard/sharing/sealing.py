"""Sealing a message for one installation: X25519 with a per-message ephemeral key, then ChaCha20-Poly1305.

``seal`` makes a fresh X25519 key pair for every message, agrees a secret with the receiver's
public key, derives the message key with HKDF-SHA256 (bound to both public keys) and encrypts
with ChaCha20-Poly1305, the ``context`` (who sends what to whom) as associated data. Only the
holder of the receiver's private key can open it; a changed byte, context or key fails.

No Django imports.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

__all__ = ["SealError", "new_private_key", "open_sealed", "public_key_of", "question_secret", "seal"]

INFO = b"safeguard handover v1"
QUESTION_INFO = b"safeguard person match v1"


class SealError(ValueError):
    """A sealed message that cannot be opened with this key and context."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def new_private_key() -> str:
    raw = X25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return _b64(raw)


def public_key_of(private_key: str) -> str:
    key = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    return _b64(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _key(shared: bytes, ephemeral: bytes, receiver: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + receiver, info=INFO).derive(shared)


def seal(receiver_public_key: str, plaintext: bytes, context: bytes) -> dict[str, str]:
    """``{"ephemeral", "nonce", "ciphertext"}`` (base64) that only the receiver opens."""
    receiver = base64.b64decode(receiver_public_key)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(receiver))
    nonce = os.urandom(12)
    ciphertext = ChaCha20Poly1305(_key(shared, ephemeral_public, receiver)).encrypt(nonce, plaintext, context)
    return {"ephemeral": _b64(ephemeral_public), "nonce": _b64(nonce), "ciphertext": _b64(ciphertext)}


def open_sealed(private_key: str, sealed: dict[str, str], context: bytes) -> bytes:
    """The plaintext, or ``SealError``."""
    try:
        own = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
        receiver = own.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        ephemeral = base64.b64decode(sealed["ephemeral"])
        shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        return ChaCha20Poly1305(_key(shared, ephemeral, receiver)).decrypt(
            base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["ciphertext"]), context
        )
    except (InvalidTag, KeyError, TypeError, ValueError) as error:
        raise SealError("the message cannot be opened") from error


def question_secret(private_key: str, peer_public_key: str, salt: bytes, context: bytes) -> bytes:
    """The secret of one person-matching question, known only to the two installations.

    X25519 between this installation's key and the other's gives the same value on both sides;
    HKDF-SHA256 with the question's fresh random ``salt`` (and who asks whom, ``context``) turns it
    into a secret used for this question only, so encodings of two questions cannot be compared.
    """
    if len(salt) < 16:
        raise SealError("the salt must be at least 16 bytes")
    try:
        own = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
        shared = own.exchange(X25519PublicKey.from_public_bytes(base64.b64decode(peer_public_key)))
    except (TypeError, ValueError) as error:
        raise SealError("the other installation's key is not usable") from error
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=QUESTION_INFO + b"\n" + context).derive(
        shared
    )
