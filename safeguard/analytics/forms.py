"""Forms of the analytics pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeguard.analytics.models import EntityKind
from safeguard.core.widgets import DateInput

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
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
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


SLIDER_WEEKS = 26  # the time slider covers this week and the 25 before it


class HotspotFilterForm(forms.Form):
    """The hotspot page's week and filters, read from the query string (every field optional).

    The page shows the week as a slider over the last ``SLIDER_WEEKS`` weeks (``week_slider``:
    0 the oldest, ``SLIDER_WEEKS - 1`` this week); ``week`` (ISO, e.g. 2026-W05) comes from the
    previous/next links and bookmarks, reaches any week, and wins when both are given.
    """

    week = forms.RegexField(
        label=_("Week"), regex=r"^\d{4}-W\d{2}$", required=False, widget=forms.TextInput(attrs={"size": 9})
    )
    week_slider = forms.IntegerField(
        label=_("Week"),
        min_value=0,
        max_value=SLIDER_WEEKS - 1,
        required=False,
    )
    exploitation_type = forms.ChoiceField(label=_("Kind of exploitation"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    min_urgency = forms.TypedChoiceField(
        label=_("Urgency at least"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from safeguard.intake.choices import Channel, ExploitationType, Urgency

        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        for name, choices in (
            ("exploitation_type", list(ExploitationType.choices)),
            ("channel", list(Channel.choices)),
            ("min_urgency", [(str(value), label) for value, label in Urgency.choices]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everything + choices

    def clean_week(self) -> dt.date | None:
        value = self.cleaned_data.get("week") or ""
        if not value:
            return None
        try:
            return dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        except ValueError as error:
            raise forms.ValidationError(_("Give a week as 2026-W05.")) from error
