"""Server-rendered SVG of completions over time: one line per audience, months along the bottom.

No Django imports and no JavaScript; colours come from CSS classes (``series-<key>``) in
learning.css, so the Content-Security-Policy needs no inline style. Callers pass every visible
word already translated; everything put into the markup is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Series", "lines_svg"]


@dataclass(frozen=True)
class Series:
    key: str  # CSS class suffix
    label: str
    values: Sequence[int]


def _nice_top(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (at least 1), for the axis."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= value:
                return step * top
        top *= 10


def lines_svg(
    months: Sequence[str], series: Sequence[Series], *, title: str, width: int = 640, height: int = 260
) -> str:
    """A line chart with a y axis from 0 to a round number and every month labelled."""
    left, right, top, bottom = 40, 12, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_top(max((max(s.values, default=0) for s in series), default=0))
    step = plot_w / max(len(months) - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / peak

    parts = [
        f'<svg class="learning-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in (0, peak / 2, peak):
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}"/>')
    parts.append(
        f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>'
    )
    for index, month in enumerate(months):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(month[2:])}</text>'
        )
    for line in series:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(line.values))
        css = f"series-{escape(line.key)}"
        parts.append(f'<g class="{css}"><title>{escape(line.label)}</title><polyline points="{points}"/>')
        parts.extend(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3"/>' for i, v in enumerate(line.values))
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
