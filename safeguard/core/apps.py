from typing import Any

from django.apps import AppConfig
from django.core.signals import setting_changed


def _reset_cipher(*, setting: str, **kwargs: Any) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        from safeguard.core.fields import cipher

        cipher.cache_clear()


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        setting_changed.connect(_reset_cipher)
