"""The region list a learner chooses from: the regions the platform maps vulnerability for
(the risk app's regions), or every country when none has been set up yet."""

from __future__ import annotations

from safeguard.core.geography import country_choices, is_country
from safeguard.risk.models import Region


def region_choices() -> list[tuple[str, str]]:
    regions = list(Region.objects.order_by("code").values_list("code", "name"))
    if not regions:
        return country_choices()
    return [(code, f"{name} ({code})") for code, name in regions]


def region_is_known(code: str) -> bool:
    if Region.objects.exists():
        return Region.objects.filter(code=code).exists()
    return is_country(code)
