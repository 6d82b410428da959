"""Form widgets shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (what ``<input type="date">``
    reads), whatever the language's display format: a day-first initial value such as
    ``02/12/2026`` would be dropped by the browser and the field would look empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or ISO_DATE)
