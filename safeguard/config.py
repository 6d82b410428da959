"""Reading configuration from the environment.

Every setting comes from a ``SAFEGUARD_*`` variable; secrets may instead be given as
``SAFEGUARD_<NAME>_FILE`` pointing at a file that holds the value. A missing or bad value
raises ``ConfigError`` with one line that says what to set, and start-up stops there.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from pathlib import Path


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message says how to fix it."""


_MISSING = object()


class Environment:
    """Typed access to ``SAFEGUARD_*`` variables, with ``_FILE`` variants for secrets."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self.source = os.environ if source is None else source

    def raw(self, name: str, default: str | object = _MISSING, *, secret: bool = False) -> str:
        key = f"SAFEGUARD_{name}"
        file_key = f"{key}_FILE"
        if secret and file_key in self.source:
            if key in self.source:
                raise ConfigError(f"Set either {key} or {file_key}, not both.")
            path = Path(self.source[file_key])
            try:
                return path.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise ConfigError(
                    f"{file_key} points at {path}, which cannot be read: {error.strerror}."
                ) from None
        if key in self.source and self.source[key] != "":
            return self.source[key]
        if default is _MISSING:
            hint = f" (or {file_key})" if secret else ""
            raise ConfigError(f"Set {key}{hint}: it is required and has no default.")
        return str(default)

    def string(self, name: str, default: str | object = _MISSING, *, secret: bool = False) -> str:
        return self.raw(name, default, secret=secret)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name, "1" if default else "0").strip().lower()
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"SAFEGUARD_{name} must be true or false, not {value!r}.")

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        value = self.raw(name, str(default))
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"SAFEGUARD_{name} must be a whole number, not {value!r}.") from None
        if number < minimum:
            raise ConfigError(f"SAFEGUARD_{name} must be at least {minimum}, not {number}.")
        return number

    def csv(self, name: str, default: str) -> list[str]:
        return [part.strip() for part in self.raw(name, default).split(",") if part.strip()]

    def field_keys(self) -> dict[str, bytes]:
        """Parse ``SAFEGUARD_FIELD_KEYS``: ``id:base64key,id:base64key``; the first encrypts."""
        value = self.raw("FIELD_KEYS", secret=True)
        keys: dict[str, bytes] = {}
        for entry in value.split(","):
            key_id, separator, encoded = entry.strip().partition(":")
            if not separator or not key_id.isalnum():
                raise ConfigError(
                    "SAFEGUARD_FIELD_KEYS must be 'id:base64key[,id:base64key…]' with alphanumeric ids; "
                    "generate one with: python manage.py generate_field_key"
                )
            keys[key_id] = _decode_key(f"SAFEGUARD_FIELD_KEYS entry {key_id!r}", encoded)
        return keys

    def key(self, name: str) -> bytes:
        return _decode_key(f"SAFEGUARD_{name}", self.raw(name, secret=True))


def _decode_key(label: str, encoded: str) -> bytes:
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(
            f"{label} must be base64; generate one with: python manage.py generate_field_key"
        ) from None
    if len(key) != 32:
        raise ConfigError(f"{label} must decode to 32 bytes (AES-256), not {len(key)}.")
    return key
