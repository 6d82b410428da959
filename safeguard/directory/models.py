from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HotlineKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency services")
    CHILD_HELPLINE = "child_helpline", _("Child helpline")
    TRAFFICKING_HOTLINE = "trafficking_hotline", _("Anti-trafficking hotline")
    ABUSE_IMAGES = "abuse_images", _("Child sexual abuse material reporting")


class Hotline(models.Model):
    """A number people are shown when a child is in danger, per country (ISO 3166-1 alpha-2)."""

    country = models.CharField(_("country"), max_length=2, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=HotlineKind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("web address"), blank=True)
    hours = models.CharField(_("hours"), max_length=100, blank=True, help_text=_("For example: 24/7"))
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("For example: en, es")
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "order", "name"]

    def __str__(self) -> str:
        return f"{self.country} {self.name} {self.phone}"
