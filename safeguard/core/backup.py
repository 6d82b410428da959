"""Encrypted, consistent backups of an installation and their restore (``manage.py backup/restore``).

A backup is a tar archive, encrypted as a whole, holding:

- ``manifest.json``: format, time, database vendor, the row count of every table;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while web and workers
  write) or ``database.pgdump`` (``pg_dump --format=custom``: one consistent snapshot);
- ``media/…``: uploaded files, when ``MEDIA_ROOT`` is set and exists.

Never the keys: ``SAFEGUARD_FIELD_KEYS`` and ``SAFEGUARD_BLIND_INDEX_KEY`` live in the
environment, not in the database, and are kept separately (docs/operations.md). Without them
a restored database's personal data cannot be read.

Encryption (``SAFEGUARD_BACKUP_KEY``, 32 bytes): AES-256-GCM in 1 MiB chunks, STREAM-style. The
header is ``MAGIC | version | salt(16) | key check(16)``; the file key is HKDF-SHA256 of the
backup key and the salt; chunk *i* is sealed with nonce ``i (11 bytes) | last (1 byte)`` and the
header as associated data, and stored as ``length(4) | ciphertext+tag``. A wrong key is told
apart by the key check (an HMAC of the salt); a changed, reordered, cut or extended file fails a
chunk's tag or the "last" flag. Restore reads the whole file before it touches the database.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"SGBACKUP"
VERSION = 1
CHUNK = 1 << 20
HEADER_SIZE = len(MAGIC) + 1 + 16 + 16
FORMAT = 1
# Filled by ``migrate`` itself: an installation that has only these is empty.
EMPTY_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission", "safeguard_cache"})

Progress = Callable[[int], None]


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------
# Encryption


def _file_key(key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"safeguard backup v1").derive(key)


def _key_check(key: bytes, salt: bytes) -> bytes:
    return hmac.new(key, b"safeguard backup key check" + salt, hashlib.sha256).digest()[:16]


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that encrypts what is written into ``out``; ``finish()`` seals it."""

    def __init__(self, out: IO[bytes], key: bytes, *, chunk_size: int = CHUNK) -> None:
        super().__init__()
        if len(key) != 32:
            raise BackupError("The backup key must be 32 bytes.")
        salt = os.urandom(16)
        self.header = MAGIC + bytes([VERSION]) + salt + _key_check(key, salt)
        self.aead = AESGCM(_file_key(key, salt))
        self.out = out
        self.chunk_size = chunk_size
        self.buffer = bytearray()
        self.index = 0
        out.write(self.header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        while len(self.buffer) > self.chunk_size:
            self._seal(bytes(self.buffer[: self.chunk_size]), last=False)
            del self.buffer[: self.chunk_size]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.index, last), plain, self.header)
        self.out.write(len(sealed).to_bytes(4, "big") + sealed)
        self.index += 1

    def finish(self) -> None:
        """Seal the last chunk. Only an explicit finish does: a backup cut short by an error
        (or dropped and collected) never looks complete."""
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()
        self.close()


def decrypted_chunks(source: IO[bytes], key: bytes) -> Iterator[bytes]:
    """The plaintext of an encrypted backup, chunk by chunk, each authenticated before it is given."""
    header = source.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
        raise BackupError("This is not a Safeguard backup (no backup header).")
    if header[len(MAGIC)] != VERSION:
        raise BackupError(f"Unknown backup format version {header[len(MAGIC)]}; use a newer Safeguard.")
    salt, check = header[len(MAGIC) + 1 : len(MAGIC) + 17], header[len(MAGIC) + 17 :]
    if not hmac.compare_digest(check, _key_check(key, salt)):
        raise BackupError("Wrong backup key: SAFEGUARD_BACKUP_KEY is not the key this backup was made with.")
    aead = AESGCM(_file_key(key, salt))
    index = 0
    while True:
        length_bytes = source.read(4)
        if len(length_bytes) < 4:
            raise BackupError("The backup is incomplete (cut short): it cannot be restored.")
        length = int.from_bytes(length_bytes, "big")
        sealed = source.read(length)
        if len(sealed) < length or length > CHUNK + 16:
            raise BackupError("The backup is incomplete or damaged: it cannot be restored.")
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(index, last), sealed, header)
            except InvalidTag:
                continue
            break
        else:
            raise BackupError(
                f"The backup has been altered or damaged (part {index + 1} fails authentication): "
                "it cannot be restored."
            )
        yield plain
        index += 1
        if last:
            if source.read(1):
                raise BackupError("The backup has data after its end (altered): it cannot be restored.")
            return


