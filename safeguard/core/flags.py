"""What a flag on a case or a report is raised for, and the two forms that raise and resolve one.

Cases and reports are flagged the same way (a reason and a note; resolved with a note), so the
reasons and forms live here, where both apps can reach them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext_lazy as _


class FlagReason(models.TextChoices):
    SAFETY = "safety", _("Safety concern")
    SUPERVISOR = "supervisor", _("Needs a supervisor")
    DATA_QUALITY = "data_quality", _("Data quality")
    OTHER = "other", _("Other")


# The flag filter of the case list and the report queue: any, flagged for any reason, one reason, none.
FLAG_FILTER_CHOICES = [
    ("", _("Any")),
    ("any", _("Flagged (any reason)")),
    *FlagReason.choices,
    ("none", _("Not flagged")),
]


class FlagRaiseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=FlagReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FlagResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How it was resolved"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def flag_filter(flag: str, open_flags: QuerySet[Any]) -> Q:
    """The list condition for a FLAG_FILTER_CHOICES value, given each row's open flags (a subquery
    on ``OuterRef("pk")``): flagged for any reason, for this reason, or not flagged."""
    if flag == "none":
        return ~Q(Exists(open_flags))
    return Q(Exists(open_flags if flag == "any" else open_flags.filter(reason=flag)))
