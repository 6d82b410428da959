"""``manage.py rekey_identifiers``: recompute stored identifier keys under the one normal form.

Run once after upgrading to a release that changes ``safeguard.core.identifiers`` (decision
062), then ``manage.py analytics_rebuild`` so analytics' entities follow. Safe to re-run: rows
already right are left alone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguard.cases.services.registration import persons_rekey
from safeguard.intake.services.rekey import report_identifiers_rekey


class Command(BaseCommand):
    help = "Recompute the blind indexes of reported identifiers and children's phones and documents."

    def handle(self, *args: Any, **options: Any) -> None:
        reports = report_identifiers_rekey()
        persons = persons_rekey()
        self.stdout.write(
            f"report identifiers: {reports['changed']} of {reports['seen']} changed; "
            f"children: {persons['changed']} of {persons['seen']} changed. "
            "Now run: manage.py analytics_rebuild"
        )
