from django.apps import AppConfig


class RiskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.risk"
    label = "risk"

    def ready(self) -> None:
        from safeguard.risk import receivers

        receivers.connect()
