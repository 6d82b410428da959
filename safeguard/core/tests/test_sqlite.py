"""SQLite runs in WAL mode with a 20 s busy timeout on every connection Django opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def test_every_sqlite_connection_uses_the_write_ahead_log_and_waits_for_locks(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    # The tests' own database may be PostgreSQL or in memory (no WAL there): open a file database
    # with the options the settings give a production SQLite database.
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "safeguard.sqlite3"),
            "OPTIONS": dict(settings.SQLITE_OPTIONS),
            "TEST": {},
        },
        alias="wal-check",
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone() == (20000,)
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone() == (1,)  # NORMAL
    finally:
        wrapper.close()
    # WAL mode is persistent: the file header says so (read and write format versions 2).
    assert (tmp_path / "safeguard.sqlite3").read_bytes()[18:20] == b"\x02\x02"
