import base64
import os

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new random 256-bit key, base64-encoded, for SAFEGUARD_FIELD_KEYS or SAFEGUARD_BLIND_INDEX_KEY."

    requires_system_checks: list[str] = []

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(base64.b64encode(os.urandom(32)).decode("ascii"))
