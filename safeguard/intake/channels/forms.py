"""Forms of the channel pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeguard.core.geography import country_choices
from safeguard.intake.channels.conversation import LANGUAGES
from safeguard.intake.channels.models import MessagingChannel

CREDENTIAL_LABELS = {
    "account_sid": _("Twilio account SID"),
    "auth_token": _("Twilio auth token"),
    "bot_token": _("Telegram bot token"),
    "secret_token": _("Telegram webhook secret token"),
    "username": _("Africa's Talking user name"),
    "api_key": _("API key (Africa's Talking or Vonage)"),
    "api_secret": _("Vonage API secret"),
    "signature_secret": _("Vonage signature secret"),
    "signature_method": _("Vonage signature method: md5hash, md5, sha1, sha256 or sha512 (empty: md5hash)"),
    "webhook_secret": _("Webhook secret (the secret query parameter)"),
    "hmac_secret": _("HMAC secret of the generic webhook"),
}


class MessagingChannelForm(forms.ModelForm[MessagingChannel]):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=list(LANGUAGES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The reporter chooses among these; with one, it is used at once."),
    )
    # An address typed without a scheme is taken as https (Django 6's default, said now).
    outbound_url = MessagingChannel._meta.get_field("outbound_url").formfield(assume_scheme="https")

    class Meta:
        model = MessagingChannel
        fields = [
            "name",
            "provider",
            "address",
            "languages",
            "country",
            "route_by_country",
            "outbound_url",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"),
            choices=[("", _("Ask the reporter")), *country_choices()],
            required=False,
            help_text=self.fields["country"].help_text,
        )
        if self.instance.pk:
            self.fields["provider"].disabled = True
        stored = self.instance.credentials if self.instance.pk else {}
        for name, label in CREDENTIAL_LABELS.items():
            self.fields[f"credential_{name}"] = forms.CharField(
                label=label,
                required=False,
                max_length=300,
                strip=True,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                help_text=_("Stored encrypted; leave empty to keep the stored value.")
                if stored.get(name)
                else "",
            )

    def credentials(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"credential_{name}", "") for name in CREDENTIAL_LABELS}


class TestMessageForm(forms.Form):
    to = forms.CharField(
        label=_("Send a test message to"),
        max_length=64,
        help_text=_("A phone number in international form (+…) or a Telegram chat id."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply through the channel"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
