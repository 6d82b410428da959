"""Fetching risk records for a user: the only way views and the API get configurations and runs.

Regions, indicators and indicator values are shared platform-wide (aggregate statistics, no
personal data) and need only ``risk.view`` to read. Index configurations, runs, results and
import records belong to the organisation that made them: another organisation's are *not
found* (404), so their existence does not leak.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.risk.models import IndexConfiguration, IndexRun, IndicatorImport, Region, RegionResult


def runs_for(actor: Actor) -> QuerySet[IndexRun]:
    actor.require("risk.view")
    return IndexRun.objects.filter(organisation=actor.organisation).select_related("configuration")


def run_for(actor: Actor, run_id: int) -> IndexRun:
    run = runs_for(actor).filter(pk=run_id).first()
    if run is None:
        raise Http404("no such index run")
    return run


def region_result_for(actor: Actor, run_id: int, code: str) -> RegionResult:
    """One region's result in a run of the actor's organisation."""
    run = run_for(actor, run_id)
    result = run.results.select_related("region", "region__parent").filter(region__code=code).first()
    if result is None:
        raise Http404("region not in this run")
    return result


def configurations_for(actor: Actor) -> QuerySet[IndexConfiguration]:
    actor.require("risk.view")
    return IndexConfiguration.objects.filter(organisation=actor.organisation)


def configuration_for(actor: Actor, configuration_id: int) -> IndexConfiguration:
    configuration = configurations_for(actor).filter(pk=configuration_id).first()
    if configuration is None:
        raise Http404("no such index configuration")
    return configuration


def imports_for(actor: Actor) -> QuerySet[IndicatorImport]:
    actor.require("risk.view")
    return IndicatorImport.objects.filter(organisation=actor.organisation).select_related("created_by")


def import_for(actor: Actor, import_id: int) -> IndicatorImport:
    record = imports_for(actor).filter(pk=import_id).first()
    if record is None:
        raise Http404("no such import")
    return record


def regions_for(actor: Actor) -> QuerySet[Region]:
    actor.require("risk.view")
    return Region.objects.all()


def region_for(actor: Actor, code: str) -> Region:
    region = regions_for(actor).filter(code=code).first()
    if region is None:
        raise Http404("no such region")
    return region
