"""manage.py backup / restore: an encrypted round trip restores every row of every table; a wrong
key, a changed file and a database that holds data are refused without touching anything."""

from __future__ import annotations

import base64
import io
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from safeguard.accounts.models import Organisation, User
from safeguard.core.audit import audit_record
from safeguard.core.backup import (
    BackupError,
    Database,
    EncryptingWriter,
    decrypted_chunks,
    restore_backup,
    table_rows,
    unpack,
    write_backup,
)

pytestmark = pytest.mark.django_db(transaction=True)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the tests' database is not SQLite")


@pytest.fixture
def installation(alice: User, charlie: User, org_a: Organisation, org_b: Organisation) -> None:
    """Two organisations, their admins (with authenticators) and audit events."""
    audit_record(action="backup.test", actor=alice, organisation=org_a, object_type="x", object_id=1)
    audit_record(action="backup.test", actor=charlie, organisation=org_b, object_type="x", object_id=2)


def source() -> Database:
    return Database.of(connection.settings_dict)


def make_backup(tmp_path: Path, key: bytes = KEY) -> Path:
    out = tmp_path / "safeguard.sgbackup"
    with out.open("wb") as handle:
        write_backup(handle, key=key, database=source(), media_root=None, workdir=tmp_path)
    return out


def sqlite_target(tmp_path: Path) -> Database:
    return Database("sqlite", {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")})


def sqlite_content(raw: sqlite3.Connection) -> dict[str, Any]:
    """Every schema object and every table's rows (sorted), of a plain sqlite3 connection."""
    schema = sorted(
        raw.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    )
    tables = [name for kind, name, _ in schema if kind == "table"]
    rows = {name: sorted(map(repr, raw.execute(f'SELECT * FROM "{name}"'))) for name in tables}  # noqa: S608
    return {"schema": schema, "rows": rows}


@on_sqlite
def test_a_sqlite_backup_restores_every_row_of_every_table(installation: None, tmp_path: Path) -> None:
    backup = make_backup(tmp_path)
    target = sqlite_target(tmp_path)
    with backup.open("rb") as handle:
        manifest = restore_backup(handle, key=KEY, database=target, media_root=None, workdir=tmp_path)
    connection.ensure_connection()
    original = sqlite_content(connection.connection)
    restored_connection = sqlite3.connect(
        target.settings["NAME"], detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    )
    restored = sqlite_content(restored_connection)
    journal = restored_connection.execute("PRAGMA journal_mode").fetchone()
    restored_connection.close()
    assert restored == original
    assert journal == ("wal",)
    assert len(original["rows"]) > 40
    assert sorted(user for user in original["rows"]["accounts_user"] if "alpha.example" in user) != []
    assert len(original["rows"]["core_auditevent"]) == 2
    assert any(kind == "trigger" for kind, _, _ in original["schema"])  # the audit log stays append-only
    assert manifest.tables == table_rows(target)
    assert manifest.tables["accounts_user"] == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="needs SAFEGUARD_TEST_DATABASE_URL on PostgreSQL and pg_dump/pg_restore (CI runs it there)",
)
def test_a_postgresql_backup_restores_every_row_of_every_table(installation: None, tmp_path: Path) -> None:
    import psycopg

    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        host=connection.settings_dict["HOST"] or None,
        port=connection.settings_dict["PORT"] or None,
        user=connection.settings_dict["USER"] or None,
        password=connection.settings_dict["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    target = Database("postgresql", {**connection.settings_dict, "NAME": name})
    try:
        backup = make_backup(tmp_path)
        with backup.open("rb") as handle:
            restore_backup(handle, key=KEY, database=target, media_root=None, workdir=tmp_path)

        def content(database_name: str) -> dict[str, list[str]]:
            # Both sides through plain psycopg connections: the same type adaptation.
            with psycopg.connect(
                dbname=database_name,
                host=connection.settings_dict["HOST"] or None,
                port=connection.settings_dict["PORT"] or None,
                user=connection.settings_dict["USER"] or None,
                password=connection.settings_dict["PASSWORD"] or None,
            ) as raw:
                return {table: sorted(map(repr, raw.execute(f'SELECT * FROM "{table}"'))) for table in tables}  # noqa: S608

        tables = connection.introspection.table_names()
        original = content(connection.settings_dict["NAME"])
        copied = content(name)
        assert copied == original
        assert len(original["core_auditevent"]) == 2
        assert len(original["accounts_user"]) == 2
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@on_sqlite
def test_the_backup_holds_no_key(installation: None, tmp_path: Path) -> None:
    backup = make_backup(tmp_path)
    unpacked = tmp_path / "unpacked"
    with backup.open("rb") as handle:
        unpack(handle, key=KEY, into=unpacked)
    assert sorted(path.name for path in unpacked.iterdir()) == ["database.sqlite3", "manifest.json"]
    secrets = [*settings.FIELD_ENCRYPTION_KEYS.values(), settings.BLIND_INDEX_KEY]
    needles = [*secrets, *(base64.b64encode(secret) for secret in secrets)]
    everything = b"".join(path.read_bytes() for path in unpacked.iterdir()) + backup.read_bytes()
    assert [needle for needle in needles if needle in everything] == []
    assert b"alice@alpha.example" not in backup.read_bytes()  # encrypted as a whole


@on_sqlite
def test_a_wrong_key_is_refused_and_nothing_is_restored(installation: None, tmp_path: Path) -> None:
    backup = make_backup(tmp_path)
    target = sqlite_target(tmp_path)
    with (
        backup.open("rb") as handle,
        pytest.raises(BackupError, match=r"^Wrong backup key: SAFEGUARD_BACKUP_KEY"),
    ):
        restore_backup(handle, key=OTHER_KEY, database=target, media_root=None, workdir=tmp_path)
    assert not Path(target.settings["NAME"]).exists()


@on_sqlite
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("flip", r"altered or damaged \(part 2 fails authentication\)"),
        ("cut", r"incomplete"),
        ("drop-last", r"incomplete \(cut short\)"),
        ("append", r"data after its end"),
    ],
)
def test_a_changed_backup_is_refused_and_nothing_is_restored(
    installation: None, tmp_path: Path, change: str, message: str
) -> None:
    backup = make_backup(tmp_path)
    data = bytearray(backup.read_bytes())
    chunks = list(_chunk_offsets(bytes(data)))
    assert len(chunks) >= 2  # precondition: the second chunk below exists (1 MiB chunks)
    if change == "flip":
        data[chunks[1] + 10] ^= 0x01  # a byte of the second chunk
    elif change == "cut":
        del data[len(data) - 10 :]
    elif change == "drop-last":
        del data[chunks[-1] :]
    else:
        data += b"more"
    backup.write_bytes(bytes(data))
    target = sqlite_target(tmp_path)
    with backup.open("rb") as handle, pytest.raises(BackupError, match=message):
        restore_backup(handle, key=KEY, database=target, media_root=None, workdir=tmp_path)
    assert not Path(target.settings["NAME"]).exists()


