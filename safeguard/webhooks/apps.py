from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from safeguard.webhooks import receivers

        receivers.connect()
