"""Dates and times through the one helper, per language, with the time zone shown."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

MOMENT = dt.datetime(2026, 3, 12, 14, 5, tzinfo=dt.UTC)  # 12 March 2026


def _render(source: str, language: str) -> str:
    with translation.override(language):
        return Template("{% load localised %}" + source).render(Context({"moment": MOMENT}))


def test_english_is_day_first_with_a_24_hour_clock_and_the_zone() -> None:
    assert _render("{{ moment|when }}", "en") == "12/03/2026 14:05 UTC"
    assert _render('{{ moment|when:"date" }}', "en") == "12 March 2026"


def test_spanish_and_french_use_their_own_words() -> None:
    assert _render('{{ moment|when:"date" }}', "es") == "12 de marzo de 2026"
    assert _render('{{ moment|when:"date" }}', "fr") == "12 mars 2026"
    assert _render("{{ moment|when }}", "es").startswith("12/03/2026 14:05")


@override_settings(TIME_ZONE="Europe/Madrid")
def test_the_configured_zone_is_applied_and_named() -> None:
    assert _render("{{ moment|when }}", "en") == "12/03/2026 15:05 CET"


def test_django_date_filter_is_no_longer_american_in_english() -> None:
    assert _render('{{ moment|date:"SHORT_DATE_FORMAT" }}', "en") == "12/03/2026"
    assert _render("{{ none|when }}", "en") == ""
