"""Bar charts of noisy counts with their 95 % intervals, as inline SVG (renders offline)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe


def counts_chart_svg(
    bars: Sequence[tuple[str, int | None, int | None, int | None]], *, title: str
) -> SafeString:
    """Horizontal bars (label, count, low, high); a suppressed count draws no bar."""
    width, row, label_width = 190, 28, 110
    top = max([high or 0 for _label, _count, _low, high in bars] + [1])
    height = row * len(bars) + 10
    parts = [
        f'<svg class="sharing-chart" viewBox="0 0 {label_width + width + 50} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, count, low, high) in enumerate(bars):
        y = i * row
        parts.append(f'<text class="sharing-chart-label" x="0" y="{y + 18}">{escape(label[:16])}</text>')
        if count is None:
            parts.append(f'<text class="sharing-chart-value" x="{label_width}" y="{y + 18}">—</text>')
            continue
        length = width * count / top
        parts.append(
            f'<rect class="sharing-bar" x="{label_width}" y="{y + 6}" width="{length:.1f}" height="16"/>'
        )
        if low is not None and high is not None:
            x1, x2 = label_width + width * low / top, label_width + width * high / top
            parts.append(
                f'<line class="sharing-interval" x1="{x1:.1f}" x2="{x2:.1f}" y1="{y + 14}" y2="{y + 14}"/>'
            )
        parts.append(
            f'<text class="sharing-chart-value" x="{label_width + length + 4:.1f}" y="{y + 18}">{count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
