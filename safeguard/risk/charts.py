"""Server-rendered SVG: the choropleth map, factor bars and indicator trends.

No Django imports and no JavaScript: the output is a string of SVG markup that renders
offline in any browser. Colours come from CSS classes (``map-class-N``) in app.css, so the
Content-Security-Policy needs no inline styles. Callers pass every visible word already
translated; everything put into the markup is escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from safeguard.core import boundaries
from safeguard.core.maps import MapArea, class_for, map_svg

__all__ = [
    "SCORE_BREAKS",
    "MapRegion",
    "bar_chart_svg",
    "choropleth_svg",
    "region_geometry",
    "score_class",
    "score_classes",
    "trend_chart_svg",
]

# Fixed class breaks on the 0–100 score, so the same colour means the same score on every map.
SCORE_BREAKS = (20.0, 40.0, 60.0, 80.0)
NO_SCORE_CLASS = "map-class-none"


def score_class(score: float | None) -> str:
    """The CSS class of a score: ``map-class-0`` (0–20) … ``map-class-4`` (80–100), or no score."""
    return class_for(score, SCORE_BREAKS)


def score_classes() -> list[tuple[str, float, float]]:
    """(class, low, high) of each legend entry, lowest first."""
    edges = (0.0, *SCORE_BREAKS, 100.0)
    return [(f"map-class-{i}", edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


@dataclass(frozen=True)
class MapRegion:
    code: str
    geometry: dict[str, Any]
    css_class: str
    label: str  # what a screen reader and a tooltip say: name, score and rank
    href: str = ""


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def choropleth_svg(
    regions: Sequence[MapRegion], *, title: str, description: str, width: int = 800, map_id: str = "risk-map"
) -> str:
    """The regions on the shared map component (:func:`safeguard.core.maps.map_svg`).

    A basemap of the shipped country boundaries is drawn under the regions when they are real
    places (their code or its country part has a shipped shape); a fictional country such as
    the demo's Examplia gets none, so it is never drawn over a real one.
    """
    basemap = any(boundaries.has_shape(region.code.split("-")[0]) for region in regions)
    return map_svg(
        [
            MapArea(
                code=region.code,
                geometry=region.geometry,
                css_class=region.css_class,
                label=region.label,
                href=region.href,
            )
            for region in regions
        ],
        title=title,
        description=description,
        map_id=map_id,
        basemap=basemap,
        width=width,
    )


def region_geometry(code: str, imported: dict[str, Any] | None) -> dict[str, Any] | None:
    """A region's imported shape, else the shipped Natural Earth boundary of its ISO code."""
    return imported or boundaries.shape(code)


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
