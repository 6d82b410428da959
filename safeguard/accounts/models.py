from __future__ import annotations

import hashlib
import ipaddress
import secrets
import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.core.fields import EncryptedTextField


def default_time_zone() -> str:
    """The installation's ``TIME_ZONE``: a new organisation starts in it."""
    return str(settings.TIME_ZONE or "UTC")


def validate_time_zone(value: str) -> None:
    """An IANA zone name such as ``Europe/Madrid``; anything else is refused with a clear message."""
    if value not in zoneinfo.available_timezones() and value != "UTC":
        raise ValidationError(
            _("%(value)s is not a time zone name. Use an IANA name such as Europe/Madrid or Africa/Lagos."),
            code="invalid_time_zone",
            params={"value": value},
        )


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Madrid. Dates and times are shown to your staff in this zone."),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password
        user.full_clean(exclude=["password"])
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_platform_admin", True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp devices declare their user FK abstractly
    """A person who signs in. Every user with a membership or platform role must use MFA."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    phone = EncryptedTextField(_("phone"), blank=True)
    is_platform_admin = models.BooleanField(_("platform admin"), default=False)
    # A machine integration of one organisation (decision 142): holds roles and API tokens,
    # never signs in to the web pages, so MFA does not apply to it.
    is_service_account = models.BooleanField(_("service account"), default=False)
    # The language last chosen in the switcher while signed in; signing in on another browser or
    # device brings it back. Empty: the browser's own languages decide.
    language = models.CharField(_("language"), max_length=8, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.email


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(user__is_active=True, organisation__is_active=True, deactivated_at__isnull=True)


class Membership(models.Model):
    """One role a user holds in one organisation; a user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set on all of a person's roles in one organisation when its admin deactivates them there;
    # their roles elsewhere are untouched, and reactivation gives these back.
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    objects: ClassVar[MembershipQuerySet] = MembershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"


def _hash_secret(secret: str) -> str:
    # Recovery codes and API keys carry ≥ 80 random bits, so a fast hash is not guessable.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class RecoveryCodeDevice(Device):
    """One-time recovery codes, stored only as hashes, usable when the authenticator is lost."""

    def verify_token(self, token: str) -> bool:
        code = "".join(token.split()).replace("-", "").lower()
        used = self.codes.filter(code_hash=_hash_secret(code), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        return used == 1

    def issue_codes(self, count: int) -> list[str]:
        """Replace every code with ``count`` fresh ones and return them (shown once)."""
        self.codes.all().delete()
        codes = [secrets.token_hex(10) for _ in range(count)]
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=self, code_hash=_hash_secret(code)) for code in codes
        )
        return [f"{code[:5]}-{code[5:10]}-{code[10:15]}-{code[15:]}" for code in codes]

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code {self.pk} ({'used' if self.used_at else 'unused'})"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        """Not revoked, not expired, of an active user."""
        unexpired = models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        return self.filter(unexpired, revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token, acting for its user within one organisation. Only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Limits (decision 141): scopes from ``accounts.scopes`` (empty: unrestricted), an expiry,
    # and the client addresses or networks it may be used from (empty: anywhere).
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    allowed_ips = models.JSONField(_("allowed addresses"), default=list, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return _hash_secret(key)

    @staticmethod
    def new_key() -> str:
        return "sgt_" + secrets.token_urlsafe(32)

    def allows_address(self, address: str) -> bool:
        """Whether the token may be used from ``address`` (the client as trusted proxies give it)."""
        if not self.allowed_ips:
            return True
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(client in ipaddress.ip_network(network, strict=False) for network in self.allowed_ips)


def default_organisation_for(user: User) -> Organisation | None:
    membership = Membership.objects.active().filter(user=user).select_related("organisation").first()
    return membership.organisation if membership else None
