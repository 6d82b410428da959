from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site shell: landing page, dashboard, navigation, audit log, health and the demo."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.portal"
    label = "portal"
    verbose_name = "Portal"