# ---------------------------------------------------------------------------------------------
# Databases


@dataclass(frozen=True)
class Database:
    """Where a database is, from a Django ``DATABASES`` entry."""

    vendor: str  # "sqlite" or "postgresql"
    settings: dict[str, Any]

    @classmethod
    def of(cls, settings_dict: dict[str, Any]) -> Database:
        engine = settings_dict["ENGINE"]
        if engine == "django.db.backends.sqlite3":
            return cls("sqlite", settings_dict)
        if engine.startswith("django.db.backends.postgresql"):
            return cls("postgresql", settings_dict)
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")

    def pg_environment(self) -> dict[str, str]:
        """libpq's variables for pg_dump/pg_restore: the password never appears on a command line."""
        values = {
            "PGHOST": self.settings.get("HOST") or "",
            "PGPORT": str(self.settings.get("PORT") or ""),
            "PGUSER": self.settings.get("USER") or "",
            "PGPASSWORD": self.settings.get("PASSWORD") or "",
            "PGDATABASE": self.settings["NAME"],
        }
        return {**os.environ, **{name: value for name, value in values.items() if value}}


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install PostgreSQL's client tools (Debian: apt install postgresql-client) "
            "in the same major version as the server or newer."
        )
    return path


@contextmanager
def _sqlite_file(database: Database) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection to the database file (or the test run's shared memory database)."""
    name = str(database.settings["NAME"])
    uri = name.startswith("file:")
    connection = sqlite3.connect(name, uri=uri, timeout=20)
    try:
        yield connection
    finally:
        connection.close()


def _pg_connect(database: Database) -> Any:
    import psycopg

    settings = database.settings
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        autocommit=True,
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count(connection: Any, table: str) -> int:
    # The name comes from the database's own catalogue, quoted.
    return int(connection.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0])  # noqa: S608


def table_rows(database: Database) -> dict[str, int]:
    """Every table's row count (from a connection of its own)."""
    if database.vendor == "sqlite":
        with _sqlite_file(database) as connection:
            names = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {name: _count(connection, name) for name in names}
    with _pg_connect(database) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        return {name: _count(connection, name) for name in names}


def holds_data(database: Database) -> list[str]:
    """The tables with rows, besides those ``migrate`` fills: an empty installation has none."""
    name = str(database.settings["NAME"])
    if database.vendor == "sqlite" and not name.startswith("file:") and not Path(name).exists():
        return []
    return [name for name, count in table_rows(database).items() if count and name not in EMPTY_TABLES]


def _dump_sqlite(database: Database, target: Path) -> None:
    with _sqlite_file(database) as source:
        destination = sqlite3.connect(target)
        try:
            # One step: a read transaction over the whole copy, so the copy is one moment's state
            # even while others write (WAL lets them).
            source.backup(destination, pages=-1)
        finally:
            destination.close()


def _dump_postgresql(database: Database, target: Path) -> None:
    result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
        env=database.pg_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _restore_sqlite(database: Database, dump: Path) -> None:
    source = sqlite3.connect(dump)
    try:
        with _sqlite_file(database) as destination:
            source.backup(destination, pages=-1)
            destination.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()


def _restore_postgresql(database: Database, dump: Path) -> None:
    result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            database.settings["NAME"],
            str(dump),
        ],
        env=database.pg_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing was changed): {result.stderr.strip()}")


DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


# ---------------------------------------------------------------------------------------------
# Backup and restore


@dataclass(frozen=True)
class Manifest:
    created_at: str
    vendor: str
    tables: dict[str, int]
    media_files: int

    def as_json(self) -> bytes:
        body = {
            "format": FORMAT,
            "created_at": self.created_at,
            "vendor": self.vendor,
            "tables": self.tables,
            "media_files": self.media_files,
        }
        return json.dumps(body, indent=1, sort_keys=True).encode()

    @classmethod
    def parse(cls, data: bytes) -> Manifest:
        body = json.loads(data)
        if body.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {body.get('format')!r}; use a newer Safeguard.")
        return cls(body["created_at"], body["vendor"], body["tables"], body["media_files"])


def _media_files(media_root: Path | None) -> list[Path]:
    if media_root is None or not media_root.is_dir():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


