from __future__ import annotations

from typing import Any

from django import template

from safeguard.intake import receipts
from safeguard.intake.forms import ReportFieldsForm
from safeguard.intake.labels import level_name
from safeguard.intake.picker import region_maps

register = template.Library()


@register.filter
def urgency_name(level: int) -> str:
    return level_name(int(level))


@register.filter
def receipt_groups(receipt: str) -> list[str]:
    """The receipt's groups, so a screen reader can read them one by one."""
    return receipt.split("-")


@register.simple_tag
def receipt_length() -> int:
    return receipts.LOOKUP_LENGTH + receipts.SECRET_LENGTH


@register.inclusion_tag("intake/_location_picker.html")
def location_picker(form: ReportFieldsForm) -> dict[str, Any]:
    """The map below the region select: the form's country's regions, and its point fields."""
    return {"form": form, "region_maps": region_maps(form.country_code)}
