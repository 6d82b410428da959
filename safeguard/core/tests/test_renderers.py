"""The Python-drawn widgets are byte for byte what Django's own templates draw."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from safeguard.core.renderers import FormRenderer
from safeguard.core.widgets import DateInput

CHOICES = [("", "—"), ("open", gettext_lazy("Open")), ("x<&>\"'", 'Tricky <b>label</b> & "quotes"'), (3, 3)]
GROUPED = [
    ("North", [("n1", "Northwind"), ("n2", "Narrows")]),
    ("South", [("s1", "Harbour Light")]),
    ("", "None"),
]

CASES: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"placeholder": "Name <child>", "required": True, "disabled": False}), 'A&B "C"'),
    (forms.TextInput(), mark_safe("<b>safe</b>")),  # the test's own literal
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), 12.5),
    (forms.EmailInput(), "amina@example.org"),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(), "secret"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.HiddenInput(), 7),
    (forms.DateInput(), datetime.date(2026, 3, 12)),
    (DateInput(), datetime.date(2026, 3, 12)),
    (forms.TimeInput(), datetime.time(9, 30)),
    (forms.DateTimeInput(), datetime.datetime(2026, 3, 12, 9, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Select(choices=CHOICES), "open"),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES, attrs={"hx-get": "/cases/", "autofocus": True}), "x<&>\"'"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=GROUPED), "s1"),
    (forms.Select(choices=[]), None),
    (forms.SelectMultiple(choices=CHOICES), ["open", 3]),
    (forms.NullBooleanSelect(), True),
    (forms.Textarea(), "two\nlines & <tags>"),
    (forms.RadioSelect(choices=CHOICES), "open"),
    (forms.CheckboxSelectMultiple(choices=CHOICES), ["open"]),
]


@pytest.mark.parametrize(("widget", "value"), CASES, ids=lambda item: type(item).__name__)
def test_each_widget_is_drawn_as_django_draws_it(widget: forms.Widget, value: Any) -> None:
    expected = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert widget.render("field", value, attrs={"id": "id_field"}, renderer=FormRenderer()) == expected


def test_a_whole_form_in_another_language_is_drawn_the_same() -> None:
    class Filters(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, required=False)
        name = forms.CharField(required=False, max_length=80)
        since = forms.DateField(required=False, widget=DateInput)
        flagged = forms.BooleanField(required=False)

    form = Filters({"status": "open", "name": "Kar<imo", "since": "2026-01-01"})
    with override("es"):
        expected = form.render(renderer=DjangoTemplates())
        assert form.render(renderer=FormRenderer()) == expected
    assert 'value="Kar&lt;imo"' in expected


def test_the_project_renders_its_forms_with_it() -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
