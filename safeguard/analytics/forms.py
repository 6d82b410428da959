"""Forms of the analytics pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeguard.analytics.models import EntityKind

SEARCH_KINDS = [
    (EntityKind.PHONE, EntityKind.PHONE.label),
    (EntityKind.EMAIL, EntityKind.EMAIL.label),
    (EntityKind.HANDLE, EntityKind.HANDLE.label),
    (EntityKind.URL, EntityKind.URL.label),
    (EntityKind.DOMAIN, EntityKind.DOMAIN.label),
    (EntityKind.PLATE, EntityKind.PLATE.label),
]


class EntitySearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SEARCH_KINDS)
    value = forms.CharField(
        label=_("Value"),
        max_length=200,
        help_text=_("A phone in international format (+34…), an e-mail, a handle…"),
    )


class NetworkFilterForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kinds = forms.MultipleChoiceField(
        label=_("Identifiers shown"),
        choices=EntityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


class AdImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of ads (CSV or JSON Lines)"),
        help_text=_(
            "Columns: id and text (required), posted_at, phones, location, site. "
            "Upload only ads your organisation collected; Safeguard never scrapes."
        ),
    )


class LinkDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("Same person")), ("reject", _("Different people"))])
