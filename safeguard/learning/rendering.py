"""Lesson Markdown to safe HTML.

Course authors are staff of other organisations, so what they write is not trusted: Markdown is
rendered, then every tag and attribute outside a short allow-list is removed (raw HTML, scripts,
event handlers, ``javascript:`` links). Images may only come from this site (the CSP says so too).
"""

from __future__ import annotations

import markdown
import nh3

TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "blockquote", "a", "code", "pre",
    "hr", "br", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}}


def _local_images_only(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not (value.startswith("/") and not value.startswith("//")):
        return None
    return value


def render_markdown(text: str) -> str:
    """Sanitised HTML for a lesson body; headings start at h2 (the page's h1 is the lesson title)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        attribute_filter=_local_images_only,
    )
