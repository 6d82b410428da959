"""The cast of the risk tests: a tiny fictional country with four districts and two indicators.

Scores are worked out by hand in ``EXPECTED`` (see docs/risk-index.md for the method): with
the default 2.5 %/97.5 % capping over three regions, poverty 10/20/40 normalises to 0, 1/3, 1
and literacy 90/60/30 (higher is less vulnerable) to 0, 0.5, 1; equal weights give
0, 41.67 and 100. District D has no value at all and stays unscored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.risk.models import (
    Direction,
    IndexConfiguration,
    IndexRun,
    Indicator,
    IndicatorValue,
    Region,
    RegionLevel,
)
from safeguard.risk.services.runs import configuration_create, run_request
from safeguard.testing.fixtures import actor_of


def square(lon: float, lat: float, size: float = 1.0) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def manager(org_a: Organisation, member: Callable[..., User]) -> User:
    """Programme manager of org A: runs and saves indices there."""
    return member(org_a, Role.PROGRAMME_MANAGER, email="pm@alpha.example", name="Pat Manager")


@pytest.fixture
def manager_actor(manager: User, org_a: Organisation) -> Actor:
    return actor_of(manager, org_a)


@pytest.fixture
def country(db: None) -> Region:
    return Region.objects.create(code="XT", name="Testland", level=RegionLevel.COUNTRY, country_code="XT")


@pytest.fixture
def districts(country: Region) -> dict[str, Region]:
    specs = [
        ("XT-A", "Alder", square(0, 0), 50_000),
        ("XT-B", "Birch", square(1, 0), 20_000),
        ("XT-C", "Cedar", square(0, 1), 10_000),
        ("XT-D", "Dogwood", None, None),
    ]
    return {
        code: Region.objects.create(
            code=code,
            name=name,
            level=RegionLevel.DISTRICT,
            parent=country,
            country_code="XT",
            shape=shape,
            child_population=children,
        )
        for code, name, shape, children in specs
    }


@pytest.fixture
def indicators(db: None) -> dict[str, Indicator]:
    return {
        "T.POV": Indicator.objects.create(code="T.POV", name="Poverty", factor="economic", unit="%"),
        "T.LIT": Indicator.objects.create(
            code="T.LIT", name="Literacy", factor="education", direction=Direction.LESS, unit="%"
        ),
    }


VALUES = [
    ("XT-A", 2020, "T.POV", 99.0),  # older than 2022: the index uses the latest value in the window
    ("XT-A", 2022, "T.POV", 10.0),
    ("XT-B", 2022, "T.POV", 20.0),
    ("XT-C", 2022, "T.POV", 40.0),
    ("XT-A", 2022, "T.LIT", 90.0),
    ("XT-B", 2022, "T.LIT", 60.0),
    ("XT-C", 2022, "T.LIT", 30.0),
]

EXPECTED_CSV = (
    "region,name,score,rank,rank_low,rank_high,coverage,economic,education\n"
    "XT-C,Cedar,100.00,1,1,1,1.000,100.00,100.00\n"
    "XT-B,Birch,41.67,2,2,2,1.000,33.33,50.00\n"
    "XT-A,Alder,0.00,3,3,3,1.000,0.00,0.00\n"
    "XT-D,Dogwood,,,,,0.000,,\n"
)


@pytest.fixture
def small_world(districts: dict[str, Region], indicators: dict[str, Indicator]) -> dict[str, Any]:
    for region, year, indicator, value in VALUES:
        IndicatorValue.objects.create(
            region=districts[region], indicator=indicators[indicator], year=year, value=value
        )
    return {"districts": districts, "indicators": indicators}


@pytest.fixture
def configuration(small_world: dict[str, Any], manager_actor: Actor, country: Region) -> IndexConfiguration:
    return configuration_create(
        actor=manager_actor,
        name="Testland districts",
        level=RegionLevel.DISTRICT,
        within=country,
        indicators=list(small_world["indicators"].values()),
        perturbations=0,
    )


@pytest.fixture
def completed_run(
    configuration: IndexConfiguration, manager_actor: Actor, django_capture_on_commit_callbacks: Any
) -> IndexRun:
    """A run computed by the task (tests run tasks inline with the ImmediateBackend)."""
    with django_capture_on_commit_callbacks(execute=True):
        run = run_request(actor=manager_actor, configuration=configuration)
    run.refresh_from_db()
    return run
