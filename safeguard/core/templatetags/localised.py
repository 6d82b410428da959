"""One helper for dates and times on pages: ``{{ value|when }}``, ``{{ value|when:"date" }}``.

The value is shown in the installation's time zone (``TIME_ZONE``, the organisation's zone),
in the active language's formats (English by en-GB conventions, see ``safeguard.formats``),
and a time carries its zone, so an audit entry or a deadline is never ambiguous. Exports and
the API use ISO 8601 instead and never go through this filter.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone, translation
from django.utils.html import format_html

register = template.Library()

_FORMATS = {"datetime": "SHORT_DATETIME_FORMAT", "date": "DATE_FORMAT", "short": "SHORT_DATE_FORMAT"}


@register.filter
def when(value: dt.datetime | dt.date | None, style: str = "datetime") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        text = formats.date_format(moment, _FORMATS.get(style, "SHORT_DATETIME_FORMAT"))
        if style == "datetime" and timezone.is_aware(moment):
            text += " " + (moment.tzname() or "")
        return text.strip()
    return formats.date_format(value, "SHORT_DATE_FORMAT" if style == "short" else "DATE_FORMAT")


@register.filter
def ltr(value: object) -> str:
    """A phone number, code or reference kept left to right inside right-to-left text."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def ltr_in_pdf(value: object) -> str:
    """The same for a PDF: WeasyPrint knows no ``unicode-bidi``, so Unicode's own embedding marks
    (LRE … PDF) keep "+34 612 345 678" in order inside Arabic text. (Pango, as WeasyPrint calls
    it, ignores the isolate marks LRI … PDI: the digit groups came out reversed.)"""
    if value is None or value == "":
        return ""
    return format_html("\u202a{}\u202c", value)


@register.filter
def language_label(code: str) -> str:
    """A language code as the reader's language names it, with its own name: "Arabic (العربيّة)"."""
    if not code:
        return ""
    try:
        info = translation.get_language_info(code)
    except KeyError:
        return code
    name, own = translation.gettext(info["name"]), info["name_local"]
    return name if name == own else f"{name} ({own})"
