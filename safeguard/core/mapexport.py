"""Printable exports of a map: one SVG sheet with title, map, legend and source line, as PNG or PDF.

The sheet wraps the very SVG that :func:`safeguard.core.maps.map_svg` draws for the page, so the
file shows the same shapes and classes as the screen. Its colours are the ``.map-*`` rules of
``app.css``, copied into the sheet's ``<style>`` at run time (one source of truth). CairoSVG
(over the system's cairo library) turns the sheet into PNG or PDF; it renders the CSS classes,
nested ``<svg>`` and even-odd holes as a browser does. PDF output stays vector.

No Django imports: callers pass every visible word already translated; everything put into the
markup is escaped here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import cairosvg

__all__ = ["FORMATS", "LegendEntry", "MapSheet", "render", "sheet_svg"]

FORMATS = {"png": "image/png", "pdf": "application/pdf"}

APP_CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "app.css"
# One rule per line in app.css: ``.map-class-0 { fill: … }``; hover, media and layout rules are skipped.
_RULE = re.compile(r"^\.(map-[a-z0-9-]+) \{([^}]*)\}\s*$")
_SCREEN_ONLY = (
    "map-layout",
    "map-figure",
    "map-controls",
    "map-help",
    "map-readout",
    "map-legend",
    "map-source",
    "map-downloads",
)

WIDTH = 1100
MAP_WIDTH = 800
MARGIN = 24
LEGEND_X = MARGIN + MAP_WIDTH + 24
TITLE_HEIGHT = 64
FONT = "DejaVu Sans, Arial, sans-serif"


@dataclass(frozen=True)
class LegendEntry:
    css_class: str
    label: str


@dataclass(frozen=True)
class MapSheet:
    title: str
    subtitle: str
    legend_title: str
    legend: Sequence[LegendEntry]
    source_line: str
    map_svg: str  # from safeguard.core.maps.map_svg, drawn ``MAP_WIDTH`` wide
    note: str = ""


@cache
def map_styles() -> str:
    """The ``.map-*`` rules of app.css that paint the map, without screen-only declarations."""
    rules = []
    for line in APP_CSS.read_text(encoding="utf-8").splitlines():
        match = _RULE.match(line.strip())
        if not match or match.group(1) in _SCREEN_ONLY:
            continue
        declarations = [
            declaration.strip()
            for declaration in match.group(2).split(";")
            if declaration.strip() and not declaration.strip().startswith(("background", "pointer-events"))
        ]
        rules.append(f".{match.group(1)} {{ {'; '.join(declarations)} }}")
    return "\n".join(rules)


def _map_size(svg: str) -> tuple[int, int]:
    match = re.search(r'data-width="(\d+)" data-height="(\d+)"', svg)
    if not match:
        raise ValueError("not a map from safeguard.core.maps.map_svg")
    return int(match.group(1)), int(match.group(2))


def _wrap(text: str, width: int) -> list[str]:
    """Greedy line breaks at about ``width`` characters (the sheet has no text layout engine)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def sheet_svg(sheet: MapSheet) -> str:
    """The printable sheet as one standalone SVG document."""
    map_width, map_height = _map_size(sheet.map_svg)
    scale = MAP_WIDTH / map_width
    shown_height = round(map_height * scale)
    # The page's SVG, placed as a nested <svg> at the map's slot (its viewBox keeps the drawing).
    nested = sheet.map_svg.replace(
        "<svg ", f'<svg x="{MARGIN}" y="{TITLE_HEIGHT}" width="{MAP_WIDTH}" height="{shown_height}" ', 1
    )
    legend = [
        f'<text class="sheet-legend-title" x="{LEGEND_X}" y="{TITLE_HEIGHT + 14}">{escape(sheet.legend_title)}</text>'
    ]
    y = TITLE_HEIGHT + 30
    for entry in sheet.legend:
        legend.append(
            f'<rect class="{escape(entry.css_class)} sheet-swatch" x="{LEGEND_X}" y="{y}" width="18" height="18"/>'
            f'<text class="sheet-text" x="{LEGEND_X + 26}" y="{y + 14}">{escape(entry.label)}</text>'
        )
        y += 26
    for line in _wrap(sheet.note, 34):
        y += 18
        legend.append(f'<text class="sheet-small" x="{LEGEND_X}" y="{y}">{escape(line)}</text>')
    footer_y = max(TITLE_HEIGHT + shown_height, y) + 28
    footer = []
    for line in _wrap(sheet.source_line, 150):
        footer.append(f'<text class="sheet-small" x="{MARGIN}" y="{footer_y}">{escape(line)}</text>')
        footer_y += 16
    height = footer_y + MARGIN - 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}">'
        f"<style>{map_styles()}\n"
        f".sheet-title {{ font: bold 22px {FONT}; fill: #1a1a1a; }}\n"
        f".sheet-legend-title {{ font: bold 14px {FONT}; fill: #1a1a1a; }}\n"
        f".sheet-text {{ font: 13px {FONT}; fill: #1a1a1a; }}\n"
        f".sheet-small {{ font: 11px {FONT}; fill: #4a4a4a; }}\n"
        f".sheet-swatch {{ stroke: #4a4a4a; stroke-width: .7; }}\n"
        f".map-label {{ font: bold 10px {FONT}; stroke: none; }}</style>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        f'<text class="sheet-title" x="{MARGIN}" y="{MARGIN + 14}">{escape(sheet.title)}</text>'
        f'<text class="sheet-small" x="{MARGIN}" y="{MARGIN + 34}">{escape(sheet.subtitle)}</text>'
        f"{nested}{''.join(legend)}{''.join(footer)}</svg>"
    )


def render(sheet: MapSheet, fmt: str) -> bytes:
    """The sheet as ``png`` (twice the sheet's pixel size, for print) or ``pdf`` bytes."""
    document = sheet_svg(sheet).encode("utf-8")
    if fmt == "png":
        return bytes(cairosvg.svg2png(bytestring=document, scale=2))
    if fmt == "pdf":
        return bytes(cairosvg.svg2pdf(bytestring=document))
    raise ValueError(f"unknown map export format: {fmt}")
