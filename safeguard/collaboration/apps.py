from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.collaboration"
    label = "collaboration"
    verbose_name = _("Collaboration between organisations")

    def ready(self) -> None:
        from safeguard.collaboration import receivers

        receivers.connect()
