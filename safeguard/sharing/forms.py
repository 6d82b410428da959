from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safeguard.sharing import selectors

_SOURCE_CHOICES = [
    (name, f"{name} — {description}") for name, description in selectors.SOURCE_COLUMNS.items()
]


class MicrodataForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    quasi_identifiers = forms.MultipleChoiceField(
        label=_("Quasi-identifiers"),
        choices=_SOURCE_CHOICES,
        initial=selectors.DEFAULT_QUASI_IDENTIFIERS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Columns someone could know about a child from elsewhere; they are generalised."),
    )
    k = forms.IntegerField(
        label=_("k"), initial=11, min_value=2, max_value=1000,
        help_text=_("Every combination of quasi-identifiers is shared by at least k records (CTDC uses 11)."),
    )  # fmt: skip
    sensitive = forms.MultipleChoiceField(
        label=_("Sensitive columns (optional)"), choices=_SOURCE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    l_diversity = forms.IntegerField(
        label=_("l (optional)"), min_value=2, max_value=50, required=False,
        help_text=_("Each group then has at least l different values of every sensitive column."),
    )  # fmt: skip
    max_suppression = forms.FloatField(
        label=_("Largest share of records left out"), initial=0.05, min_value=0.0, max_value=0.5,
        help_text=_("Between 0 and 0.5; records left out are the ones that would need too much generalisation."),
    )  # fmt: skip
    task_force = forms.TypedChoiceField(
        label=_("Source"), required=False, coerce=int, empty_value=None,
        help_text=_(
            "Your organisation's cases, or the cases shared into a task force you take part in (only those "
            "you see de-identified or in full, and only gender, citizenship, country, year, kinds of "
            "exploitation and status)."
        ),
    )  # fmt: skip

    def __init__(self, *args: Any, task_forces: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["task_force"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Your organisation's cases")), *task_forces]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if set(data.get("sensitive") or []) & set(data.get("quasi_identifiers") or []):
            self.add_error("sensitive", _("A column cannot be both a quasi-identifier and sensitive."))
        if data.get("l_diversity") and not data.get("sensitive"):
            self.add_error("l_diversity", _("l-diversity needs at least one sensitive column."))
        return data


class CountsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    by = forms.MultipleChoiceField(
        label=_("Count by"),
        choices=list(selectors.COUNT_COLUMNS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    epsilon = forms.FloatField(
        label=_("Privacy loss ε"), min_value=0.01, max_value=100,
        help_text=_("Smaller ε means more noise and more privacy; it is spent from your organisation's budget."),
    )  # fmt: skip


class DecisionForm(forms.Form):
    publish = forms.BooleanField(label=_("Also publish it on the public statistics page"), required=False)
    reason = forms.CharField(
        label=_("Reason (required to reject)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BudgetForm(forms.Form):
    total_epsilon = forms.FloatField(label=_("Total privacy budget (ε)"), min_value=0.0, max_value=1000)
    threshold = forms.IntegerField(label=_("Suppress published counts below"), min_value=0, max_value=1000)
