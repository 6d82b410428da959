"""Configuration checks: bad rate limits or retention stop start-up with a clear message."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from safeguard.intake import throttling

RATE_SETTINGS = (
    "INTAKE_PUBLIC_REPORT_RATE",
    "INTAKE_PARTNER_REPORT_RATE",
    "INTAKE_FOLLOW_UP_RATE",
    "INTAKE_FOLLOW_UP_FAILURE_RATE",
)


@register()
def check_rates(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for name in RATE_SETTINGS:
        try:
            throttling._rate(name)
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="intake.E001"))
    return errors
