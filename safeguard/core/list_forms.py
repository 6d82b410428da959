"""What the case list's and the report queue's filter forms check alike: a place code, a sort
key among the list's columns, and a date range that does not end before it starts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext as _

from safeguard.core.geography import is_country, is_subdivision_of


class ListFilterForm(forms.Form):
    """A list's filters. A subclass names its ``place`` and ``sort`` fields' rules through
    ``SORTS`` (the sortable columns) and ``DATE_RANGE`` (its from and until fields)."""

    SORTS: ClassVar[Mapping[str, Any]] = {}
    DATE_RANGE: ClassVar[tuple[str, str]] = ("", "")

    def clean_place(self) -> str:
        place = self.cleaned_data["place"].strip().upper()
        if place and not (is_country(place) or is_subdivision_of(place, place[:2])):
            raise forms.ValidationError(_("Enter a country code such as GB or a region code such as GB-ENG."))
        return place

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"].strip()
        if sort and sort.removeprefix("-") not in self.SORTS:
            raise forms.ValidationError(
                _("The list cannot be sorted by “%(key)s”; choose a column heading."), params={"key": sort}
            )
        return sort

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = self.DATE_RANGE
        start, end = data.get(first), data.get(last)
        if start and end and start > end:
            self.add_error(last, _("The end of the date range is before its start."))
        return data
