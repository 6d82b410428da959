"""Model fields that keep personal data encrypted at rest.

Values are encrypted with ``safeguard.core.crypto.FieldCipher`` under the configured keys
(``SAFEGUARD_FIELD_KEYS``). Encrypted columns cannot be filtered on; store a blind index beside
them (``blind_index_for``) when equality look-ups are needed.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.conf import settings
from django.db import models

from safeguard.core.crypto import FieldCipher, blind_index


@cache
def cipher() -> FieldCipher:
    return FieldCipher(settings.FIELD_ENCRYPTION_KEYS)


def blind_index_for(value: str, *, purpose: str) -> str:
    """The blind index of an identifier, or "" for an empty value."""
    if not value:
        return ""
    return blind_index(settings.BLIND_INDEX_KEY, value, purpose=purpose)


class EncryptedMixin:
    """Encrypts on the way to the database and decrypts on the way back."""

    model: type[models.Model]
    name: str

    def encryption_context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def serialise(self, value: Any) -> str:
        return str(value)

    def deserialise(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return cipher().encrypt(self.serialise(value), context=self.encryption_context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.deserialise(cipher().decrypt(value, context=self.encryption_context()))

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertexts are randomised, so only null checks can be answered by the database.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)  # type: ignore[misc]  # super() is the Field this mixes into


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Free text or an identifier, encrypted (AES-256-GCM) with its key id."""

    def to_python(self, value: Any) -> Any:
        return value


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """A JSON value (lists of aliases, structured contact details), encrypted as a whole."""

    # Stored as text, but the attribute holds the decoded value (a list or a dict): tell
    # django-stubs so, or every JSON attribute is typed ``str``.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def serialise(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def deserialise(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return self.serialise(self.value_from_object(obj))

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return cipher().encrypt(self.serialise(value), context=self.encryption_context())


def encrypted_fields(model: type[models.Model]) -> list[EncryptedMixin]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)]
