"""Words for the codes intake stores: urgency reasons, indicators, exploitation types."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safeguard.intake.choices import ExploitationType, Indicator, Urgency

REASON_LABELS: dict[str, Any] = {
    "child_in_danger": _("The reporter says a child is in danger right now"),
    "child_maybe_in_danger": _("The reporter is not sure whether a child is in danger now"),
    "children_involved": _("Children are involved"),
    "young_child": _("A child younger than 13 is involved"),
    "severe_signs": _("Signs of violence, abuse, confinement or debt bondage"),
    "many_signs": _("Three or more signs of trafficking"),
    "some_signs": _("One or two signs of trafficking"),
    "child_sexual_exploitation": _("Children involved and sexual exploitation suspected"),
    "recent": _("Happening now or today: one level higher"),
    "no_specific_signs": _("No specific signs of urgency"),
}


def reason_text(reason: dict[str, Any]) -> str:
    code = reason.get("code", "")
    params = reason.get("params") or {}
    label = str(REASON_LABELS.get(code, code))
    if code in {"severe_signs", "many_signs", "some_signs"} and "count" in params:
        count = int(params["count"])
        label += " (" + ngettext("%(count)d sign", "%(count)d signs", count) % {"count": count} + ")"
    if code == "young_child" and "age" in params:
        label += " (" + _("age %(age)s") % {"age": params["age"]} + ")"
    return label


def level_name(level: int) -> str:
    return Urgency(level).name.lower()


def indicator_labels(codes: list[str]) -> list[str]:
    valid = {choice.value: choice.label for choice in Indicator}
    return [str(valid.get(code, code)) for code in codes]


def exploitation_labels(codes: list[str]) -> list[str]:
    valid = {choice.value: choice.label for choice in ExploitationType}
    return [str(valid.get(code, code)) for code in codes]
