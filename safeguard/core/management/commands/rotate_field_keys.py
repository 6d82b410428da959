from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from safeguard.core.fields import cipher, encrypted_fields
from safeguard.core.rotation import rows_needing_rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the active key (the first in SAFEGUARD_FIELD_KEYS). "
        "Afterwards the old keys can be removed from the configuration."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        active = cipher().active_key_id
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            pending = rows_needing_rotation(model, fields)
            if not pending:
                continue
            label = model._meta.label
            with tqdm(total=len(pending), desc=label, unit="row", disable=None, file=self.stderr._out) as bar:
                for start in range(0, len(pending), batch_size):
                    ids = pending[start : start + batch_size]
                    with transaction.atomic():
                        rows = list(model._default_manager.select_for_update().filter(pk__in=ids))
                        # Reading decrypts under the old key; saving encrypts under the active one.
                        model._default_manager.bulk_update(rows, [field.name for field in fields])
                    bar.update(len(ids))
            total += len(pending)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} rows under key {active!r}."))
