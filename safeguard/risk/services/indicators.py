"""Writes of the shared indicator catalogue and its values: adding indicators, importing tables.

Each service checks ``risk.manage`` for the acting user, runs in one transaction and records an
audit event for every change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.risk import tables
from safeguard.risk.models import (
    Direction,
    ImportFormat,
    ImportStatus,
    Indicator,
    IndicatorImport,
    IndicatorValue,
    Region,
)
from safeguard.risk.services.imports import import_reject, problem_rows
from safeguard.risk.services.regions import country_regions_create

WORLDBANK_SOURCE = "World Bank, World Development Indicators"
WORLDBANK_LICENCE = "CC BY 4.0"


@transaction.atomic
def indicator_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    factor: str,
    direction: int = Direction.MORE,
    unit: str = "",
    source: str = "",
    licence: str = "",
    log_transform: bool = False,
) -> Indicator:
    """Add an indicator to the shared catalogue (needs ``risk.manage``)."""
    actor.require("risk.manage")
    indicator = Indicator(
        code=code.strip(),
        name=name.strip(),
        factor=factor.strip(),
        direction=direction,
        unit=unit,
        source=source,
        licence=licence,
        log_transform=log_transform,
    )
    indicator.full_clean()
    indicator.save()
    audit_record(
        action="risk.indicator_created",
        actor=actor,
        target=indicator,
        detail={"code": indicator.code, "factor": indicator.factor},
    )
    return indicator


def indicator_import(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    format: str,
    region_column: str = "region",
    year_column: str = "",
    year: int | None = None,
    new_indicator_factor: str = "",
    new_indicator_direction: int = Direction.MORE,
) -> IndicatorImport:
    """Import indicator values from a CSV file: every row, or none and every problem listed.

    The file is parsed and checked in full first (unknown regions, unknown indicators,
    non-numeric values, duplicates); a file with any problem is recorded as rejected and no
    value is stored. Otherwise all values are written in one transaction, replacing earlier
    values of the same region, indicator and year. Missing-value markers are skipped.

    World Bank files name countries by ISO alpha-3 code; their country regions are created as
    needed and aggregates (income groups, 'World', …) are listed as left out. Indicators not in
    the catalogue are added with ``new_indicator_factor`` and ``new_indicator_direction`` when
    a factor is given, otherwise they are problems. Needs ``risk.manage``.
    """
    actor.require("risk.manage")
    assert actor.organisation is not None  # required above: roles are held in an organisation
    known_regions = set(Region.objects.values_list("code", flat=True))
    try:
        if format == ImportFormat.LONG:
            parsed = tables.read_long_csv(content, known_regions=known_regions)
        elif format == ImportFormat.WIDE:
            parsed = tables.read_wide_csv(
                content,
                region_column=region_column,
                year_column=year_column or None,
                known_regions=known_regions,
            )
        elif format == ImportFormat.WORLDBANK:
            parsed = tables.read_worldbank_csv(content)
        else:
            raise ValueError(f"not an indicator table format: {format}")
    except tables.TableError as error:
        return import_reject(
            actor=actor, file_name=file_name, format=format, problems=problem_rows(error.problems)
        )

    observations = parsed.observations.dropna(subset=["value"])
    left_out = [{"code": row.code, "name": row.name, "reason": row.reason} for row in parsed.left_out]
    problems: list[dict[str, Any]] = []
    if observations["year"].isna().any():
        if year is None:
            problems.append(
                {
                    "line": None,
                    "column": None,
                    "message": "the file has no year column: name the year column or give the year of all values",
                }
            )
        else:
            observations = observations.assign(year=observations["year"].fillna(year))

    catalogue = {indicator.code: indicator for indicator in Indicator.objects.all()}
    unknown = sorted(set(observations["indicator"]) - set(catalogue))
    if unknown and not new_indicator_factor:
        counts = observations["indicator"].value_counts()
        problems.extend(
            {
                "line": None,
                "column": "indicator",
                "message": f"unknown indicator {code!r} ({counts[code]} values): add it to the catalogue first",
            }
            for code in unknown
        )
    if problems:
        return import_reject(
            actor=actor, file_name=file_name, format=format, problems=problems, left_out=left_out
        )

    with transaction.atomic():
        record = IndicatorImport.objects.create(
            organisation=actor.organisation,
            created_by=actor.user,
            file_name=file_name,
            format=format,
            status=ImportStatus.IMPORTED,
            left_out=left_out,
        )
        for code in unknown:
            catalogue[code] = indicator_create(
                actor=actor,
                code=code,
                name=parsed.indicator_names.get(code) or code,
                factor=new_indicator_factor,
                direction=new_indicator_direction,
                source=WORLDBANK_SOURCE if format == ImportFormat.WORLDBANK else "",
                licence=WORLDBANK_LICENCE if format == ImportFormat.WORLDBANK else "",
            )
        if format == ImportFormat.WORLDBANK:
            country_regions_create(observations["region"].unique())
        region_ids = dict(Region.objects.values_list("code", "pk"))
        values = [
            IndicatorValue(
                region_id=region_ids[row.region],
                indicator_id=catalogue[row.indicator].pk,
                year=int(row.year),
                value=float(row.value),
                source_import=record,
            )
            for row in observations.itertuples(index=False)
        ]
        _replace_values(values)
        record.row_count = len(values)
        record.save(update_fields=["row_count"])
        audit_record(
            action="risk.import_completed",
            actor=actor,
            target=record,
            detail={"format": format, "values": len(values), "left_out": len(left_out)},
        )
    return record


def _replace_values(values: Sequence[IndicatorValue]) -> None:
    """Store values, replacing any existing value of the same region, indicator and year."""
    by_indicator: dict[int, set[tuple[int, int]]] = {}
    for value in values:
        by_indicator.setdefault(value.indicator_id, set()).add((value.region_id, value.year))
    for indicator_id, keys in by_indicator.items():
        region_ids = {region for region, _ in keys}
        years = {year for _, year in keys}
        stale = IndicatorValue.objects.filter(
            indicator_id=indicator_id, region_id__in=region_ids, year__in=years
        ).values_list("pk", "region_id", "year")
        IndicatorValue.objects.filter(
            pk__in=[pk for pk, region, year in stale if (region, year) in keys]
        ).delete()
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
