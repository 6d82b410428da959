from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safeguard.webhooks.catalogue import EventType


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_("The https:// address that receives the events, on a public server."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(
        label=_("Description"), max_length=200, required=False, help_text=_("What receives the events.")
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event type.")},
    )
