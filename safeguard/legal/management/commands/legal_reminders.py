"""``manage.py legal_reminders``: overdue reporting duties and coming hearings, e-mailed once each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguard.legal.services.duties import duties_overdue_notify
from safeguard.legal.services.matters import hearings_remind


class Command(BaseCommand):
    help = "E-mail reminders: reporting duties past their deadline, hearings in the next 48 hours."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=int, default=48, help="remind of hearings this many hours ahead")

    def handle(self, *args: Any, hours: int, **options: Any) -> None:
        duties = duties_overdue_notify()
        hearings = hearings_remind(hours=hours)
        self.stdout.write(f"overdue duties notified: {duties}; hearings reminded: {hearings}")
