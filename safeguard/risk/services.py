"""Writes for vulnerability mapping: catalogue entries, imports, configurations and index runs.

Each service runs in one transaction and records an audit event for every change. Permission
checks happen before (views call ``access``); services take the acting ``Actor`` only to
attribute the change to a user and an organisation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.risk import selectors, tables, vulnerability
from safeguard.risk.models import (
    Direction,
    Factor,
    ImportFormat,
    ImportStatus,
    IndexConfiguration,
    IndexRun,
    Indicator,
    IndicatorImport,
    IndicatorValue,
    Region,
    RegionLevel,
    RegionResult,
    RunStatus,
    WeightScheme,
)
from safeguard.risk.shapes import ShapeError, read_geojson

logger = logging.getLogger(__name__)

WORLDBANK_SOURCE = "World Bank, World Development Indicators"
WORLDBANK_LICENCE = "CC BY 4.0"


# --- catalogue and regions --------------------------------------------------------------------


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
    """Add an indicator to the shared catalogue."""
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
        actor=actor.user,
        organisation=actor.organisation,
        target=indicator,
        detail={"code": indicator.code, "factor": indicator.factor},
    )
    return indicator


def _country_regions(alpha2_codes: Iterable[str]) -> None:
    """Create the ISO 3166-1 country regions that do not exist yet (names from pycountry)."""
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
    actor: Actor | None,
    code: str,
    name: str,
    level: str,
    parent: Region | None = None,
    shape: dict[str, Any] | None = None,
    population: int | None = None,
    child_population: int | None = None,
) -> Region:
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
        actor=actor.user if actor else None,
        organisation=actor.organisation if actor else None,
        target=region,
        detail={"code": region.code, "level": region.level},
    )
    return region


# --- imports ----------------------------------------------------------------------------------


def _problem_rows(problems: Iterable[tables.TableProblem]) -> list[dict[str, Any]]:
    return [{"line": p.line, "column": p.column, "message": p.message} for p in problems]


def _rejected(
    *, actor: Actor, file_name: str, format: str, problems: list[dict[str, Any]], left_out: Sequence[Any] = ()
) -> IndicatorImport:
    record = IndicatorImport.objects.create(
        organisation=actor.organisation,
        created_by=actor.user,
        file_name=file_name,
        format=format,
        status=ImportStatus.REJECTED,
        problems=problems,
        left_out=list(left_out),
    )
    audit_record(
        action="risk.import_rejected",
        actor=actor.user,
        organisation=actor.organisation,
        target=record,
        detail={"format": format, "problems": len(problems)},
    )
    return record


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
    a factor is given, otherwise they are problems.
    """
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
        return _rejected(
            actor=actor, file_name=file_name, format=format, problems=_problem_rows(error.problems)
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
        return _rejected(
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
            _country_regions(observations["region"].unique())
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
            actor=actor.user,
            organisation=actor.organisation,
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
    a region of ``level`` (a custom district by default) under ``parent``.
    """
    try:
        shapes = read_geojson(content, code_property=code_property, name_property=name_property)
    except ShapeError as error:
        return _rejected(
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
            actor=actor.user,
            organisation=actor.organisation,
            target=record,
            detail={"shapes": len(shapes), "regions_created": created},
        )
    return record


# --- configurations and runs ------------------------------------------------------------------


@transaction.atomic
def configuration_create(
    *,
    actor: Actor,
    name: str,
    level: str,
    within: Region | None,
    indicators: Sequence[Indicator],
    weights: str = WeightScheme.EQUAL,
    custom_weights: Mapping[str, float] | None = None,
    reference_year: int | None = None,
    window_years: int = 5,
    min_coverage: float = 0.5,
    perturbations: int = 1000,
    seed: int = 0,
) -> IndexConfiguration:
    """Save an index configuration for the actor's organisation; the index method checks it too."""
    configuration = IndexConfiguration(
        organisation=actor.organisation,
        created_by=actor.user,
        name=name,
        level=level,
        within=within,
        weights=weights,
        custom_weights=dict(custom_weights or {}) if weights == WeightScheme.CUSTOM else {},
        reference_year=reference_year,
        window_years=window_years,
        min_coverage=min_coverage,
        perturbations=perturbations,
        seed=seed,
    )
    configuration.full_clean()
    if not indicators:
        raise ValidationError({"indicators": ["Choose at least one indicator."]})
    try:
        _index_config(configuration, list(indicators), reference_year=reference_year)
    except vulnerability.IndexInputError as error:
        raise ValidationError({"__all__": list(error.problems)}) from error
    configuration.save()
    configuration.indicators.set(indicators)
    audit_record(
        action="risk.configuration_created",
        actor=actor.user,
        organisation=actor.organisation,
        target=configuration,
        detail={"indicators": sorted(i.code for i in indicators), "weights": weights},
    )
    return configuration


def _indicator_order(indicator: Indicator) -> tuple[int, str, str]:
    """The four named factors first, in the issue's order, then added factors by name."""
    known = list(Factor.values)
    position = known.index(indicator.factor) if indicator.factor in known else len(known)
    return position, indicator.factor, indicator.code


def _index_config(
    configuration: IndexConfiguration, indicators: Sequence[Indicator], *, reference_year: int | None
) -> vulnerability.IndexConfig:
    weights: Any = configuration.weights
    if weights == WeightScheme.CUSTOM:
        weights = {factor: float(weight) for factor, weight in configuration.custom_weights.items()}
    return vulnerability.IndexConfig(
        indicators=tuple(
            vulnerability.Indicator(
                id=indicator.code,
                factor=indicator.factor,
                direction=1 if indicator.direction == Direction.MORE else -1,
                log=indicator.log_transform,
            )
            for indicator in sorted(indicators, key=_indicator_order)
        ),
        weights=weights,
        reference_year=reference_year,
        window_years=configuration.window_years,
        min_coverage=configuration.min_coverage,
        perturbations=configuration.perturbations,
        seed=configuration.seed,
    )


@transaction.atomic
def run_request(*, actor: Actor, configuration: IndexConfiguration) -> IndexRun:
    """Queue a run of ``configuration``; the background task computes it after this commits."""
    from safeguard.risk.tasks import index_run_execute

    run = IndexRun.objects.create(
        organisation=configuration.organisation,
        configuration=configuration,
        requested_by=actor.user,
        status=RunStatus.QUEUED,
    )
    audit_record(
        action="risk.run_requested",
        actor=actor.user,
        organisation=actor.organisation,
        target=run,
        detail={"configuration": configuration.pk},
    )
    transaction.on_commit(lambda: index_run_execute.enqueue(run_id=run.pk))
    return run


def input_fingerprint(inputs: Sequence[Sequence[Any]]) -> str:
    """SHA-256 of the sorted observations, in a canonical JSON form."""
    canonical = json.dumps(sorted(inputs, key=lambda r: (r[0], r[1], r[2])), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _observation_frame(inputs: Sequence[Sequence[Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(inputs), columns=["region", "year", "indicator", "value"])
    return frame.astype({"region": str, "year": "Int64", "indicator": str, "value": "float64"})


def _finite(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _prepare_inputs(run: IndexRun) -> tuple[vulnerability.IndexConfig, list[list[Any]]]:
    """The exact config (reference year resolved) and observations in the window for a run."""
    configuration = run.configuration
    indicators = list(configuration.indicators.all())
    rows, codes = selectors.index_observations(configuration=configuration)
    reference_year = configuration.reference_year
    if reference_year is None:
        if not rows:
            raise vulnerability.IndexInputError(["no values for any configured indicator in these regions"])
        reference_year = max(year for _, year, _, _ in rows)
    first_year = reference_year - configuration.window_years + 1
    inputs = [[r, y, i, v] for r, y, i, v in rows if first_year <= y <= reference_year]
    # Regions in scope without any value still appear in the result, unscored with coverage 0.
    first_indicator = min(indicator.code for indicator in indicators)
    seen = {row[0] for row in inputs}
    inputs.extend([code, reference_year, first_indicator, None] for code in codes if code not in seen)
    inputs.sort(key=lambda r: (r[0], r[1], r[2]))
    return _index_config(configuration, indicators, reference_year=reference_year), inputs


def run_execute(*, run_id: int) -> IndexRun:
    """Compute a queued run and store its results; a failure is recorded on the run, never lost.

    Guarantees: the run ends ``succeeded`` with one result per region in scope, or ``failed``
    with the reason; results are written in one transaction. Progress (0–100) is updated as the
    sensitivity runs complete, for the page that polls it.
    """
    run = IndexRun.objects.select_related("configuration").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.progress = 1
    run.save(update_fields=["status", "started_at", "progress"])
    try:
        config, inputs = _prepare_inputs(run)
        last = [1]

        def progress(done: int, total: int) -> None:
            percent = 5 + int(90 * done / max(total, 1))
            if percent >= last[0] + 5:
                last[0] = percent
                IndexRun.objects.filter(pk=run.pk).update(progress=percent)

        result = vulnerability.compute_index(_observation_frame(inputs), config, progress=progress)
        _store_result(run, config, inputs, result)
    except vulnerability.IndexInputError as error:
        _fail(run, str(error))
    except Exception:
        logger.exception("index run %s failed", run.pk)
        _fail(run, "The computation failed unexpectedly; the error is in the server log.")
        raise
    run.refresh_from_db()
    return run


def _fail(run: IndexRun, reason: str) -> None:
    with transaction.atomic():
        run.status = RunStatus.FAILED
        run.error = reason
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        audit_record(
            action="risk.run_failed", organisation=run.organisation, target=run, detail={"run": run.pk}
        )


@transaction.atomic
def _store_result(
    run: IndexRun,
    config: vulnerability.IndexConfig,
    inputs: list[list[Any]],
    result: vulnerability.IndexResult,
) -> None:
    region_ids = dict(
        Region.objects.filter(code__in=result.table["region"].tolist()).values_list("code", "pk")
    )
    results = []
    for position, (_, row) in enumerate(result.table.iterrows()):
        explanation = result.explain(row["region"])
        results.append(
            RegionResult(
                run=run,
                region_id=region_ids[row["region"]],
                position=position,
                score=_finite(row["score"]),
                rank=_finite_int(row["rank"]),
                rank_low=_finite_int(row["rank_low"]),
                rank_high=_finite_int(row["rank_high"]),
                coverage=float(row["coverage"]),
                factor_scores={factor: _finite(row[factor]) for factor in config.factors},
                contributions=[
                    {
                        "factor": item.factor,
                        "weight": item.weight,
                        "score": item.score,
                        "contribution": item.contribution,
                    }
                    for item in explanation.factors
                ],
                indicators=[
                    {
                        "indicator": item.indicator,
                        "factor": item.factor,
                        "value": item.value,
                        "year": item.year,
                        "normalised": item.normalised,
                    }
                    for item in explanation.indicators
                ],
            )
        )
    RegionResult.objects.bulk_create(results)
    run.config_snapshot = config.as_dict()
    run.inputs = inputs
    run.input_fingerprint = input_fingerprint(inputs)
    run.reference_year = result.reference_year
    run.weights = result.weights
    run.warnings = list(result.warnings)
    run.sensitivity_runs = result.sensitivity_runs
    run.pca_explained_variance = result.pca_explained_variance
    run.status = RunStatus.SUCCEEDED
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "config_snapshot",
            "inputs",
            "input_fingerprint",
            "reference_year",
            "weights",
            "warnings",
            "sensitivity_runs",
            "pca_explained_variance",
            "status",
            "progress",
            "finished_at",
        ]
    )
    audit_record(
        action="risk.run_completed",
        organisation=run.organisation,
        target=run,
        detail={"regions": len(results), "fingerprint": run.input_fingerprint},
    )


def _finite_int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def run_recompute(run: IndexRun) -> pd.DataFrame:
    """The result table recomputed from a run's stored configuration and inputs (reproducibility)."""
    config = vulnerability.IndexConfig.from_dict(run.config_snapshot)
    return vulnerability.compute_index(_observation_frame(run.inputs), config).table
