from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "safeguard.learning"
    label = "learning"
    verbose_name = "Learning"
    default_auto_field = "django.db.models.BigAutoField"
