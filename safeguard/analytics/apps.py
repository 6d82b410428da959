from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.analytics"
    label = "analytics"
    verbose_name = _("Pattern analytics")

    def ready(self) -> None:
        from safeguard.analytics import receivers

        receivers.connect()
