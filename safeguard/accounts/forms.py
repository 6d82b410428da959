from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.accounts.scopes import scope_choices
from safeguard.core.geography import is_country
from safeguard.core.widgets import DateInput


class SignInForm(forms.Form):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, password = cleaned.get("username"), cleaned.get("password")
        if email and password:
            user = authenticate(self.request, username=email.lower(), password=password)
            # A service account never signs in here (it has no password; this holds even if one
            # were set); it answers like a wrong password, saying nothing of the account.
            if user is None or getattr(user, "is_service_account", False):
                raise forms.ValidationError(_("That e-mail and password do not match an active account."))
            self.user = user
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean_email(self) -> str:
        # Whether the address has an account elsewhere on the platform is not said here: the
        # service adds an existing account to the organisation instead (see ``user_invite``).
        return self.cleaned_data["email"].strip().lower()


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


SERVICE_ROLE_CHOICES = [(role.value, role.label) for role in Role if role != Role.ORG_ADMIN]


class ServiceAccountForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("The system that uses it, e.g. Data warehouse export.")
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=SERVICE_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Give the service account at least one role.")},
    )


class ServiceRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=SERVICE_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What the token is for."))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The areas of the API the token may use. None ticked: every area your roles allow."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a token that does not expire."),
    )
    allowed_ips = forms.CharField(
        label=_("Allowed addresses"),
        required=False,
        max_length=1000,
        help_text=_(
            "IP addresses or networks (such as 203.0.113.0/24) it may be used from, one per line. Empty: anywhere."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def address_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data.get("allowed_ips", "").splitlines() if line.strip()
        ]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"), max_length=60, help_text=_("Lower-case letters, digits and dashes.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    country = forms.CharField(
        label=_("Country code"), max_length=2, required=False, help_text=_("ISO 3166-1, e.g. KE")
    )
    admin_name = forms.CharField(label=_("First admin's name"), max_length=200)
    admin_email = forms.EmailField(label=_("First admin's e-mail"))

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Organisation.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("An organisation with this short name exists."))
        return slug

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if Organisation.objects.filter(name=name).exists():
            raise forms.ValidationError(_("An organisation with this name exists."))
        return name

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].upper()
        if country and not is_country(country):
            raise forms.ValidationError(_("Not an ISO 3166-1 country code."))
        return country

    def clean_admin_email(self) -> str:
        email = self.cleaned_data["admin_email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("A user with this e-mail already exists."))
        return email


class AppointAdminForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the new admin"),
        help_text=_("An existing account gains the admin role; anyone else is invited by e-mail."),
    )
    name = forms.CharField(label=_("Name (for a new account)"), max_length=150, required=False)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class TimeZoneForm(forms.Form):
    """The organisation's time zone, chosen from the IANA names this installation knows."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Dates and times are shown to your staff in this zone, with the zone named."),
        choices=lambda: [(name, name) for name in sorted(zoneinfo.available_timezones())],
    )
