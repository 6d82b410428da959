"""PDFs drawn from HTML templates by WeasyPrint.

Pango shapes every script (Arabic joined and right to left, Devanagari and Bengali conjuncts, Thai
marks, Chinese) and fontconfig finds, for each character, a font that has it: the stylesheet lists
the Noto families first (`fonts-noto-core`, `fonts-noto-cjk`). WeasyPrint embeds the subset it
used, so the PDF reads the same on any machine. It fetches nothing: every resource is inline.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_bidi


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template rendered in the active language, its direction and fonts, as a PDF."""
    # Imported here: WeasyPrint loads Pango when imported, and a machine without it should still
    # serve every page that is not a PDF (README: system packages).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        template,
        {**context, "language": get_language() or "en", "direction": "rtl" if get_language_bidi() else "ltr"},
    )
    # No protocol is allowed: text a reporter wrote can never make the PDF fetch a URL or a file.
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf
