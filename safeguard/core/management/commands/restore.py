"""``manage.py restore FILE``: restore an encrypted backup into an empty installation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from safeguard.core.backup import BackupError, Database, restore_backup
from safeguard.core.management.commands.backup import backup_key, media_root


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into this installation's database (and "
        "MEDIA_ROOT). Stop web and workers first. Refuses a database that holds data unless --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default", help="database alias (default: default)")
        parser.add_argument(
            "--force", action="store_true", help="replace the data of a database that is not empty"
        )

    def handle(self, *args: Any, file: Path, database: str, force: bool, **options: Any) -> None:
        key = backup_key()
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        target = Database.of(connections[database].settings_dict)
        connections[database].close()
        started = time.monotonic()
        try:
            with (
                file.open("rb") as handle,
                tqdm(
                    desc="restore",
                    total=file.stat().st_size,
                    unit="B",
                    unit_scale=True,
                    disable=None,
                    file=self.stderr._out,
                ) as bar,
            ):
                manifest = restore_backup(
                    handle,
                    key=key,
                    database=target,
                    media_root=media_root(),
                    workdir=file.parent,
                    force=force,
                    progress=bar.update,
                )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {manifest.created_at} in {time.monotonic() - started:.1f} s: "
            f"{len(manifest.tables)} tables, {sum(manifest.tables.values()):,} rows, "
            f"{manifest.media_files} uploaded files. Set the same SAFEGUARD_FIELD_KEYS and "
            "SAFEGUARD_BLIND_INDEX_KEY as the backed-up installation, then run manage.py migrate."
        )
