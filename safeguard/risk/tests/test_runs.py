"""Index runs: the background task, stored results, reproducibility and failures."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.core.models import AuditEvent
from safeguard.risk.models import IndexConfiguration, IndexRun, IndicatorValue, RegionResult, RunStatus
from safeguard.risk.selectors import run_recompute
from safeguard.risk.services.runs import configuration_create, input_fingerprint, run_execute, run_request
from safeguard.risk.tasks import index_run_execute


def _summary(run: IndexRun) -> list[tuple[str, float | None, int | None, int | None, int | None, float]]:
    return [
        (
            r.region.code,
            None if r.score is None else round(r.score, 4),
            r.rank,
            r.rank_low,
            r.rank_high,
            r.coverage,
        )
        for r in run.results.select_related("region").order_by("position")
    ]


def test_run_request_queues_then_task_computes_on_commit(
    configuration: IndexConfiguration, manager_actor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = run_request(actor=manager_actor, configuration=configuration)
    assert run.status == RunStatus.QUEUED
    assert RegionResult.objects.count() == 0
    assert len(callbacks) == 1

    callbacks[0]()
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.progress == 100
    assert run.reference_year == 2022
    assert _summary(run) == [
        ("XT-C", 100.0, 1, 1, 1, 1.0),
        ("XT-B", 41.6667, 2, 2, 2, 1.0),
        ("XT-A", 0.0, 3, 3, 3, 1.0),
        ("XT-D", None, None, None, None, 0.0),
    ]
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "risk.configuration_created",
        "risk.run_requested",
        "risk.run_completed",
    ]


def test_result_explains_score_with_factor_contributions(completed_run: IndexRun) -> None:
    birch = completed_run.results.get(region__code="XT-B")
    assert birch.factor_scores == {"economic": pytest.approx(33.3333, abs=1e-4), "education": 50.0}
    assert [(c["factor"], c["weight"], round(c["contribution"], 4)) for c in birch.contributions] == [
        ("economic", 0.5, 16.6667),
        ("education", 0.5, 25.0),
    ]
    assert [(i["indicator"], i["value"], i["year"]) for i in birch.indicators] == [
        ("T.POV", 20.0, 2022),
        ("T.LIT", 60.0, 2022),
    ]


def test_run_stores_exact_inputs_and_fingerprint(completed_run: IndexRun) -> None:
    # The 2020 value is outside the window (2018–2022 includes it) but older than 2022: the
    # snapshot keeps every value in the window; the index uses the latest.
    assert completed_run.inputs[:2] == [["XT-A", 2020, "T.POV", 99.0], ["XT-A", 2022, "T.LIT", 90.0]]
    assert completed_run.inputs[-1] == ["XT-D", 2022, "T.LIT", None]
    assert completed_run.input_fingerprint == input_fingerprint(completed_run.inputs)
    assert len(completed_run.input_fingerprint) == 64
    assert completed_run.config_snapshot["reference_year"] == 2022
    assert [i["id"] for i in completed_run.config_snapshot["indicators"]] == ["T.POV", "T.LIT"]


def test_stored_run_recomputes_to_the_same_numbers(completed_run: IndexRun) -> None:
    table = run_recompute(completed_run)
    assert table["region"].tolist() == ["XT-C", "XT-B", "XT-A", "XT-D"]
    assert [round(s, 4) for s in table["score"].dropna()] == [100.0, 41.6667, 0.0]


def test_rerun_on_same_data_gives_same_fingerprint_and_numbers(
    completed_run: IndexRun, manager_actor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        again = run_request(actor=manager_actor, configuration=completed_run.configuration)
    again.refresh_from_db()
    assert again.input_fingerprint == completed_run.input_fingerprint
    assert _summary(again) == _summary(completed_run)


def test_later_import_does_not_change_a_saved_run(completed_run: IndexRun, small_world: Any) -> None:
    IndicatorValue.objects.filter(region__code="XT-A", year=2022, indicator__code="T.POV").update(value=80.0)
    assert _summary(IndexRun.objects.get(pk=completed_run.pk))[2] == ("XT-A", 0.0, 3, 3, 3, 1.0)
    assert run_recompute(completed_run)["score"].round(4).tolist()[:3] == [100.0, 41.6667, 0.0]


def test_run_without_data_fails_with_reason(
    country: Any, indicators: Any, manager_actor: Any, django_capture_on_commit_callbacks: Any, districts: Any
) -> None:
    configuration = configuration_create(
        actor=manager_actor,
        name="Empty",
        level="district",
        within=country,
        indicators=list(indicators.values()),
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = run_request(actor=manager_actor, configuration=configuration)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error == "no values for any configured indicator in these regions"
    assert run.results.count() == 0


def test_task_ignores_a_run_that_is_not_queued(completed_run: IndexRun) -> None:
    index_run_execute.call(run_id=completed_run.pk)
    assert completed_run.results.count() == 4


def test_pca_and_custom_weights(small_world: Any, manager_actor: Any, country: Any) -> None:
    configuration = configuration_create(
        actor=manager_actor,
        name="Custom",
        level="district",
        within=country,
        indicators=list(small_world["indicators"].values()),
        weights="custom",
        custom_weights={"economic": 3, "education": 1},
        perturbations=50,
    )
    queued = run_request(actor=manager_actor, configuration=configuration)
    run = run_execute(run_id=queued.pk)
    assert run.weights == {"economic": 0.75, "education": 0.25}
    birch = run.results.get(region__code="XT-B")
    assert birch.score is not None
    assert round(birch.score, 4) == round(0.75 * 100 / 3 + 0.25 * 50, 4)
    assert run.sensitivity_runs == 52


def test_custom_weights_must_name_every_factor(small_world: Any, manager_actor: Any, country: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="weights must name exactly the factors") as raised:
        configuration_create(
            actor=manager_actor,
            name="Bad",
            level="district",
            within=country,
            indicators=list(small_world["indicators"].values()),
            weights="custom",
            custom_weights={"economic": 1},
        )
    assert raised.value.message_dict["__all__"] == [
        "weights must name exactly the factors ['economic', 'education']; got ['economic']"
    ]
    assert IndexConfiguration.objects.count() == 0
