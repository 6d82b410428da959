from django.apps import AppConfig


class IntakeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.intake"
    label = "intake"
    verbose_name = "Reporting and triage"

    def ready(self) -> None:
        from safeguard.intake import checks  # noqa: F401 - registers the configuration checks
