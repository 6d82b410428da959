"""Finding rows whose encrypted values are not yet under the active key."""

from __future__ import annotations

from typing import Any

from django.db import connection, models

from safeguard.core.crypto import is_token, key_id_of
from safeguard.core.fields import EncryptedMixin, cipher


def rows_needing_rotation(model: type[models.Model], fields: list[EncryptedMixin]) -> list[Any]:
    """Primary keys of rows with at least one value encrypted under a non-active key.

    Reads the raw column values, so no value is decrypted just to learn its key id.
    """
    active = cipher().active_key_id
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)  # type: ignore[attr-defined]
    pk_name = model._meta.pk.column
    assert pk_name is not None  # a primary key is always a concrete column
    pk_column = quote(pk_name)
    sql = f"SELECT {pk_column}, {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608 - names from model metadata
    pending = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(5000):
            for pk, *values in rows:
                if any(value and is_token(value) and key_id_of(value) != active for value in values):
                    pending.append(pk)
    return pending
