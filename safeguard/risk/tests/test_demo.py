"""The demo: fictional Examplia with 30 shaped districts, the World Bank sample, a finished run."""

from __future__ import annotations

import io
import random
from typing import Any

from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.portal.demo import DemoWorld
from safeguard.risk import demo
from safeguard.risk.models import (
    IndexConfiguration,
    IndexRun,
    Indicator,
    IndicatorValue,
    Region,
    RegionLevel,
    RunStatus,
)
from safeguard.testing.fixtures import make_member


def _world() -> DemoWorld:
    ministry = Organisation.objects.create(
        slug="ministry-social", name="Ministry (demo)", kind=OrganisationKind.NGO
    )
    user = make_member(ministry, Role.PROGRAMME_MANAGER, email=demo.PROGRAMME_MANAGER)
    return DemoWorld(
        seed=2026,
        rng=random.Random(2026),
        organisations={"ministry-social": ministry},
        users={demo.PROGRAMME_MANAGER: user},
        created=True,
        log=io.StringIO(),
    )


def test_districts_are_deterministic_and_tile_without_gaps() -> None:
    first, second = demo.examplia_districts(7), demo.examplia_districts(7)
    assert first == second
    assert len(first) == 30
    assert len({d.code for d in first}) == 30
    assert all(d.polygon[0] == d.polygon[-1] and len(d.polygon) == 5 for d in first)


def test_seed_is_idempotent_and_leaves_a_completed_run(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    world = _world()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(world)
    counts = (
        Region.objects.count(),
        Indicator.objects.count(),
        IndicatorValue.objects.count(),
        IndexRun.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(world)
    assert (
        Region.objects.count(),
        Indicator.objects.count(),
        IndicatorValue.objects.count(),
        IndexRun.objects.count(),
    ) == counts

    assert (
        Region.objects.filter(level=RegionLevel.DISTRICT, parent__code="XE", shape__isnull=False).count()
        == 30
    )
    assert Region.objects.get(code="XE").name == "Examplia (fictional)"
    # Demo reports with coordinates are placed in districts, so targeting has a count for each.
    from safeguard.risk import selectors

    shaped = Region.objects.filter(level=RegionLevel.DISTRICT, parent__code="XE")
    district_counts = selectors.report_counts(shaped)
    assert None not in district_counts.values()
    assert sum(count or 0 for count in district_counts.values()) > 20
    assert set(Indicator.objects.filter(code__startswith="XE.").values_list("factor", flat=True)) == {
        "economic",
        "education",
        "geography",
        "community",
    }
    assert (
        Region.objects.filter(level=RegionLevel.COUNTRY, values__indicator__code="SI.POV.NAHC")
        .distinct()
        .count()
        > 100
    )
    districts = IndexConfiguration.objects.get(name=demo.DISTRICTS_CONFIGURATION)
    run = districts.runs.get(status=RunStatus.SUCCEEDED)
    assert run.results.count() == 30
    assert run.results.filter(score__isnull=True).count() == 1  # the sparse district
    assert (
        IndexConfiguration.objects.get(name=demo.COUNTRIES_CONFIGURATION)
        .runs.filter(status=RunStatus.SUCCEEDED)
        .exists()
    )
