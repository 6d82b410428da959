"""The printable map sheet: a real PNG and a vector PDF showing the map's classes, legend and title."""

from __future__ import annotations

import io
import re
import zlib

from PIL import Image

from safeguard.core import boundaries, mapexport
from safeguard.core.maps import MapArea, map_svg

# The fills of app.css for the classes used below, as cairo writes them in a PDF (r g b rg).
CLASS_COLOURS = {"map-class-0": (0xFD, 0xE7, 0x25), "map-class-4": (0x44, 0x01, 0x54)}


def _sheet() -> mapexport.MapSheet:
    areas = [
        MapArea(
            code="PT-11", geometry=boundaries.shape("PT-11") or {}, css_class="map-class-4", label="Lisboa"
        ),
        MapArea(
            code="PT-13", geometry=boundaries.shape("PT-13") or {}, css_class="map-class-0", label="Porto"
        ),
    ]
    return mapexport.MapSheet(
        title="Vulnerability map: Fictional <run>",
        subtitle="Run #7",
        legend_title="Vulnerability score",
        legend=[
            mapexport.LegendEntry("map-class-4", "80 to 100"),
            mapexport.LegendEntry("map-class-0", "0 to 20"),
        ],
        note="Darker is more vulnerable.",
        source_line="Boundaries: Natural Earth (public domain).",
        map_svg=map_svg(areas, title="Map", description="Two regions", map_id="risk-map"),
    )


def test_the_sheet_holds_title_legend_source_and_the_pages_map() -> None:
    svg = mapexport.sheet_svg(_sheet())
    assert "Vulnerability map: Fictional &lt;run&gt;" in svg  # escaped
    assert ">80 to 100</text>" in svg and ">Boundaries: Natural Earth (public domain).</text>" in svg
    assert 'data-region="PT-11"' in svg and 'data-region="PT-13"' in svg
    assert ".map-class-4 { fill: #440154 }" in svg  # colours come from app.css


def test_png_is_a_valid_image_with_the_map_colours() -> None:
    data = mapexport.render(_sheet(), "png")
    Image.open(io.BytesIO(data)).verify()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and data.startswith(b"\x89PNG\r\n\x1a\n")
    assert image.width == 2 * mapexport.WIDTH  # drawn at twice the sheet size for print
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    for rgb in CLASS_COLOURS.values():
        assert rgb in colours, rgb


def test_pdf_is_a_vector_document_that_paints_the_map_classes() -> None:
    data = mapexport.render(_sheet(), "pdf")
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1
    content = b"".join(
        zlib.decompress(stream)
        for stream in re.findall(rb"/FlateDecode\s*>>\s*stream\r?\n(.*?)\r?\nendstream", data, re.S)
        if _inflates(stream)
    )
    fills = set(re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", content))
    painted = {tuple(round(float(part) * 255) for part in fill) for fill in fills}
    for rgb in CLASS_COLOURS.values():
        assert rgb in painted, rgb


def _inflates(stream: bytes) -> bool:
    try:
        zlib.decompress(stream)
    except zlib.error:
        return False
    return True