class _Counting(io.RawIOBase):
    """Passes writes on, reporting how many bytes went by."""

    def __init__(self, inner: IO[bytes], progress: Progress | None) -> None:
        super().__init__()
        self.inner, self.progress = inner, progress

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.inner.write(data)
        if self.progress:
            self.progress(len(data))
        return len(data)


def write_backup(
    out: IO[bytes],
    *,
    key: bytes,
    database: Database,
    media_root: Path | None,
    workdir: Path,
    progress: Progress | None = None,
) -> Manifest:
    """Write an encrypted backup of ``database`` (and ``media_root``) to ``out``.

    The database copy is made first in a private temporary folder under ``workdir`` (removed
    afterwards), then archived and encrypted; ``progress`` is told the bytes written.
    """
    if database.vendor == "postgresql":
        _pg_tool("pg_dump")
    with tempfile.TemporaryDirectory(prefix=".safeguard-backup-", dir=workdir) as scratch:
        os.chmod(scratch, 0o700)
        dump = Path(scratch) / DUMP_NAMES[database.vendor]
        if database.vendor == "sqlite":
            _dump_sqlite(database, dump)
            tables = table_rows(Database("sqlite", {**database.settings, "NAME": str(dump)}))
        else:
            tables = table_rows(database)  # counted before the dump: a hint, the dump is the truth
            _dump_postgresql(database, dump)
        media = _media_files(media_root)
        manifest = Manifest(datetime.now(UTC).isoformat(), database.vendor, tables, len(media))
        writer = EncryptingWriter(_Counting(out, progress), key)  # type: ignore[arg-type]  # a binary stream
        with tarfile.open(fileobj=writer, mode="w|") as archive:
            _add_bytes(archive, "manifest.json", manifest.as_json())
            archive.add(dump, arcname=dump.name)
            for path in media:
                assert media_root is not None
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        writer.finish()
    return manifest


class _ChunkReader(io.RawIOBase):
    """A readable stream over ``decrypted_chunks``."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self.chunks, self.pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            try:
                self.pending = next(self.chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def _counted(source: IO[bytes], progress: Progress | None) -> IO[bytes]:
    if progress is None:
        return source
    report: Progress = progress

    class Reader(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            data = source.read(len(buffer))
            buffer[: len(data)] = data
            report(len(data))
            return len(data)

    return io.BufferedReader(Reader())


def unpack(source: IO[bytes], *, key: bytes, into: Path, progress: Progress | None = None) -> Manifest:
    """Decrypt and unpack a backup into the folder ``into``, authenticating every byte."""
    reader = io.BufferedReader(_ChunkReader(decrypted_chunks(_counted(source, progress), key)))
    try:
        with tarfile.open(fileobj=reader, mode="r|") as archive:
            archive.extractall(into, filter="data")
        # tarfile stops at the end-of-archive marker: read on to check the sealed end.
        while reader.read(CHUNK):
            pass
    except tarfile.TarError as error:
        raise BackupError(f"The backup's archive is damaged: {error}.") from None
    manifest_path = into / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError("The backup has no manifest: it is not a Safeguard backup.")
    return Manifest.parse(manifest_path.read_bytes())


def restore_backup(
    source: IO[bytes],
    *,
    key: bytes,
    database: Database,
    media_root: Path | None,
    workdir: Path,
    force: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """Restore a backup into ``database`` (and ``media_root``) after checking all of it.

    Refuses a database that already holds data unless ``force``; refuses a backup of the other
    database vendor. Nothing is changed until the whole file has been authenticated.
    """
    if not force and (found := holds_data(database)):
        shown = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
        raise BackupError(
            f"The database is not empty (rows in {shown}): restore into an empty installation, "
            "or pass --force to replace everything in it."
        )
    with tempfile.TemporaryDirectory(prefix=".safeguard-restore-", dir=workdir) as scratch:
        os.chmod(scratch, 0o700)
        folder = Path(scratch)
        manifest = unpack(source, key=key, into=folder, progress=progress)
        if manifest.vendor != database.vendor:
            raise BackupError(
                f"This is a backup of a {manifest.vendor} database; this installation uses {database.vendor}."
            )
        dump = folder / DUMP_NAMES[manifest.vendor]
        if not dump.is_file():
            raise BackupError("The backup holds no database dump.")
        if database.vendor == "sqlite":
            _restore_sqlite(database, dump)
        else:
            _restore_postgresql(database, dump)
        media = folder / "media"
        if media.is_dir():
            if media_root is None:
                raise BackupError("The backup holds uploaded files but MEDIA_ROOT is not set.")
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    return manifest
