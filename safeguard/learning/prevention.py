"""Training coverage for the risk app's prevention targeting page: a column and a map layer.

The risk view calls ``training_coverage`` once and renders two includes of this app
(``learning/_coverage_*.html``); the figures are completions of the run's organisation's own
learners (``selectors.visible_completions``), never another organisation's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safeguard.learning.coverage import Basis, CoverageInput, CoverageRow, coverage_rows
from safeguard.learning.selectors import completions_in_regions
from safeguard.risk import charts
from safeguard.risk.targeting import TargetingInput, TargetingRow, targeting_rows

LAYER_CLASSES = ("coverage-campaign", "coverage-low", "coverage-ok", "coverage-none")


@dataclass
class TrainingCoverage:
    cells: dict[str, CoverageRow]
    basis: Basis
    campaign_count: int
    map_svg: SafeString
    legend: list[dict[str, str]] = field(default_factory=list)


def _layer_class(row: CoverageRow, scored: bool) -> str:
    if not scored:
        return "coverage-none"
    if row.campaign:
        return "coverage-campaign"
    return "coverage-low" if row.low else "coverage-ok"


def _label(name: str, row: CoverageRow, basis: Basis, scored: bool) -> str:
    label = ngettext("%(name)s: %(count)s completion", "%(name)s: %(count)s completions", row.completions) % {
        "name": name,
        "count": row.completions,
    }
    if row.per_100k is not None:
        per = _("per 100,000 children") if basis == "children" else _("per 100,000 people")
        label += f" ({row.per_100k:.1f} {per})"
    if row.campaign:
        return label + " — " + _("high vulnerability, low training coverage: campaign target")
    if row.low:
        return label + " — " + _("low training coverage")
    return label if scored else label + " — " + _("no vulnerability score")


def vulnerability_flags(results: Sequence[Any]) -> list[TargetingRow]:
    """The risk app's targeting rows of a run's results without report counts: its
    high-vulnerability flag (the most vulnerable quarter) is all coverage needs."""
    rows, _rates = targeting_rows(
        [
            TargetingInput(r.region.code, r.score, r.rank, r.region.child_population, None, None)
            for r in results
        ]
    )
    return rows


def coverage_of_run(
    *, run: Any, results: Sequence[Any], targeting: Sequence[Any]
) -> tuple[list[CoverageRow], Basis]:
    """Coverage of each region of the run and its campaign-target flag, in the results' order.

    ``results`` are the run's ``RegionResult`` rows and ``targeting`` the risk app's targeting
    rows (for its high-vulnerability flag), both in the same order.
    """
    regions = [result.region for result in results]
    counts = completions_in_regions(organisation=run.organisation, codes=[region.code for region in regions])
    rows, basis = coverage_rows(
        [
            CoverageInput(
                region=region.code,
                scored=target.rank is not None,
                high_vulnerability=target.high_vulnerability,
                completions=counts[region.code],
                child_population=region.child_population,
                population=region.population,
            )
            for region, target in zip(regions, targeting, strict=True)
        ]
    )
    return rows, basis


def training_coverage(*, run: Any, results: Sequence[Any], targeting: Sequence[Any]) -> TrainingCoverage:
    """Coverage of each region of the run, its campaign-target flag, and the map layer's SVG."""
    rows, basis = coverage_of_run(run=run, results=results, targeting=targeting)
    regions = [result.region for result in results]
    cells = {row.region: row for row in rows}
    shapes = [
        charts.MapRegion(
            code=region.code,
            geometry=region.shape,
            css_class=_layer_class(cells[region.code], target.rank is not None),
            label=_label(region.name, cells[region.code], basis, target.rank is not None),
            href=reverse("risk:region", kwargs={"run_id": run.pk, "code": region.code}),
        )
        for region, target in zip(regions, targeting, strict=True)
        if region.shape
    ]
    svg = charts.choropleth_svg(
        shapes,
        title=_("Training coverage map: %(name)s") % {"name": run.configuration.name},
        description=_(
            "Each region is coloured by training coverage beside vulnerability; the darkest regions "
            "are highly vulnerable with low training coverage. The same figures are in the table."
        ),
    )
    legend = [
        {"css_class": "coverage-campaign", "label": _("High vulnerability, low coverage: campaign target")},
        {"css_class": "coverage-low", "label": _("Low training coverage")},
        {"css_class": "coverage-ok", "label": _("Training coverage at or above half the median")},
        {"css_class": "coverage-none", "label": _("No vulnerability score")},
    ]
    return TrainingCoverage(
        cells=cells,
        basis=basis,
        campaign_count=sum(row.campaign for row in rows),
        map_svg=mark_safe(svg),  # noqa: S308 - escaped in risk.charts
        legend=legend,
    )