def _chunk_offsets(data: bytes) -> Iterator[int]:
    offset = 8 + 1 + 16 + 16
    while offset < len(data):
        yield offset
        offset += 4 + int.from_bytes(data[offset : offset + 4], "big")


def test_an_unfinished_backup_never_reads_as_complete() -> None:
    out = io.BytesIO()
    writer = EncryptingWriter(out, KEY, chunk_size=16)
    writer.write(b"x" * 40)
    del writer  # dropped after an error: no final chunk is sealed
    with pytest.raises(BackupError, match=r"incomplete \(cut short\)"):
        b"".join(decrypted_chunks(io.BytesIO(out.getvalue()), KEY))


def test_chunks_decrypt_back_in_order() -> None:
    out = io.BytesIO()
    writer = EncryptingWriter(out, KEY, chunk_size=16)
    message = bytes(range(256)) * 3
    writer.write(message[:100])
    writer.write(message[100:])
    writer.finish()
    assert b"".join(decrypted_chunks(io.BytesIO(out.getvalue()), KEY)) == message


@on_sqlite
def test_restore_into_a_database_that_holds_data_is_refused(installation: None, tmp_path: Path) -> None:
    backup = make_backup(tmp_path)
    audit_record(action="after.backup", object_type="x", object_id=3)
    with (
        backup.open("rb") as handle,
        pytest.raises(BackupError, match=r"^The database is not empty \(rows in"),
    ):
        restore_backup(handle, key=KEY, database=source(), media_root=None, workdir=tmp_path)
    assert sorted(connection.cursor().execute("SELECT action FROM core_auditevent").fetchall()) == [
        ("after.backup",),
        ("backup.test",),
        ("backup.test",),
    ]


def test_the_commands_need_the_backup_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFEGUARD_BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match=r"^Set SAFEGUARD_BACKUP_KEY"):
        call_command("backup", "--out", str(tmp_path / "b.sgbackup"))
    assert list(tmp_path.iterdir()) == []


def test_backup_and_restore_commands(
    installation: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SAFEGUARD_BACKUP_KEY", base64.b64encode(KEY).decode())
    out = tmp_path / "nightly.sgbackup"
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    call_command("backup", "--out", str(out))
    assert out.is_file()
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert "2 users" not in capsys.readouterr().out  # the summary counts tables and rows, names nobody
    assert [path.name for path in tmp_path.iterdir()] == ["nightly.sgbackup"]  # no plaintext left behind
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--out", str(out))
    with pytest.raises(CommandError, match=r"^The database is not empty"):
        call_command("restore", str(out))


def test_a_missing_pg_dump_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    database = Database("postgresql", {"ENGINE": "django.db.backends.postgresql", "NAME": "x"})
    with pytest.raises(BackupError, match=r"^pg_dump is not installed; install PostgreSQL's client tools"):
        write_backup(io.BytesIO(), key=KEY, database=database, media_root=None, workdir=tmp_path)
    assert list(tmp_path.iterdir()) == []
