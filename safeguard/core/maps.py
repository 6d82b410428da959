"""The one map component: server-rendered SVG on the shipped boundaries, no tiles, no network.

``map_svg`` draws a basemap of land and borders (every shipped country in view, from
``safeguard.core.boundaries``), then the data areas coloured by CSS class (``map-class-0`` …
``map-class-4``, a colour-blind-safe sequential scale in app.css; ``map-class-none`` for no
value), hotspot outlines and labels. ``static/js/map.js`` adds pan and zoom (buttons and
keyboard) and a read-out of the area under the pointer or focus; without JavaScript the map is
a plain picture with a tooltip per area, and the page's table holds the same figures.

No Django imports: callers pass every visible word already translated; everything put into
the markup is escaped here. The SVG uses classes only, so the Content-Security-Policy needs
no inline style.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from safeguard.core import boundaries

__all__ = ["CLASS_COUNT", "MapArea", "class_for", "map_svg", "region_picker_svg"]

CLASS_COUNT = 5
NO_VALUE_CLASS = "map-class-none"


def class_for(value: float | None, breaks: Sequence[float]) -> str:
    """``map-class-N`` for the number of class breaks at or below ``value``; no value → none."""
    if value is None or not math.isfinite(value):
        return NO_VALUE_CLASS
    return f"map-class-{sum(value >= edge for edge in breaks)}"


@dataclass(frozen=True)
class MapArea:
    code: str
    geometry: dict[str, Any]
    css_class: str
    label: str  # what a tooltip and a screen reader say, e.g. "Kenya: score 61.2, rank 4 (2–9)"
    href: str = ""
    outlined: bool = False  # a hotspot: drawn with a thick outline
    short_label: str = ""  # drawn on the map when set


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


class _Projection:
    """Equirectangular, longitudes scaled by the cosine of the middle latitude, fitted to a box."""

    def __init__(self, bounds: boundaries.Bounds, width: int, pad: float) -> None:
        self.bounds = bounds
        self.aspect = math.cos(math.radians((bounds.min_lat + bounds.max_lat) / 2))
        span_x = max((bounds.max_lon - bounds.min_lon) * self.aspect, 1e-9)
        span_y = max(bounds.max_lat - bounds.min_lat, 1e-9)
        self.pad = pad
        self.scale = (width - 2 * pad) / span_x
        self.width = width
        self.height = round(span_y * self.scale + 2 * pad)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.pad + (lon - self.bounds.min_lon) * self.aspect * self.scale,
            self.pad + (self.bounds.max_lat - lat) * self.scale,
        )

    def path(self, geometry: dict[str, Any], *, min_step: float = 0.6) -> str:
        """SVG path data; points closer than ``min_step`` pixels to the last kept one are dropped."""
        parts = []
        for polygon in _polygons(geometry):
            for ring in polygon:
                kept: list[tuple[float, float]] = []
                for position in ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring:
                    x, y = self.point(position[0], position[1])
                    if kept and abs(x - kept[-1][0]) < min_step and abs(y - kept[-1][1]) < min_step:
                        continue
                    kept.append((x, y))
                if len(kept) >= 3:
                    parts.append("M" + " L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in kept) + " Z")
        return " ".join(parts)


def _polygons(geometry: dict[str, Any]) -> list[Any]:
    return [geometry["coordinates"]] if geometry.get("type") == "Polygon" else list(geometry["coordinates"])


def _padded(bounds: boundaries.Bounds, share: float = 0.04) -> boundaries.Bounds:
    dx = max((bounds.max_lon - bounds.min_lon) * share, 0.05)
    dy = max((bounds.max_lat - bounds.min_lat) * share, 0.05)
    return boundaries.Bounds(
        max(bounds.min_lon - dx, -180),
        max(bounds.min_lat - dy, -90),
        min(bounds.max_lon + dx, 180),
        min(bounds.max_lat + dy, 90),
    )


def map_svg(
    areas: Sequence[MapArea],
    *,
    title: str,
    description: str,
    map_id: str = "map",
    basemap: bool = True,
    width: int = 800,
) -> str:
    """The map as one ``<svg>`` string, fitted to the data areas; empty when none has a shape.

    With ``basemap``, every shipped country whose bounding box meets the view is drawn below
    the data as land with its border (countries that are themselves data areas are skipped).
    Each area is a link when ``href`` is given, with a ``<title>``, so it can be reached with
    the keyboard and is announced with its figures; ``data-label`` feeds the read-out.
    """
    shaped = [area for area in areas if area.geometry and area.geometry.get("coordinates")]
    view = boundaries.bounds_of(area.geometry for area in shaped)
    if view is None:
        return ""
    view = _padded(view)
    projection = _Projection(view, width, pad=6.0)
    title_id, desc_id = f"{map_id}-title", f"{map_id}-desc"
    # An image may not contain links (axe: nested-interactive); a map of links is a group.
    role = "group" if any(area.href for area in shaped) else "img"
    parts = [
        f'<svg id="{escape(map_id)}" class="map" viewBox="0 0 {width} {projection.height}" '
        f'data-width="{width}" data-height="{projection.height}" role="{role}" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>',
        f'<rect class="map-sea" x="0" y="0" width="{width}" height="{projection.height}"/>',
        '<g class="map-viewport">',
    ]
    if basemap:
        data_codes = {area.code.upper() for area in shaped}
        parts.append('<g class="map-basemap" aria-hidden="true">')
        for code in boundaries.country_codes():
            if code in data_codes:
                continue
            geometry = boundaries.shape(code)
            country_bounds = boundaries.bounds_of([geometry]) if geometry else None
            if geometry and country_bounds and country_bounds.intersects(view):
                path = projection.path(geometry, min_step=1.2)
                if path:
                    parts.append(f'<path class="map-land" data-country="{code}" d="{path}"/>')
        parts.append("</g>")
    parts.append('<g class="map-areas">')
    for area in shaped:
        path = projection.path(area.geometry)
        if not path:
            continue
        css = f"map-area {area.css_class}" + (" map-outlined" if area.outlined else "")
        shape = (
            f'<path class="{escape(css)}" data-region="{escape(area.code)}" data-label="{escape(area.label)}" '
            f'fill-rule="evenodd" d="{path}"><title>{escape(area.label)}</title></path>'
        )
        if area.href:
            shape = f'<a href="{escape(area.href)}" aria-label="{escape(area.label)}">{shape}</a>'
        parts.append(shape)
    parts.append("</g>")
    outlined = [area for area in shaped if area.outlined]
    if outlined:
        parts.append('<g class="map-outlines" aria-hidden="true">')
        parts.extend(f'<path class="map-outline" d="{projection.path(area.geometry)}"/>' for area in outlined)
        parts.append("</g>")
    labelled = [area for area in shaped if area.short_label]
    if labelled:
        parts.append('<g class="map-labels" aria-hidden="true">')
        for area in labelled:
            bounds = boundaries.bounds_of([area.geometry])
            if bounds is None:
                continue
            x, y = projection.point(
                (bounds.min_lon + bounds.max_lon) / 2, (bounds.min_lat + bounds.max_lat) / 2
            )
            parts.append(
                f'<text class="map-label" x="{_fmt(x)}" y="{_fmt(y)}" text-anchor="middle">'
                f"{escape(area.short_label)}</text>"
            )
        parts.append("</g>")
    parts.append("</g></svg>")
    return "".join(parts)


def region_picker_svg(code: str, geometry: dict[str, Any], *, title: str, width: int = 320) -> str:
    """A small map of one region on which a point can be chosen; empty when it has no shape.

    No basemap (the picker of a region needs only its outline). The projection travels with
    the SVG as ``data-projection`` (west longitude, north latitude, pixels per degree of
    longitude and of latitude, padding), so ``static/js/location-picker.js`` can turn a click
    back into a longitude and latitude without knowing the boundaries.
    """
    view = boundaries.bounds_of([geometry]) if geometry and geometry.get("coordinates") else None
    if view is None:
        return ""
    view = _padded(view)
    projection = _Projection(view, width, pad=6.0)
    path = projection.path(geometry)
    if not path:
        return ""
    per_lon = projection.aspect * projection.scale
    data = " ".join(_fmt6(n) for n in (view.min_lon, view.max_lat, per_lon, projection.scale, projection.pad))
    return (
        f'<svg class="picker-map" viewBox="0 0 {width} {projection.height}" data-width="{width}" '
        f'data-height="{projection.height}" data-projection="{data}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<rect class="map-sea" x="0" y="0" width="{width}" height="{projection.height}"/>'
        f'<path class="picker-region" data-region="{escape(code)}" fill-rule="evenodd" d="{path}"/></svg>'
    )


def _fmt6(number: float) -> str:
    return f"{number:.6f}".rstrip("0").rstrip(".")
