"""``manage.py backup --out FILE``: an encrypted, consistent backup (see safeguard.core.backup)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from safeguard.config import ConfigError, Environment
from safeguard.core.backup import BackupError, Database, write_backup


def backup_key() -> bytes:
    try:
        return Environment().key("BACKUP_KEY")
    except ConfigError as error:
        raise CommandError(
            f"{error} The backup key is a secret of its own (not a field key): make one with "
            "manage.py generate_field_key and keep it where the backups are not."
        ) from None


def media_root() -> Path | None:
    return Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database and uploaded files, never the field keys) to --out, "
        "encrypted with SAFEGUARD_BACKUP_KEY. Safe while web and workers run."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--out", required=True, type=Path, help="the backup file to write (e.g. ….sgbackup)"
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, out: Path, database: str, **options: Any) -> None:
        key = backup_key()
        if out.exists():
            raise CommandError(f"{out} exists already; backups are never overwritten.")
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        target = Database.of(connections[database].settings_dict)
        partial = out.with_name(out.name + ".partial")
        started = time.monotonic()
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with (
                os.fdopen(descriptor, "wb") as handle,
                tqdm(desc="backup", unit="B", unit_scale=True, disable=None, file=self.stderr._out) as bar,
            ):
                manifest = write_backup(
                    handle,
                    key=key,
                    database=target,
                    media_root=media_root(),
                    workdir=out.parent,
                    progress=bar.update,
                )
                handle.flush()
                os.fsync(handle.fileno())
            partial.rename(out)
        except BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            partial.unlink(missing_ok=True)
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"Wrote {out} ({out.stat().st_size:,} bytes) in {time.monotonic() - started:.1f} s: "
            f"{target.vendor} database, {len(manifest.tables)} tables, {rows:,} rows, "
            f"{manifest.media_files} uploaded files. The field keys are not in it: keep them safe separately."
        )
