from typing import Any

from django.core.management.base import BaseCommand

from safeguard.webhooks.services import deliveries_send_due


class Command(BaseCommand):
    help = (
        "Send every webhook delivery that is due now (after an outage, or without a deferring task backend)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{deliveries_send_due()} deliveries tried")
