"""Server-rendered SVG for analytics: weekly timelines, trend lines, hexagon and tile maps.

Plain Python, no Django. Everything is escaped here; templates mark the result safe. No inline
styles (the site's CSP forbids them): colours come from classes in app.css.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def timeline_svg(points: Sequence[tuple[dt.date, int]], *, title: str) -> str:
    """Bars per week, oldest left; weeks without events between the first and last are zeros."""
    if not points:
        return ""
    counts = dict(points)
    start, end = points[0][0], points[-1][0]
    weeks = [start + dt.timedelta(weeks=i) for i in range((end - start).days // 7 + 1)][-52:]
    width, height, pad = 640, 140, 24
    peak = max(counts.get(week, 0) for week in weeks) or 1
    bar = min((width - 2 * pad) / max(len(weeks), 1), 48)
    parts = [
        f'<svg class="an-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="tl-title">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<line class="an-axis" x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}"/>',
    ]
    for i, week in enumerate(weeks):
        n = counts.get(week, 0)
        h = (height - 2 * pad) * n / peak
        x = pad + i * bar
        parts.append(
            f'<rect class="an-bar" x="{_fmt(x + 1)}" y="{_fmt(height - pad - h)}" width="{_fmt(max(bar - 2, 1))}" '
            f'height="{_fmt(h)}"><title>{escape(week.isoformat())}: {n}</title></rect>'
        )
    parts.append(f'<text class="an-label" x="{pad}" y="{height - 6}">{escape(weeks[0].isoformat())}</text>')
    parts.append(
        f'<text class="an-label" x="{width - pad}" y="{height - 6}" text-anchor="end">{escape(weeks[-1].isoformat())}</text>'
    )
    parts.append(f'<text class="an-label" x="{pad}" y="{pad - 8}">{peak}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline_svg(values: Sequence[int], *, title: str, hot: bool = False) -> str:
    if not values:
        return ""
    width, height, pad = 160, 40, 4
    peak = max(values) or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = " ".join(
        f"{_fmt(pad + i * step)},{_fmt(height - pad - (height - 2 * pad) * v / peak)}"
        for i, v in enumerate(values)
    )
    last_x = pad + (len(values) - 1) * step
    last_y = height - pad - (height - 2 * pad) * values[-1] / peak
    css = "an-trend an-trend-hot" if hot else "an-trend"
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>'
        f'<polyline points="{points}"/><circle cx="{_fmt(last_x)}" cy="{_fmt(last_y)}" r="3"/></svg>'
    )


def heat_class(value: float, peak: float) -> str:
    if value <= 0 or peak <= 0:
        return "an-heat-0"
    return f"an-heat-{min(4, 1 + int(3.999 * value / peak))}"


def hexagon_map_svg(cells: Sequence[dict], *, title: str, width: int = 640) -> str:
    """H3 cells drawn from their boundaries (lat, lng pairs), equirectangular, coloured by count."""
    if not cells:
        return ""
    lats = [lat for cell in cells for lat, _ in cell["boundary"]]
    lngs = [lng for cell in cells for _, lng in cell["boundary"]]
    mid = math.cos(math.radians((max(lats) + min(lats)) / 2))
    span_x = max((max(lngs) - min(lngs)) * mid, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    pad = 10
    height = max(120, min(640, int(width * span_y / span_x)))
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    peak = max(cell["events"] for cell in cells)

    def point(lat: float, lng: float) -> str:
        return f"{_fmt(pad + (lng - min(lngs)) * mid * scale)},{_fmt(pad + (max(lats) - lat) * scale)}"

    parts = [
        f'<svg class="an-map" viewBox="0 0 {width} {height}" role="img" aria-labelledby="hex-title">',
        f'<title id="hex-title">{escape(title)}</title>',
    ]
    for cell in cells:
        path = " ".join(point(lat, lng) for lat, lng in cell["boundary"])
        parts.append(
            f'<polygon class="{heat_class(cell["events"], peak)}" points="{path}">'
            f"<title>{escape(cell['cell'])}: {cell['events']}</title></polygon>"
        )
    parts.append("</svg>")
    return "".join(parts)


def tile_map_svg(areas: Sequence[dict], *, title: str, columns: int = 6) -> str:
    """One labelled square per region (no shapes needed), coloured by this week's count;
    hotspots get a thick outline."""
    if not areas:
        return ""
    size, gap = 96, 6
    rows = math.ceil(len(areas) / columns)
    width = columns * (size + gap) + gap
    height = rows * (size + gap) + gap
    peak = max(area["events"] for area in areas) or 1
    parts = [
        f'<svg class="an-map" viewBox="0 0 {width} {height}" role="img" aria-labelledby="tile-title">',
        f'<title id="tile-title">{escape(title)}</title>',
    ]
    for i, area in enumerate(areas):
        x = gap + (i % columns) * (size + gap)
        y = gap + (i // columns) * (size + gap)
        css = heat_class(area["events"], peak) + (" an-hot" if area["hot"] else "")
        text_css = "an-tile-text an-tile-text-dark" if area["events"] * 2 > peak else "an-tile-text"
        parts.append(
            f'<g><rect class="{css}" x="{x}" y="{y}" width="{size}" height="{size}" rx="6">'
            f"<title>{escape(area['name'])}: {area['events']}</title></rect>"
            f'<text class="{text_css}" x="{x + size / 2}" y="{y + 38}" text-anchor="middle">{escape(area["code"])}</text>'
            f'<text class="{text_css} an-tile-count" x="{x + size / 2}" y="{y + 70}" text-anchor="middle">{area["events"]}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def waterfall_svg(steps: Sequence[tuple[str, float]], *, title: str, total_label: str, chart_id: str) -> str:
    """Splink-style waterfall of match weights, one row per step, read top to bottom.

    ``steps`` are (label, weight): the prior first, then each field's weight. Each bar runs from
    the running total before the step to the total after it; the last row is the final weight.
    Positive steps (evidence for a match) and negative ones have their own classes and a sign in
    the text, so colour is never the only cue.
    """
    if not steps:
        return ""
    totals = [0.0]
    for _label, weight in steps:
        totals.append(totals[-1] + weight)
    low, high = min(0.0, *totals), max(0.0, *totals)
    span = (high - low) or 1.0
    # Narrow enough that the labels stay legible when a phone scales the chart down.
    row, label_width, pad, width = 24, 150, 6, 440
    plot = width - label_width - 2 * pad - 44
    height = row * (len(steps) + 1) + 2 * pad

    def x(value: float) -> float:
        return label_width + pad + plot * (value - low) / span

    parts = [
        f'<svg class="an-chart an-waterfall" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<line class="an-axis" x1="{_fmt(x(0))}" y1="{pad}" x2="{_fmt(x(0))}" y2="{height - pad}"/>',
    ]
    rows = [
        (label, weight, totals[i], totals[i + 1], "an-wf-pos" if weight >= 0 else "an-wf-neg")
        for i, (label, weight) in enumerate(steps)
    ]
    rows.append((total_label, totals[-1], 0.0, totals[-1], "an-wf-total"))
    for i, (label, weight, start, end, css_class) in enumerate(rows):
        y = pad + i * row
        left, right = sorted((x(start), x(end)))
        parts.append(
            f'<text class="an-label" x="{label_width}" y="{_fmt(y + row * 0.65)}" text-anchor="end">{escape(label)}</text>'
        )
        parts.append(
            f'<rect class="{css_class}" x="{_fmt(left)}" y="{_fmt(y + 4)}" width="{_fmt(max(right - left, 1.5))}" '
            f'height="{row - 8}"><title>{escape(label)}: {weight:+.2f}</title></rect>'
        )
        parts.append(
            f'<text class="an-label" x="{_fmt(right + 4)}" y="{_fmt(y + row * 0.65)}">{weight:+.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
