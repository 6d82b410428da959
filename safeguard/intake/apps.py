from django.apps import AppConfig


class IntakeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safeguard.intake"
    label = "intake"
    verbose_name = "Reporting and triage"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from safeguard.accounts.models import Organisation
        from safeguard.intake import checks  # noqa: F401 - registers the configuration checks
        from safeguard.intake.services.submission import forget_receivers

        post_save.connect(forget_receivers, sender=Organisation, dispatch_uid="intake.forget_receivers")
        post_delete.connect(
            forget_receivers, sender=Organisation, dispatch_uid="intake.forget_receivers_delete"
        )
