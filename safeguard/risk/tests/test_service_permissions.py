"""Every risk service that acts for a user checks the permission itself: a caller with the wrong
role, or a user of another organisation, gets PermissionDenied and nothing is written (no row,
no audit event, no task queued)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.risk.models import (
    IndexConfiguration,
    IndexRun,
    Indicator,
    IndicatorImport,
    IndicatorValue,
    Region,
    RegionLevel,
    RegionResult,
)
from safeguard.risk.services.indicators import indicator_create, indicator_import
from safeguard.risk.services.regions import region_create, shapes_import
from safeguard.risk.services.runs import configuration_create, run_request
from safeguard.testing.fixtures import actor_of

LONG = b"region,year,indicator,value\nXT-A,2023,T.POV,12.5\n"
GEOJSON = (
    b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "XT-N",'
    b' "name": "New"}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}]}'
)

# service name → a call of it, given the acting user and the world of conftest (org A's data).
CALLS: dict[str, Callable[[Actor, dict[str, Any]], object]] = {
    "indicator_create": lambda actor, world: indicator_create(
        actor=actor, code="T.NEW", name="New", factor="economic"
    ),
    "region_create": lambda actor, world: region_create(
        actor=actor, code="XT-N", name="New", level=RegionLevel.DISTRICT, parent=world["country"]
    ),
    "indicator_import": lambda actor, world: indicator_import(
        actor=actor, file_name="long.csv", content=LONG, format="long"
    ),
    "indicator_import (rejected file)": lambda actor, world: indicator_import(
        actor=actor, file_name="bad.csv", content=b"nothing useful", format="long"
    ),
    "shapes_import": lambda actor, world: shapes_import(
        actor=actor, file_name="shapes.geojson", content=GEOJSON, parent=world["country"]
    ),
    "configuration_create": lambda actor, world: configuration_create(
        actor=actor,
        name="Another",
        level=RegionLevel.DISTRICT,
        within=world["country"],
        indicators=list(world["indicators"].values()),
        perturbations=0,
    ),
    "run_request": lambda actor, world: run_request(actor=actor, configuration=world["configuration"]),
}

# who → the actor, from the users of conftest and the shared cast.
WHO: dict[str, Callable[[dict[str, Any]], Actor]] = {
    # risk.view but not risk.manage
    "supervisor of org A": lambda people: actor_of(people["supervisor_a"], people["org_a"]),
    # no risk role at all
    "operator of org A": lambda people: actor_of(people["bob"], people["org_a"]),
    # an analyst of org B claiming org A, where they hold no role
    "analyst of org B in org A": lambda people: actor_of(people["analyst_b"], people["org_a"]),
}


def _written() -> dict[str, int]:
    models: list[Any] = [
        Indicator,
        Region,
        IndicatorImport,
        IndicatorValue,
        IndexConfiguration,
        IndexRun,
        RegionResult,
        AuditEvent,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def world(configuration: IndexConfiguration, country: Region, small_world: dict[str, Any]) -> dict[str, Any]:
    return {"configuration": configuration, "country": country, "indicators": small_world["indicators"]}


@pytest.fixture
def people(
    org_a: Organisation, org_b: Organisation, supervisor_a: User, bob: User, analyst_b: User
) -> dict[str, Any]:
    return {"org_a": org_a, "org_b": org_b, "supervisor_a": supervisor_a, "bob": bob, "analyst_b": analyst_b}


@pytest.mark.parametrize("who", list(WHO))
@pytest.mark.parametrize("service", list(CALLS))
def test_denied_callers_write_nothing(
    service: str,
    who: str,
    world: dict[str, Any],
    people: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = WHO[who](people)
    before = _written()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(PermissionDenied, match=r"risk\.manage"),
    ):
        CALLS[service](actor, world)
    assert _written() == before
    assert callbacks == []


def test_a_manager_of_org_b_cannot_run_org_a_configuration(
    world: dict[str, Any], org_b: Organisation, analyst_b: User, django_capture_on_commit_callbacks: Any
) -> None:
    before = _written()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(PermissionDenied, match="another organisation"),
    ):
        run_request(actor=actor_of(analyst_b, org_b), configuration=world["configuration"])
    assert _written() == before
    assert callbacks == []


AUDITED = {
    "indicator_create": ["risk.indicator_created"],
    "region_create": ["risk.region_created"],
    "indicator_import": ["risk.import_completed"],
    "indicator_import (rejected file)": ["risk.import_rejected"],
    "shapes_import": ["risk.region_created", "risk.shapes_imported"],
    "configuration_create": ["risk.configuration_created"],
    "run_request": ["risk.run_requested"],
}


@pytest.mark.parametrize("service", list(CALLS))
def test_a_manager_of_org_a_is_allowed(
    service: str, world: dict[str, Any], manager_actor: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    """The matrix's other side: the same calls succeed for a programme manager of org A."""
    last = AuditEvent.objects.order_by("pk").last()
    with django_capture_on_commit_callbacks(execute=False):
        CALLS[service](manager_actor, world)
    new = AuditEvent.objects.filter(pk__gt=last.pk if last else 0).order_by("pk")
    assert list(new.values_list("action", flat=True)) == AUDITED[service]
    assert set(new.values_list("actor", flat=True)) == {manager_actor.user.pk}
