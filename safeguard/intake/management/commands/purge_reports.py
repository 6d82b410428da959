"""Retention: delete closed, non-actionable reports after SAFEGUARD_RETENTION_DAYS days.

Run it daily from cron or a systemd timer (see docs/reporting.md). Only aggregate counts
(by country, channel, outcome, urgency) and an audit event remain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguard.intake.services.retention import reports_purge


class Command(BaseCommand):
    help = "Purge closed, non-actionable reports older than the retention period; keep aggregate counts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override SAFEGUARD_RETENTION_DAYS.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )

    def handle(self, *args: Any, days: int | None, dry_run: bool, **options: Any) -> None:
        days = settings.INTAKE_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        run = reports_purge(days=days, dry_run=dry_run)
        verb = "Would purge" if dry_run else "Purged"
        self.stdout.write(
            f"{verb} {run.purged} report(s) closed before {run.cutoff:%Y-%m-%d %H:%M} ({days} days)."
        )
