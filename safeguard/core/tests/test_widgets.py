"""The date picker's value is ISO 8601 in every language (the browser drops anything else)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from safeguard.core.widgets import DateInput


class _Form(forms.Form):
    on = forms.DateField(widget=DateInput, initial=datetime.date(2026, 12, 2))


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_a_date_input_shows_its_initial_value_in_iso_form_and_reads_it_back(language: str) -> None:
    with translation.override(language):
        html = str(_Form()["on"])
        bound = _Form({"on": "2026-12-02"})
        assert bound.is_valid(), bound.errors
    assert 'type="date"' in html and 'value="2026-12-02"' in html
    assert bound.cleaned_data["on"] == datetime.date(2026, 12, 2)
