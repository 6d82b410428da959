"""Jurisdiction codes: an ISO 3166-1 country or an ISO 3166-2 subdivision of one."""

from __future__ import annotations

from safeguard.core.geography import is_country, is_subdivision_of


def is_jurisdiction_code(code: str) -> bool:
    code = (code or "").strip().upper()
    country = code.split("-")[0]
    return is_country(country) and ("-" not in code or is_subdivision_of(code, country))


def jurisdiction_codes_for(country: str, subdivision: str = "") -> list[str]:
    """The codes whose law applies to a place, most specific first (a subdivision, then its country)."""
    codes = []
    if subdivision:
        codes.append(subdivision.upper())
    if country:
        codes.append(country.upper())
    return codes
