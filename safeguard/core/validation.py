"""Checks shared by the web forms and the API, with messages that say what to fix."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safeguard.core.geography import is_country, is_subdivision_of

# C0/C1 control characters except tab, line feed and carriage return (PostgreSQL refuses NUL).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

NARRATIVE_MAX = 10_000
TEXT_MAX = 2_000
SHORT_MAX = 300
IDENTIFIERS_MAX = 50
PEOPLE_MAX = 20
# The largest id a form may carry: ids are 64-bit (BigAutoField); a larger number would overflow
# the database driver instead of being "not found".
ID_MAX = 2**63 - 1


def no_control_characters(value: str) -> None:
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(
            _(
                "Remove the invisible control characters from this text (they may come from copying and pasting)."
            ),
            code="control_characters",
        )


def validate_country(code: str) -> str:
    code = (code or "").strip().upper()
    if code and not is_country(code):
        raise ValidationError(
            _("%(code)s is not a country code we know. Choose a country from the list (ISO 3166-1, like ES).")
            % {"code": code[:10]},
            code="unknown_country",
        )
    return code


def validate_subdivision(code: str, country: str) -> str:
    code = (code or "").strip().upper()
    if not code:
        return ""
    if not country:
        raise ValidationError(_("Choose the country first, then the region."), code="no_country")
    if not is_subdivision_of(code, country):
        raise ValidationError(
            _("%(code)s is not a region of the chosen country. Choose a region from the list.")
            % {"code": code[:10]},
            code="unknown_subdivision",
        )
    return code
