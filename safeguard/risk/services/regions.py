"""Writes of the shared regions: creating regions and importing their shapes from GeoJSON.

Each service checks ``risk.manage`` for the acting user, runs in one transaction and records an
audit event for every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pycountry
from django.db import transaction

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.risk.models import ImportFormat, ImportStatus, IndicatorImport, Region, RegionLevel
from safeguard.risk.services.imports import import_reject
from safeguard.risk.shapes import ShapeError, read_geojson


def country_regions_create(alpha2_codes: Iterable[str]) -> None:
    """Create the ISO 3166-1 country regions that do not exist yet (names from pycountry).

    Part of an import the calling service has already permitted; it takes no actor.
    """
    existing = set(Region.objects.filter(code__in=list(alpha2_codes)).values_list("code", flat=True))
    new = []
    for code in sorted(set(alpha2_codes) - existing):
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            new.append(Region(code=code, name=country.name, level=RegionLevel.COUNTRY, country_code=code))
    Region.objects.bulk_create(new)


@transaction.atomic
def region_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    level: str,
    parent: Region | None = None,
    shape: dict[str, Any] | None = None,
    population: int | None = None,
    child_population: int | None = None,
) -> Region:
    """Add a region to the shared list (needs ``risk.manage``)."""
    actor.require("risk.manage")
    region = Region(
        code=code,
        name=name,
        level=level,
        parent=parent,
        country_code=(code[:2] if level != RegionLevel.DISTRICT else (parent.country_code if parent else "")),
        shape=shape,
        population=population,
        child_population=child_population,
    )
    region.full_clean()
    region.save()
    audit_record(
        action="risk.region_created",
        actor=actor,
        target=region,
        detail={"code": region.code, "level": region.level},
    )
    return region


def shapes_import(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    code_property: str = "code",
    name_property: str = "name",
    parent: Region | None = None,
    level: str = RegionLevel.DISTRICT,
) -> IndicatorImport:
    """Import region shapes from GeoJSON: all features, or none and every problem listed.

    A feature whose code is a known region gives that region its shape; an unknown code creates
    a region of ``level`` (a custom district by default) under ``parent``. Needs ``risk.manage``.
    """
    actor.require("risk.manage")
    assert actor.organisation is not None  # required above: roles are held in an organisation
    try:
        shapes = read_geojson(content, code_property=code_property, name_property=name_property)
    except ShapeError as error:
        return import_reject(
            actor=actor,
            file_name=file_name,
            format=ImportFormat.GEOJSON,
            problems=[{"line": None, "column": None, "message": message} for _, message in error.problems],
        )
    with transaction.atomic():
        record = IndicatorImport.objects.create(
            organisation=actor.organisation,
            created_by=actor.user,
            file_name=file_name,
            format=ImportFormat.GEOJSON,
            status=ImportStatus.IMPORTED,
            row_count=len(shapes),
        )
        existing = {
            region.code: region for region in Region.objects.filter(code__in=[s.code for s in shapes])
        }
        created = 0
        for shape in shapes:
            region = existing.get(shape.code)
            if region is None:
                region_create(
                    actor=actor,
                    code=shape.code,
                    name=shape.name,
                    level=level,
                    parent=parent,
                    shape=shape.geometry,
                )
                created += 1
            else:
                region.shape = shape.geometry
                region.save(update_fields=["shape", "updated_at"])
        audit_record(
            action="risk.shapes_imported",
            actor=actor,
            target=record,
            detail={"shapes": len(shapes), "regions_created": created},
        )
    return record
