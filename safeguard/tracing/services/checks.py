"""Input checks the tracing services share."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.core.geography import is_country, is_subdivision_of


def place_code(code: str, field: str) -> str:
    """An ISO 3166 country or region code, upper-cased; ``ValidationError`` on ``field`` otherwise."""
    code = code.strip().upper()
    if code and not (is_country(code) or is_subdivision_of(code, code[:2])):
        raise ValidationError({field: _("Not an ISO 3166 country or region code: %(code)s") % {"code": code}})
    return code


def not_in_future(day: date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def required_text(text: str, field: str, message: str) -> str:
    if not text.strip():
        raise ValidationError({field: message})
    return text.strip()


def clean_names(names: list[str]) -> list[str]:
    return [name.strip() for name in names if name.strip()]
