"""Reading region shapes from GeoJSON, checking every feature before anything is stored.

No Django imports. Only Polygon and MultiPolygon geometries with longitude/latitude
coordinates (RFC 7946) are accepted; each problem is reported with the feature's number.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

__all__ = ["RegionShape", "ShapeError", "geometry_rings", "read_geojson"]


@dataclass(frozen=True)
class RegionShape:
    code: str
    name: str
    geometry: dict[str, Any]


class ShapeError(ValueError):
    """The GeoJSON cannot be imported; ``problems`` lists each problem as (feature number, message)."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def read_geojson(content: bytes | str, *, code_property: str, name_property: str) -> list[RegionShape]:
    """Every feature as a ``RegionShape``, or ``ShapeError`` naming every problem.

    Features are numbered from 1 in file order. A feature needs a non-empty ``code_property``,
    a Polygon or MultiPolygon geometry with closed rings of at least four positions, and
    longitudes in −180…180 and latitudes in −90…90. Codes must be unique within the file.
    """
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ShapeError([(None, f"not valid GeoJSON: {error}")]) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ShapeError([(None, "expected a GeoJSON FeatureCollection")])
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise ShapeError([(None, "the FeatureCollection has no features")])

    problems: list[tuple[int | None, str]] = []
    shapes: list[RegionShape] = []
    first_seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        code = str(properties.get(code_property) or "").strip()
        name = str(properties.get(name_property) or "").strip() or code
        if not code:
            problems.append((number, f"feature {number}: property {code_property!r} is missing or empty"))
        elif code in first_seen:
            problems.append((number, f"feature {number}: code {code!r} repeats feature {first_seen[code]}"))
        else:
            first_seen[code] = number
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        geometry_problem = _geometry_problem(geometry)
        if geometry_problem:
            problems.append((number, f"feature {number} ({code or '?'}): {geometry_problem}"))
        elif code:
            shapes.append(RegionShape(code=code, name=name, geometry=geometry))  # type: ignore[arg-type]
    if problems:
        raise ShapeError(problems)
    return shapes


def geometry_rings(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A geometry as a list of polygons, each a list of rings of [lon, lat] positions."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _geometry_problem(geometry: Any) -> str | None:
    if not isinstance(geometry, dict):
        return "no geometry"
    kind = geometry.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        return f"geometry type {kind!r} is not Polygon or MultiPolygon"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "empty coordinates"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "a polygon has no rings"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
    return None


def _ring_problem(ring: Any) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "a ring has fewer than four positions"
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(c, int | float) and math.isfinite(c) for c in position[:2])
        ):
            return f"position {position!r} is not [longitude, latitude]"
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return f"position {[lon, lat]!r} is outside longitude −180…180 / latitude −90…90"
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return "a ring is not closed (first and last positions differ)"
    return None
