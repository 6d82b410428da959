"""Horizontal bar charts of counts as inline SVG (renders offline, no JavaScript).

Shared by the apps that chart counts (sharing's releases, the caseload reports). Colours come
from CSS classes named after ``prefix`` (``<prefix>-chart``, ``<prefix>-bar``, …), so the
Content-Security-Policy needs no inline style. Callers pass every word already translated;
everything put into the markup is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe


def counts_chart_svg(
    bars: Sequence[tuple[str, int | None, int | None, int | None]],
    *,
    title: str,
    prefix: str = "chart",
    label_chars: int = 16,
    label_width: int = 110,
) -> SafeString:
    """Horizontal bars (label, count, low, high); a suppressed count (None) draws no bar, and
    ``low``/``high`` (both or neither) draw an interval over the bar."""
    width, row = 190, 28
    top = max(
        [high or 0 for _label, _count, _low, high in bars] + [count or 0 for _l, count, _lo, _h in bars] + [1]
    )
    height = row * len(bars) + 10
    parts = [
        f'<svg class="{prefix}-chart" viewBox="0 0 {label_width + width + 50} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, count, low, high) in enumerate(bars):
        y = i * row
        parts.append(
            f'<text class="{prefix}-chart-label" x="0" y="{y + 18}">{escape(label[:label_chars])}</text>'
        )
        if count is None:
            parts.append(f'<text class="{prefix}-chart-value" x="{label_width}" y="{y + 18}">—</text>')
            continue
        length = width * count / top
        parts.append(
            f'<rect class="{prefix}-bar" x="{label_width}" y="{y + 6}" width="{length:.1f}" height="16"/>'
        )
        if low is not None and high is not None:
            x1, x2 = label_width + width * low / top, label_width + width * high / top
            parts.append(
                f'<line class="{prefix}-interval" x1="{x1:.1f}" x2="{x2:.1f}" y1="{y + 14}" y2="{y + 14}"/>'
            )
        parts.append(
            f'<text class="{prefix}-chart-value" x="{label_width + length + 4:.1f}" y="{y + 18}">{count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
