"""The maps of the optional location picker: one small SVG per region of a country.

Every region of the form's country is drawn once into the page (inside ``<template>``
elements), so choosing a region and then a point needs no request to the server: the region a
reporter is looking at never travels in an address or an access log before the report is sent.
``static/js/location-picker.js`` shows the chosen region's map and turns a click or the arrow
keys into the hidden latitude and longitude, which the server checks and rounds (decision 134).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safeguard.core import boundaries, maps
from safeguard.core.geography import subdivision_choices


@dataclass(frozen=True)
class RegionMap:
    code: str
    name: str
    svg: SafeString


def region_maps(country: str) -> tuple[RegionMap, ...]:
    """The picker map of every region of ``country`` with a shipped shape, in the active language."""
    if not country:
        return ()
    return _region_maps(country.upper(), get_language() or "en")


@lru_cache(maxsize=64)
def _region_maps(country: str, language: str) -> tuple[RegionMap, ...]:
    drawn = []
    for code, name in subdivision_choices(country):
        geometry = boundaries.shape(code)
        if geometry is None:
            continue
        title = _("Map of %(region)s") % {"region": name}
        svg = maps.region_picker_svg(code, geometry, title=title)
        if svg:
            # region_picker_svg escapes everything it puts into the markup.
            drawn.append(RegionMap(code=code, name=name, svg=mark_safe(svg)))  # noqa: S308
    return tuple(drawn)
