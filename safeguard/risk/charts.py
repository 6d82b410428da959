"""Server-rendered SVG: the choropleth map, factor bars and indicator trends.

No Django imports and no JavaScript: the output is a string of SVG markup that renders
offline in any browser. Colours come from CSS classes (``risk-fill-N``) in app.css, so the
Content-Security-Policy needs no inline styles. Callers pass every visible word already
translated; everything put into the markup is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from safeguard.risk.shapes import geometry_rings

__all__ = [
    "SCORE_BREAKS",
    "MapRegion",
    "bar_chart_svg",
    "choropleth_svg",
    "score_class",
    "score_classes",
    "trend_chart_svg",
]

# Fixed class breaks on the 0–100 score, so the same colour means the same score on every map.
SCORE_BREAKS = (20.0, 40.0, 60.0, 80.0)
NO_SCORE_CLASS = "risk-fill-none"


def score_class(score: float | None) -> str:
    """The CSS class of a score: ``risk-fill-0`` (0–20) … ``risk-fill-4`` (80–100), or no score."""
    if score is None or not math.isfinite(score):
        return NO_SCORE_CLASS
    return f"risk-fill-{sum(score >= edge for edge in SCORE_BREAKS)}"


def score_classes() -> list[tuple[str, float, float]]:
    """(class, low, high) of each legend entry, lowest first."""
    edges = (0.0, *SCORE_BREAKS, 100.0)
    return [(f"risk-fill-{i}", edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


@dataclass(frozen=True)
class MapRegion:
    code: str
    geometry: dict[str, Any]
    css_class: str
    label: str  # what a screen reader and a tooltip say: name, score and rank
    href: str = ""


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def choropleth_svg(regions: Sequence[MapRegion], *, title: str, description: str, width: int = 800) -> str:
    """One ``<path>`` per region, equirectangular projection scaled to the regions' bounding box.

    Longitudes are scaled by the cosine of the middle latitude, so shapes away from the
    equator are not stretched sideways. Each region is a link (when ``href`` is given) with a
    ``<title>``, so it can be reached with the keyboard and is announced with its score.
    """
    positions = [
        (lon, lat)
        for region in regions
        for polygon in geometry_rings(region.geometry)
        for ring in polygon
        for lon, lat, *_ in ring
    ]
    if not positions:
        return ""
    min_lon = min(p[0] for p in positions)
    max_lon = max(p[0] for p in positions)
    min_lat = min(p[1] for p in positions)
    max_lat = max(p[1] for p in positions)
    aspect = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * aspect, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    pad = 8.0
    scale = (width - 2 * pad) / span_x
    height = round(span_y * scale + 2 * pad)

    def project(lon: float, lat: float) -> str:
        return f"{_fmt(pad + (lon - min_lon) * aspect * scale)},{_fmt(pad + (max_lat - lat) * scale)}"

    parts = [
        f'<svg class="risk-map" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="risk-map-title risk-map-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="risk-map-title">{escape(title)}</title>',
        f'<desc id="risk-map-desc">{escape(description)}</desc>',
    ]
    for region in regions:
        path = " ".join(
            "M" + " L".join(project(lon, lat) for lon, lat, *_ in ring[:-1]) + " Z"
            for polygon in geometry_rings(region.geometry)
            for ring in polygon
        )
        shape = (
            f'<path class="{escape(region.css_class)}" data-region="{escape(region.code)}" '
            f'fill-rule="evenodd" d="{path}"><title>{escape(region.label)}</title></path>'
        )
        if region.href:
            shape = f'<a href="{escape(region.href)}" aria-label="{escape(region.label)}">{shape}</a>'
        parts.append(shape)
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(bars: Sequence[tuple[str, float | None]], *, title: str, no_value: str) -> str:
    """Horizontal bars on a 0–100 scale, one per (label, value), each label above its bar."""
    bar_width, row = 340, 46
    height = row * len(bars) + 20
    parts = [
        f'<svg class="risk-bars" viewBox="0 0 {bar_width + 50} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(bars):
        y = i * row
        parts.append(f'<text class="risk-chart-label" x="0" y="{y + 15}">{escape(label)}</text>')
        parts.append(f'<rect class="risk-bar-track" x="0" y="{y + 21}" width="{bar_width}" height="18"/>')
        if value is None or not math.isfinite(value):
            parts.append(f'<text class="risk-chart-value" x="6" y="{y + 35}">{escape(no_value)}</text>')
            continue
        length = bar_width * max(0.0, min(value, 100.0)) / 100
        parts.append(
            f'<rect class="{score_class(value)}" x="0" y="{y + 21}" width="{_fmt(length)}" height="18"/>'
        )
        parts.append(f'<text class="risk-chart-value" x="{bar_width + 6}" y="{y + 35}">{value:.1f}</text>')
    axis_y = row * len(bars) + 12
    for tick in (0, 50, 100):
        x = bar_width * tick / 100
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        parts.append(
            f'<text class="risk-chart-axis" x="{_fmt(x)}" y="{axis_y}" text-anchor="{anchor}">{tick}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_chart_svg(
    points: Sequence[tuple[int, float]], *, title: str, highlight_year: int | None = None
) -> str:
    """A small line chart of (year, value) points with the first and last year and the value range."""
    if not points:
        return ""
    points = sorted(points)
    width, height, left, right, top, bottom = 320, 140, 44, 12, 12, 24
    years = [year for year, _ in points]
    values = [value for _, value in points]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    first, last = years[0], years[-1]
    span = max(last - first, 1)

    def x(year: int) -> float:
        return left + (width - left - right) * ((year - first) / span if last > first else 0.5)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - (value - low) / (high - low))

    line = " ".join(f"{_fmt(x(year))},{_fmt(y(value))}" for year, value in points)
    parts = [
        f'<svg class="risk-trend" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="risk-chart-grid" x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}"/>',
        f'<text class="risk-chart-axis" x="{left - 4}" y="{top + 4}" text-anchor="end">{_compact(high)}</text>',
        f'<text class="risk-chart-axis" x="{left - 4}" y="{height - bottom}" text-anchor="end">{_compact(low)}</text>',
        f'<text class="risk-chart-axis" x="{left}" y="{height - 6}">{first}</text>',
        f'<text class="risk-chart-axis" x="{width - right}" y="{height - 6}" text-anchor="end">{last}</text>',
        f'<polyline class="risk-trend-line" points="{line}"/>',
    ]
    for year, value in points:
        css = "risk-trend-point risk-trend-used" if year == highlight_year else "risk-trend-point"
        parts.append(
            f'<circle class="{css}" cx="{_fmt(x(year))}" cy="{_fmt(y(value))}" r="3.5">'
            f"<title>{year}: {_compact(value)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _compact(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
