"""Country and subdivision boundaries shipped with the project (Natural Earth, public domain).

The shapes are in ``safeguard/core/data/boundaries.json.gz``, rebuilt by ``bin/build-boundaries``
from npm packages whose names, versions and hashes the file records (``source()``). Every shape
is keyed by the ISO 3166-1 alpha-2 or ISO 3166-2 code that ``safeguard.core.geography`` uses.

Natural Earth's first-level units are not always the first level of ISO 3166-2: Spain's are
provinces (``ES-B``), grouped by ISO into autonomous communities (``ES-CT``). A subdivision
without a shape of its own is drawn as the union of its ISO children that have one, so
``ES-CT`` and ``ES-B`` both have a shape. No Django imports; loaded once, on first use.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

__all__ = [
    "DATA_FILE",
    "Bounds",
    "bounds_of",
    "country_codes",
    "has_shape",
    "locate",
    "point_in_geometry",
    "shape",
    "source",
    "subdivision_codes",
]

DATA_FILE = Path(__file__).resolve().parent / "data" / "boundaries.json.gz"

Polygons = list[list[list[list[float]]]]


@cache
def _document() -> dict[str, Any]:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


@cache
def _children() -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for subdivision in pycountry.subdivisions:
        parent = getattr(subdivision, "parent_code", None)
        if parent:
            children.setdefault(parent, []).append(subdivision.code)
    return children


def source() -> dict[str, Any]:
    """Where the shapes come from: package names, versions, npm integrity hashes, simplification."""
    return dict(_document()["source"])


def country_codes() -> list[str]:
    """ISO 3166-1 alpha-2 codes of every shipped country shape."""
    return list(_document()["countries"])


def subdivision_codes(country: str | None = None) -> list[str]:
    """ISO 3166-2 codes with a shipped shape of their own, optionally of one country."""
    codes = _document()["subdivisions"]
    if country is None:
        return list(codes)
    prefix = country.upper() + "-"
    return [code for code in codes if code.startswith(prefix)]


@cache
def _polygons(code: str) -> Polygons | None:
    code = code.upper()
    document = _document()
    if code in document["countries"]:
        polygons: Polygons = document["countries"][code]
        return polygons
    if code in document["subdivisions"]:
        polygons = document["subdivisions"][code]
        return polygons
    if "-" not in code:
        return None
    union: Polygons = []
    for child in _children().get(code, []):
        child_polygons = _polygons(child)
        if child_polygons:
            union.extend(child_polygons)
    return union or None


def shape(code: str) -> dict[str, Any] | None:
    """The GeoJSON MultiPolygon of a country or subdivision code, or None when none is shipped."""
    polygons = _polygons(code) if code else None
    return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None


def has_shape(code: str) -> bool:
    return bool(code) and _polygons(code) is not None


@dataclass(frozen=True)
class Bounds:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat

    def intersects(self, other: Bounds) -> bool:
        return not (
            other.min_lon > self.max_lon
            or other.max_lon < self.min_lon
            or other.min_lat > self.max_lat
            or other.max_lat < self.min_lat
        )


def bounds_of(geometries: Iterable[dict[str, Any]]) -> Bounds | None:
    lons: list[float] = []
    lats: list[float] = []
    for geometry in geometries:
        for polygon in _rings(geometry):
            for ring in polygon:
                for position in ring:
                    lons.append(position[0])
                    lats.append(position[1])
    if not lons:
        return None
    return Bounds(min(lons), min(lats), max(lons), max(lats))


@cache
def _bounds(code: str) -> Bounds | None:
    geometry = shape(code)
    return bounds_of([geometry]) if geometry else None


def _rings(geometry: dict[str, Any]) -> Sequence[Sequence[Sequence[Sequence[float]]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry.get("coordinates") or [])


def _in_ring(lon: float, lat: float, ring: Sequence[Sequence[float]]) -> bool:
    """Ray casting: does a ray from the point towards +longitude cross the ring an odd number of times?"""
    inside = False
    previous = ring[-1]
    for current in ring:
        x1, y1 = previous[0], previous[1]
        x2, y2 = current[0], current[1]
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
        previous = current
    return inside


def point_in_geometry(lon: float, lat: float, geometry: dict[str, Any]) -> bool:
    """Whether a point lies in a GeoJSON Polygon or MultiPolygon (holes respected)."""
    for polygon in _rings(geometry):
        if not polygon or not _in_ring(lon, lat, polygon[0]):
            continue
        if not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def _contains(code: str, lon: float, lat: float) -> bool:
    bounds = _bounds(code)
    geometry = shape(code)
    return bool(bounds and geometry and bounds.contains(lon, lat) and point_in_geometry(lon, lat, geometry))


def locate(lon: float, lat: float) -> tuple[str, str]:
    """(country code, subdivision code) of the shipped shapes containing a point; "" where none does.

    The subdivision is one of Natural Earth's first-level units (``ES-B``, not ``ES-CT``).
    Shapes are simplified to about 2 km, so a point within a couple of kilometres of a border
    may land on either side; this is a coarse placement for statistics, never an address.
    """
    country = next((code for code in country_codes() if _contains(code, lon, lat)), "")
    candidates = subdivision_codes(country) if country else subdivision_codes()
    subdivision = next((code for code in candidates if _contains(code, lon, lat)), "")
    if subdivision and not country:
        country = subdivision.split("-")[0]
    return country, subdivision
