"""Certificate verification codes.

A code is ``HMAC(SECRET_KEY, serial)`` cut to 16 base-32 characters in groups of four. The
database keeps the serial and the code's SHA-256 digest: whoever reads the database can neither
print a valid code for a certificate nor forge one, and we can still print the code again on a
re-downloaded PDF. Verification hashes what was typed and looks the digest up.
"""

from __future__ import annotations

import base64
import hashlib
import uuid

from django.utils.crypto import salted_hmac


def code_for(serial: uuid.UUID) -> str:
    mac = salted_hmac("safeguard.learning.certificate", str(serial), algorithm="sha256").digest()
    letters = base64.b32encode(mac).decode("ascii")[:16]
    return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def normalise(code: str) -> str:
    letters = "".join(ch for ch in code.upper() if ch.isalnum())[:16]
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def digest_of(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "ignore")).hexdigest()
