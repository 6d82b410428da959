from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeguard.core.geography import is_country, is_subdivision_of


class HotlineKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency services")
    CHILD_HELPLINE = "child_helpline", _("Child helpline")
    TRAFFICKING_HOTLINE = "trafficking_hotline", _("Anti-trafficking hotline")
    ABUSE_IMAGES = "abuse_images", _("Child sexual abuse material reporting")


class HotlineFields(models.Model):
    """What the public is shown for one number; shared by the entry and a proposal to change it."""

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

    class Meta:
        abstract = True


HOTLINE_FIELDS = ("country", "kind", "name", "phone", "url", "hours", "languages", "order", "is_active")


class Hotline(HotlineFields):
    """A number people are shown when a child is in danger, per country (ISO 3166-1 alpha-2).

    Every row is public: platform admins write them, and an organisation's own entries change
    only when a platform admin approves its ``HotlineProposal`` (decision 091).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotlines",
        verbose_name=_("organisation"),
        help_text=_("The organisation whose entry this is; empty for entries of the platform."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "order", "name"]

    def __str__(self) -> str:
        return f"{self.country} {self.name} {self.phone}"


class HotlineProposal(HotlineFields):
    """An organisation's new entry, change or removal of its own public number, waiting for review.

    Nothing of it is public until a platform admin approves it; the values then go to the
    ``Hotline``. A rejection keeps the reason for the organisation to read.
    """

    class Change(models.TextChoices):
        CREATE = "create", _("New entry")
        UPDATE = "update", _("Change")
        DELETE = "delete", _("Removal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="hotline_proposals"
    )
    hotline = models.ForeignKey(
        Hotline, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    change = models.CharField(_("change"), max_length=16, choices=Change.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.country} {self.name} ({self.status})"


class ServiceKind(models.TextChoices):
    """What a provider offers; a referral names one of these as the need it meets."""

    COUNSELLING = "counselling", _("Counselling")
    MEDICAL = "medical", _("Medical care")
    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid and advocacy")
    EDUCATION = "education", _("Education")
    VOCATIONAL = "vocational", _("Vocational training")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    INTERPRETATION = "interpretation", _("Interpretation")
    REPATRIATION = "repatriation", _("Repatriation support")


def pack_codes(codes: list[str] | tuple[str, ...]) -> str:
    """Codes stored as ",GB,FR-75," so that one code can be matched with ``contains``."""
    cleaned = sorted({code.strip() for code in codes if code and code.strip()})
    return f",{','.join(cleaned)}," if cleaned else ""


def unpack_codes(packed: str) -> list[str]:
    return [code for code in packed.split(",") if code]


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(is_active=True, provider__is_active=True)


class Service(models.Model):
    """One service a provider organisation offers, where, to whom and in which languages.

    Coverage areas are ISO 3166-1 countries or ISO 3166-2 subdivisions; languages are ISO 639-1
    codes; both are kept packed (",GB,FR-75,") so that a search for one code is an indexed-free
    ``LIKE`` that works the same on SQLite and PostgreSQL.
    """

    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="services", verbose_name=_("provider")
    )
    kind = models.CharField(_("kind of service"), max_length=32, choices=ServiceKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    coverage = models.CharField(
        _("coverage area"), max_length=500, blank=True, help_text=_("ISO 3166 codes, e.g. GB, FR-75")
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True, help_text=_("e.g. en, fr"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    genders = models.CharField(
        _("genders served"), max_length=200, blank=True, help_text=_("Empty means everyone")
    )
    capacity = models.PositiveIntegerField(_("capacity (places)"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ServiceQuerySet] = ServiceQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["provider__name", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    @property
    def coverage_codes(self) -> list[str]:
        return unpack_codes(self.coverage)

    @property
    def language_codes(self) -> list[str]:
        return unpack_codes(self.languages)

    @property
    def gender_values(self) -> list[str]:
        return unpack_codes(self.genders)

    def clean(self) -> None:
        errors: dict[str, str | Promise] = {}
        for code in self.coverage_codes:
            country = code.split("-")[0]
            if not is_country(country) or ("-" in code and not is_subdivision_of(code, country)):
                errors["coverage"] = _("%(code)s is not an ISO 3166 country or subdivision code.") % {
                    "code": code
                }
        for code in self.language_codes:
            if len(code) not in (2, 3) or not code.isalpha():
                errors["languages"] = _("%(code)s is not an ISO 639 language code.") % {"code": code}
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = _("The maximum age must not be below the minimum age.")
        if errors:
            raise ValidationError(errors)
