from __future__ import annotations

from django import template

from safeguard.intake import receipts
from safeguard.intake.labels import level_name

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
