"""Writes of index configurations and runs: saving a configuration, queueing and computing runs.

A configuration and its runs belong to the actor's organisation. ``configuration_create`` and
``run_request`` act for a user and check ``risk.manage``; ``run_execute`` is the background
task's body and takes no actor. Each writes in one transaction with an audit event.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.risk import selectors, vulnerability
from safeguard.risk.models import (
    Direction,
    Factor,
    IndexConfiguration,
    IndexRun,
    Indicator,
    Region,
    RegionResult,
    RunStatus,
    WeightScheme,
)

logger = logging.getLogger(__name__)


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
    """Save an index configuration for the actor's organisation (needs ``risk.manage``); the
    index method checks it too."""
    actor.require("risk.manage")
    assert actor.organisation is not None  # required above: roles are held in an organisation
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
        actor=actor,
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
    """Queue a run of ``configuration``; the background task computes it after this commits.

    Needs ``risk.manage`` in the configuration's organisation.
    """
    from safeguard.risk.tasks import index_run_execute

    actor.require("risk.manage")
    if configuration.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied("index configuration of another organisation")
    run = IndexRun.objects.create(
        organisation=configuration.organisation,
        configuration=configuration,
        requested_by=actor.user,
        status=RunStatus.QUEUED,
    )
    audit_record(
        action="risk.run_requested",
        actor=actor,
        target=run,
        detail={"configuration": configuration.pk},
    )
    transaction.on_commit(lambda: index_run_execute.enqueue(run_id=run.pk))
    return run


def input_fingerprint(inputs: Sequence[Sequence[Any]]) -> str:
    """SHA-256 of the sorted observations, in a canonical JSON form."""
    canonical = json.dumps(sorted(inputs, key=lambda r: (r[0], r[1], r[2])), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


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

    Called by the background task (no actor: the user who queued the run was checked then).

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

        result = vulnerability.compute_index(selectors.observation_frame(inputs), config, progress=progress)
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
