"""Personal data is stored encrypted: in the database rows, in the raw database file, after rotation."""

from __future__ import annotations

import base64
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from safeguard.accounts.models import User
from safeguard.core.fields import blind_index_for, cipher

PHONE = "+44 7700 900123"
ROOT = Path(__file__).resolve().parents[3]


def raw_phone(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_database_row_holds_ciphertext_and_the_model_plaintext(bob) -> None:
    bob.phone = PHONE
    bob.save(update_fields=["phone"])

    stored = raw_phone(bob)

    assert stored.startswith("sg1:t1:")
    assert "7700" not in stored
    assert User.objects.get(pk=bob.pk).phone == PHONE


@pytest.mark.django_db
def test_encrypted_fields_refuse_lookups_that_cannot_work(bob) -> None:
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(User.objects.filter(phone__icontains="7700"))
    assert list(User.objects.filter(phone__isnull=True)) == []


def test_blind_index_is_empty_for_empty_values() -> None:
    assert blind_index_for("", purpose="phone") == ""


def test_the_raw_sqlite_file_contains_no_plaintext(tmp_path) -> None:
    """Write a user with a phone into a fresh SQLite file, then grep the bytes of the file."""
    database = tmp_path / "at-rest.sqlite3"
    env = {
        **os.environ,
        "SAFEGUARD_DATABASE_URL": f"sqlite:///{database}",
        "SAFEGUARD_SECRET_KEY": "x" * 40,
        "SAFEGUARD_FIELD_KEYS": "r1:" + base64.b64encode(b"r" * 32).decode(),
        "SAFEGUARD_BLIND_INDEX_KEY": base64.b64encode(b"i" * 32).decode(),
    }
    env.pop("SAFEGUARD_TEST_DATABASE_URL", None)
    script = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from safeguard.accounts.models import User;"
        f"User.objects.create_user('plain@test.example', None, name='Zebedee Quartermaine', phone={PHONE!r})"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "safeguard.settings"},
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = database.read_bytes()

    assert b"plain@test.example" in raw  # the file is the one written: unencrypted columns are there
    assert b"sg1:r1:" in raw
    assert PHONE.encode() not in raw
    assert b"7700 900123" not in raw


@pytest.mark.django_db
def test_rotating_keys_re_encrypts_every_value_under_the_new_key(bob, settings) -> None:
    bob.phone = PHONE
    bob.save(update_fields=["phone"])
    assert raw_phone(bob).startswith("sg1:t1:")

    settings.FIELD_ENCRYPTION_KEYS = {"t2": b"2" * 32, **settings.FIELD_ENCRYPTION_KEYS}
    cipher.cache_clear()
    try:
        call_command("rotate_field_keys", stdout=io.StringIO(), stderr=io.StringIO())
        assert raw_phone(bob).startswith("sg1:t2:")

        # The old key can now be dropped from the configuration.
        settings.FIELD_ENCRYPTION_KEYS = {"t2": b"2" * 32}
        cipher.cache_clear()
        assert User.objects.get(pk=bob.pk).phone == PHONE
    finally:
        cipher.cache_clear()
