"""Imports: all rows in one transaction or none, with every problem listed."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest

from safeguard.core.models import AuditEvent
from safeguard.risk.models import ImportStatus, Indicator, IndicatorImport, IndicatorValue, Region
from safeguard.risk.services.indicators import indicator_import
from safeguard.risk.services.regions import shapes_import

LONG = b"region,year,indicator,value\nXT-A,2021,T.POV,12.5\nXT-B,2021,T.POV,NA\nXT-B,2021,T.LIT,70\n"


def _values() -> list[tuple[str, int, str, float]]:
    return list(
        IndicatorValue.objects.order_by("region__code", "indicator__code", "year").values_list(
            "region__code", "year", "indicator__code", "value"
        )
    )


def test_long_csv_imports_every_value(districts: Any, indicators: Any, manager_actor: Any) -> None:
    record = indicator_import(actor=manager_actor, file_name="long.csv", content=LONG, format="long")
    assert (record.status, record.row_count, record.problems) == (ImportStatus.IMPORTED, 2, [])
    assert _values() == [("XT-A", 2021, "T.POV", 12.5), ("XT-B", 2021, "T.LIT", 70.0)]
    assert record.organisation == manager_actor.organisation
    assert AuditEvent.objects.filter(action="risk.import_completed", object_id=str(record.pk)).count() == 1


def test_long_csv_with_problems_lists_every_one_and_imports_nothing(
    districts: Any, indicators: Any, manager_actor: Any
) -> None:
    content = (
        b"region,year,indicator,value\n"
        b"XT-A,2021,T.POV,12.5\n"
        b"XX-NOWHERE,2021,T.POV,3\n"
        b"XT-B,2021,T.POV,lots\n"
        b"XT-A,2021,T.POV,13\n"
    )
    record = indicator_import(actor=manager_actor, file_name="bad.csv", content=content, format="long")
    assert record.status == ImportStatus.REJECTED
    assert record.problems == [
        {"line": 3, "column": "region", "message": "unknown region 'XX-NOWHERE'"},
        {"line": 4, "column": "value", "message": "'lots' is not a number"},
        {
            "line": 5,
            "column": None,
            "message": "duplicate region + year + indicator XT-A + 2021 + T.POV (first on line 2)",
        },
    ]
    assert IndicatorValue.objects.count() == 0


def test_unknown_indicators_are_problems_unless_a_factor_is_given(
    districts: Any, indicators: Any, manager_actor: Any
) -> None:
    content = b"region,year,indicator,value\nXT-A,2021,NEW.ONE,1\nXT-B,2021,NEW.ONE,2\nXT-A,2021,T.POV,3\n"
    rejected = indicator_import(actor=manager_actor, file_name="new.csv", content=content, format="long")
    assert rejected.problems == [
        {
            "line": None,
            "column": "indicator",
            "message": "unknown indicator 'NEW.ONE' (2 values): add it to the catalogue first",
        }
    ]
    assert IndicatorValue.objects.count() == 0

    accepted = indicator_import(
        actor=manager_actor,
        file_name="new.csv",
        content=content,
        format="long",
        new_indicator_factor="health_access",
        new_indicator_direction=-1,
    )
    assert accepted.row_count == 3
    added = Indicator.objects.get(code="NEW.ONE")
    assert (added.factor, added.direction) == ("health_access", -1)


def test_nothing_is_half_imported_when_writing_fails(
    districts: Any, indicators: Any, manager_actor: Any
) -> None:
    with (
        mock.patch("safeguard.risk.services.indicators.audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError, match="disk full"),
    ):
        indicator_import(actor=manager_actor, file_name="long.csv", content=LONG, format="long")
    assert IndicatorValue.objects.count() == 0
    assert IndicatorImport.objects.count() == 0


def test_import_replaces_values_of_the_same_region_indicator_and_year(
    small_world: Any, manager_actor: Any
) -> None:
    content = b"region,year,indicator,value\nXT-A,2022,T.POV,11\n"
    indicator_import(actor=manager_actor, file_name="fix.csv", content=content, format="long")
    assert IndicatorValue.objects.get(region__code="XT-A", indicator__code="T.POV", year=2022).value == 11.0
    assert IndicatorValue.objects.filter(region__code="XT-A", indicator__code="T.POV").count() == 2


def test_wide_csv_with_and_without_year_column(districts: Any, indicators: Any, manager_actor: Any) -> None:
    with_year = b"district,year,T.POV,T.LIT\nXT-A,2020,10,90\nXT-B,2020,20,\n"
    record = indicator_import(
        actor=manager_actor,
        file_name="wide.csv",
        content=with_year,
        format="wide",
        region_column="district",
        year_column="year",
    )
    assert record.row_count == 3
    undated = b"district,T.POV\nXT-C,40\n"
    missing_year = indicator_import(
        actor=manager_actor, file_name="w.csv", content=undated, format="wide", region_column="district"
    )
    assert missing_year.status == ImportStatus.REJECTED
    assert missing_year.problems[0]["message"].startswith("the file has no year column")
    dated = indicator_import(
        actor=manager_actor,
        file_name="w.csv",
        content=undated,
        format="wide",
        region_column="district",
        year=2023,
    )
    assert dated.row_count == 1
    assert ("XT-C", 2023, "T.POV", 40.0) in _values()


WORLDBANK = (
    '\ufeff"Data Source","World Development Indicators",\n\n"Last Updated Date","2024-01-15",\n\n'
    '"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020",\n'
    '"Kenya","KEN","Child poverty (synthetic)","SYN.CHILD","40","41.5",\n'
    '"World","WLD","Child poverty (synthetic)","SYN.CHILD","30","",\n'
    '"Peru","PER","Child poverty (synthetic)","SYN.CHILD","","22",\n'
).encode()


def test_worldbank_download_creates_countries_and_leaves_out_aggregates(db: None, manager_actor: Any) -> None:
    record = indicator_import(
        actor=manager_actor,
        file_name="API_SYN.CHILD.csv",
        content=WORLDBANK,
        format="worldbank",
        new_indicator_factor="economic",
    )
    assert (record.status, record.row_count) == (ImportStatus.IMPORTED, 3)
    assert record.left_out == [
        {"code": "WLD", "name": "World", "reason": "aggregate or not an ISO 3166-1 country"}
    ]
    assert _values() == [
        ("KE", 2019, "SYN.CHILD", 40.0),
        ("KE", 2020, "SYN.CHILD", 41.5),
        ("PE", 2020, "SYN.CHILD", 22.0),
    ]
    assert list(Region.objects.values_list("code", "name", "level")) == [
        ("KE", "Kenya", "country"),
        ("PE", "Peru", "country"),
    ]
    indicator = Indicator.objects.get(code="SYN.CHILD")
    assert (indicator.name, indicator.licence) == ("Child poverty (synthetic)", "CC BY 4.0")


def test_not_a_worldbank_file_is_rejected(db: None, manager_actor: Any) -> None:
    record = indicator_import(
        actor=manager_actor, file_name="x.csv", content=b"a,b\n1,2\n", format="worldbank"
    )
    assert record.problems == [
        {
            "line": None,
            "column": None,
            "message": "not a World Bank indicator file: no header row starting 'Country Name,Country Code'",
        }
    ]


def _geojson(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _feature(
    code: str | None, ring: list[list[float]] | None = None, kind: str = "Polygon"
) -> dict[str, Any]:
    ring = ring or [[0, 0], [1, 0], [1, 1], [0, 0]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": f"District {code}"},
        "geometry": {"type": kind, "coordinates": [ring]},
    }


def test_geojson_import_sets_shapes_and_creates_districts(
    districts: Any, country: Any, manager_actor: Any
) -> None:
    record = shapes_import(
        actor=manager_actor,
        file_name="shapes.geojson",
        content=_geojson(_feature("XT-D"), _feature("XT-E")),
        parent=country,
    )
    assert (record.status, record.row_count) == (ImportStatus.IMPORTED, 2)
    shape = Region.objects.get(code="XT-D").shape
    assert shape is not None
    assert shape["type"] == "Polygon"
    created = Region.objects.get(code="XT-E")
    assert (created.name, created.level, created.parent, created.country_code) == (
        "District XT-E",
        "district",
        country,
        "XT",
    )


def test_geojson_with_problems_lists_every_feature_and_changes_nothing(
    districts: Any, manager_actor: Any
) -> None:
    record = shapes_import(
        actor=manager_actor,
        file_name="bad.geojson",
        content=_geojson(
            _feature("XT-D"),
            _feature(None),
            _feature("XT-F", [[0, 0], [1, 0], [1, 1], [0, 1]]),
            _feature("XT-G", [[0, 0], [200, 0], [1, 1], [0, 0]]),
            _feature("XT-D"),
            _feature("XT-H", kind="LineString"),
        ),
    )
    assert record.status == ImportStatus.REJECTED
    assert [p["message"] for p in record.problems] == [
        "feature 2: property 'code' is missing or empty",
        "feature 3 (XT-F): a ring is not closed (first and last positions differ)",
        "feature 4 (XT-G): position [200, 0] is outside longitude −180…180 / latitude −90…90",
        "feature 5: code 'XT-D' repeats feature 1",
        "feature 6 (XT-H): geometry type 'LineString' is not Polygon or MultiPolygon",
    ]
    assert Region.objects.get(code="XT-D").shape is None
    assert not Region.objects.filter(code__in=["XT-F", "XT-G", "XT-H"]).exists()
