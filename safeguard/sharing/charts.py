"""Bar charts of noisy counts with their 95 % intervals, as inline SVG (renders offline)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from safeguard.core.charts import counts_chart_svg as _counts_chart_svg


def counts_chart_svg(
    bars: Sequence[tuple[str, int | None, int | None, int | None]], *, title: str
) -> SafeString:
    """Horizontal bars (label, count, low, high); a suppressed count draws no bar."""
    return _counts_chart_svg(bars, title=title, prefix="sharing")
