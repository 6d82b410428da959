"""Pages for vulnerability mapping. Thin: check access, validate input, call one service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core import mapexport
from safeguard.core.forms import apply_service_errors, submitted
from safeguard.core.templatetags.localised import when
from safeguard.learning.prevention import training_coverage
from safeguard.risk import access, charts, exports, selectors
from safeguard.risk.forms import ConfigurationForm, ImportForm, IndicatorForm, ShapesForm
from safeguard.risk.models import Direction, ImportStatus, IndexRun, Indicator, RegionResult, factor_label
from safeguard.risk.services import indicators as indicators_service
from safeguard.risk.services import regions as regions_service
from safeguard.risk.services import runs as runs_service
from safeguard.risk.targeting import TargetingInput, targeting_rows


@staff_view("risk.view")
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    runs = access.runs_for(actor).select_related("requested_by")[:20]
    configurations = access.configurations_for(actor).prefetch_related("indicators")[:20]
    return render(
        request,
        "risk/overview.html",
        {"runs": runs, "configurations": configurations, "can_manage": actor.can("risk.manage")},
    )


@staff_view("risk.view")
def indicators(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = None
    if actor.can("risk.manage"):
        form = IndicatorForm(request.POST or None)
    if request.method == "POST":
        actor.require("risk.manage")
        assert form is not None
        data = form.cleaned_data if form.is_valid() else {}
        if submitted(
            request,
            form,
            lambda: indicators_service.indicator_create(
                actor=actor,
                code=data["code"],
                name=data["name"],
                factor=data["factor"],
                direction=data["direction"],
                unit=data["unit"],
                source=data["source"],
                licence=data["licence"],
                log_transform=data["log_transform"],
            ),
            _("Indicator %(code)s added.") % {"code": data.get("code", "")},
        ):
            return redirect("risk:indicators")
    return render(
        request, "risk/indicators.html", {"indicators": selectors.indicator_catalogue(), "form": form}
    )


@staff_view("risk.view")
def imports(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = ImportForm(request.POST or None, request.FILES or None) if actor.can("risk.manage") else None
    if request.method == "POST":
        actor.require("risk.manage")
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            record = indicators_service.indicator_import(
                actor=actor,
                file_name=upload.name[:255],
                content=upload.read(),
                format=data["format"],
                region_column=(data["region_column"] or "region").strip(),
                year_column=(data["year_column"] or "").strip(),
                year=data["year"],
                new_indicator_factor=data["new_indicator_factor"] or "",
                new_indicator_direction=data["new_indicator_direction"],
            )
            return redirect("risk:import_detail", import_id=record.pk)
    return render(
        request,
        "risk/imports.html",
        {"form": form, "imports": access.imports_for(actor)[:50]},
    )


@staff_view("risk.manage")
def shapes_import(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = ShapesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = regions_service.shapes_import(
            actor=actor,
            file_name=data["file"].name[:255],
            content=data["file"].read(),
            code_property=data["code_property"],
            name_property=data["name_property"],
            parent=data["parent"],
            level=data["level"],
        )
        return redirect("risk:import_detail", import_id=record.pk)
    return render(request, "risk/shapes_import.html", {"form": form})


@staff_view("risk.view")
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    record = access.import_for(actor_for(request), import_id)
    return render(
        request,
        "risk/import_detail.html",
        {"record": record, "rejected": record.status == ImportStatus.REJECTED},
    )


@staff_view("risk.manage")
def configuration_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = ConfigurationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            configuration = runs_service.configuration_create(
                actor=actor,
                name=data["name"],
                level=data["level"],
                within=data["within"],
                indicators=list(data["indicators"]),
                weights=data["weights"],
                custom_weights=data["custom_weights"],
                reference_year=data["reference_year"],
                window_years=data["window_years"],
                min_coverage=data["min_coverage"],
                perturbations=data["perturbations"],
                seed=data["seed"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            run = runs_service.run_request(actor=actor, configuration=configuration)
            return redirect("risk:run", run_id=run.pk)
    return render(request, "risk/configuration_form.html", {"form": form})


@require_POST
@staff_view("risk.manage")
def configuration_run(request: HttpRequest, configuration_id: int) -> HttpResponse:
    actor = actor_for(request)
    configuration = access.configuration_for(actor, configuration_id)
    run = runs_service.run_request(actor=actor, configuration=configuration)
    return redirect("risk:run", run_id=run.pk)


def _map_svg(run: IndexRun, results: list[RegionResult]) -> str:
    regions = [
        charts.MapRegion(
            code=result.region.code,
            geometry=geometry,
            css_class=charts.score_class(result.score),
            label=_score_label(result),
            href=reverse("risk:region", kwargs={"run_id": run.pk, "code": result.region.code}),
        )
        for result in results
        if (geometry := charts.region_geometry(result.region.code, result.region.shape))
    ]
    return charts.choropleth_svg(
        regions,
        title=_("Vulnerability map: %(name)s") % {"name": run.configuration.name},
        description=_(
            "Each region is coloured by its vulnerability score from 0 to 100; darker means more "
            "vulnerable. The same figures are in the ranked table below."
        ),
    )


def _score_label(result: RegionResult) -> str:
    if result.score is None:
        return _("%(name)s: no score (coverage %(coverage)s%%)") % {
            "name": result.region.name,
            "coverage": round(100 * result.coverage),
        }
    return _("%(name)s: score %(score).1f, rank %(rank)s (%(low)s–%(high)s)") % {
        "name": result.region.name,
        "score": result.score,
        "rank": result.rank,
        "low": result.rank_low,
        "high": result.rank_high,
    }


def _source_line(run: IndexRun) -> str:
    return _(
        "Safeguard vulnerability index, run #%(run)s (%(name)s). Boundaries: Natural Earth (public "
        "domain) and imported district shapes."
    ) % {"run": run.pk, "name": run.configuration.name}


def _legend() -> list[dict[str, Any]]:
    entries = [
        {"css_class": css_class, "label": _("%(low)d to %(high)d") % {"low": low, "high": high}}
        for css_class, low, high in charts.score_classes()
    ]
    return [*reversed(entries), {"css_class": charts.NO_SCORE_CLASS, "label": _("No score")}]


@staff_view("risk.view")
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = actor_for(request)
    run = access.run_for(actor, run_id)
    results = selectors.run_results(run)
    context: dict[str, Any] = {
        "run": run,
        "results": results,
        "factors": [(factor, factor_label(factor)) for factor in run.factors],
        "can_manage": actor.can("risk.manage"),
        "weight_list": [
            (factor_label(factor), round(100 * weight)) for factor, weight in run.weights.items()
        ],
    }
    if results:
        context["map_svg"] = mark_safe(_map_svg(run, results))  # noqa: S308 - escaped in charts
        context["legend"] = _legend()
        context["source_line"] = _source_line(run)
        context["without_shape"] = [
            result
            for result in results
            if not charts.region_geometry(result.region.code, result.region.shape)
        ]
        for result in results:
            result.factor_list = [result.factor_scores.get(factor) for factor in run.factors]  # type: ignore[attr-defined]
            result.css_class = charts.score_class(result.score)  # type: ignore[attr-defined]
        context["map_downloads"] = _map_downloads(run)
    return render(request, "risk/run_detail.html", context)


def _map_downloads(run: IndexRun) -> list[dict[str, str]]:
    return [
        {"href": reverse("risk:map_png", kwargs={"run_id": run.pk}), "label": _("Download the map (PNG)")},
        {"href": reverse("risk:map_pdf", kwargs={"run_id": run.pk}), "label": _("Download the map (PDF)")},
    ]


@staff_view("risk.view")
def run_map_export(request: HttpRequest, run_id: int, fmt: str) -> HttpResponse:
    """The run's map as a printable PNG or PDF: title, map, legend and source line."""
    run = access.run_for(actor_for(request), run_id)
    results = selectors.run_results(run)
    svg = _map_svg(run, results) if results else ""
    if not svg:
        raise Http404(_("This run has no map yet."))
    sheet = mapexport.MapSheet(
        title=_("Vulnerability map: %(name)s") % {"name": run.configuration.name},
        subtitle=" · ".join(
            part
            for part in (
                _("Run #%(number)s") % {"number": run.pk},
                run.configuration.get_level_display(),
                when(run.finished_at),
            )
            if part
        ),
        legend_title=_("Vulnerability score"),
        legend=[mapexport.LegendEntry(**entry) for entry in _legend()],
        note=_("Darker is more vulnerable."),
        source_line=_source_line(run),
        map_svg=svg,
    )
    response = HttpResponse(mapexport.render(sheet, fmt), content_type=mapexport.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="vulnerability-map-run-{run.pk}.{fmt}"'
    return response


@staff_view("risk.view")
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """The status fragment the run page polls; a finished run makes htmx reload the whole page."""
    run = access.run_for(actor_for(request), run_id)
    response = render(request, "risk/_run_status.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@staff_view("risk.view")
def region_profile(request: HttpRequest, run_id: int, code: str) -> HttpResponse:
    result = access.region_result_for(actor_for(request), run_id, code)
    run = result.run
    factor_bars = charts.bar_chart_svg(
        [(factor_label(factor), result.factor_scores.get(factor)) for factor in run.factors],
        title=_("Factor scores of %(name)s (0–100)") % {"name": result.region.name},
        no_value=_("no data"),
    )
    indicator_codes = [indicator["id"] for indicator in run.config_snapshot.get("indicators", [])]
    catalogue = {i.code: i for i in Indicator.objects.filter(code__in=indicator_codes)}
    used = {item["indicator"]: item for item in result.indicators}
    trends = selectors.region_trends(region=result.region, indicator_codes=indicator_codes)
    indicator_rows = []
    for spec in run.config_snapshot.get("indicators", []):
        indicator = catalogue.get(spec["id"])
        name = indicator.name if indicator else spec["id"]
        item = used.get(spec["id"])
        indicator_rows.append(
            {
                "code": spec["id"],
                "name": name,
                "factor": factor_label(spec["factor"]),
                "unit": indicator.unit if indicator else "",
                "direction": Direction(spec["direction"]).label,
                "item": item,
                "value": None if item is None else format(item["value"], ".6g"),
                "normalised_percent": None if item is None else round(100 * item["normalised"]),
                "trend_svg": mark_safe(  # noqa: S308 - escaped in charts
                    charts.trend_chart_svg(
                        trends.get(spec["id"], []),
                        title=_("%(indicator)s in %(region)s over the years")
                        % {"indicator": name, "region": result.region.name},
                        highlight_year=item["year"] if item else None,
                    )
                ),
            }
        )
    return render(
        request,
        "risk/region_profile.html",
        {
            "run": run,
            "result": result,
            "region": result.region,
            "region_count": run.results.count(),
            "scored_count": run.results.filter(score__isnull=False).count(),
            "factor_svg": mark_safe(factor_bars),  # noqa: S308 - escaped in charts
            "contributions": [
                {**item, "label": factor_label(item["factor"]), "weight_percent": round(100 * item["weight"])}
                for item in result.contributions
            ],
            "indicator_rows": indicator_rows,
        },
    )


@staff_view("risk.view")
def targeting(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.run_for(actor_for(request), run_id)
    results = selectors.run_results(run)
    regions = [result.region for result in results]
    reports = selectors.report_counts(regions)
    cases = selectors.case_counts(regions)
    rows, use_rates = targeting_rows(
        [
            TargetingInput(
                region=result.region.code,
                score=result.score,
                rank=result.rank,
                child_population=result.region.child_population,
                reports=reports.get(result.region.pk),
                cases=cases.get(result.region.pk),
            )
            for result in results
        ]
    )
    names = {region.code: region.name for region in regions}
    coverage = training_coverage(run=run, results=results, targeting=rows)
    return render(
        request,
        "risk/targeting.html",
        {
            "run": run,
            "rows": [
                {"row": row, "name": names[row.region], "coverage": coverage.cells[row.region]}
                for row in rows
            ],
            "coverage": coverage,
            "use_rates": use_rates,
            "counts_known": any(row.reports is not None for row in rows),
            "gap_count": sum(row.gap for row in rows),
        },
    )


def _export_name(run: IndexRun, extension: str) -> str:
    return f"vulnerability-index-run-{run.pk}.{extension}"


@staff_view("risk.view")
def export_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.run_for(actor_for(request), run_id)
    response = HttpResponse(
        exports.run_csv(run, selectors.run_results(run)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(run, "csv")}"'
    return response


@staff_view("risk.view")
def export_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.run_for(actor_for(request), run_id)
    labels = {
        "configuration": _("Configuration"),
        "reference_year": _("Reference year"),
        "fingerprint": _("Input fingerprint (SHA-256)"),
        "sensitivity_runs": _("Sensitivity runs"),
        "factor": _("Factor"),
        "weight": _("Weight"),
        "indicator": _("Indicator"),
        "direction": _("Direction"),
    }
    response = HttpResponse(
        exports.run_xlsx(run, selectors.run_results(run), labels=labels),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(run, "xlsx")}"'
    return response
