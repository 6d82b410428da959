from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.legal"
    label = "legal"
    verbose_name = _("Legal frameworks and legal aid")

    def ready(self) -> None:
        from safeguard.legal import receivers

        receivers.connect()
