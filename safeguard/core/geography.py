"""ISO 3166-1 countries and ISO 3166-2 subdivisions, with names in the active language."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _translations(language: str, domain: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except FileNotFoundError:
        return gettext.NullTranslations()


def _localised(name: str, domain: str) -> str:
    language = (get_language() or "en").split("-")[0]
    return _translations(language, domain).gettext(name)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    return _localised(country.name, "iso3166-1") if country else code


def country_choices() -> list[tuple[str, str]]:
    choices = [(country.alpha_2, _localised(country.name, "iso3166-1")) for country in pycountry.countries]
    return sorted(choices, key=lambda choice: choice[1])


def is_country(code: str) -> bool:
    return bool(code) and pycountry.countries.get(alpha_2=code.upper()) is not None


def subdivision_choices(country_code: str) -> list[tuple[str, str]]:
    subdivisions = pycountry.subdivisions.get(country_code=country_code.upper()) or []
    choices = [(sub.code, _localised(sub.name, "iso3166-2")) for sub in subdivisions]
    return sorted(choices, key=lambda choice: choice[1])


def is_subdivision_of(code: str, country_code: str) -> bool:
    subdivision = pycountry.subdivisions.get(code=code.upper()) if code else None
    return subdivision is not None and subdivision.country_code == country_code.upper()


def subdivision_name(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=code.upper()) if code else None
    return _localised(subdivision.name, "iso3166-2") if subdivision else code
