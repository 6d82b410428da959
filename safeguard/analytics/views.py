"""Analytics pages. Thin: check access, validate input, call one service or selector."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import platform_admin_view, staff_view
from safeguard.analytics import access, charts, fraudsigns, selectors
from safeguard.analytics import hotspots as hotspots_lib
from safeguard.analytics.forms import (
    SLIDER_WEEKS,
    AdImportForm,
    EntitySearchForm,
    HotspotFilterForm,
    LinkDecisionForm,
    NetworkFilterForm,
)
from safeguard.analytics.models import LINKING_KINDS, EntityKind
from safeguard.analytics.services import ad_imports, person_links, runs
from safeguard.core import boundaries, mapexport
from safeguard.core.audit import audit_record
from safeguard.core.forms import apply_service_errors
from safeguard.core.maps import MapArea, class_for, map_svg


@staff_view("analytics.view")
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = EntitySearchForm(request.GET or None)
    not_found = False
    if request.GET and form.is_valid():
        entity = selectors.entity_search(actor, form.cleaned_data["kind"], form.cleaned_data["value"])
        if entity is not None:
            return redirect("analytics:entity", entity.pk)
        not_found = True
    return render(
        request,
        "analytics/overview.html",
        {
            "form": form,
            "not_found": not_found,
            "networks": selectors.networks_list(actor),
            "runs": selectors.recent_runs(actor),
            "can_run": actor.can("analytics.review"),
            "can_review": actor.can("analytics.review"),
        },
    )


@staff_view("analytics.view")
def entity_detail(request: HttpRequest, entity_id: int) -> HttpResponse:
    actor = actor_for(request)
    entity = access.entity_for(actor, entity_id)
    page = selectors.entity_page(actor, entity)
    audit_record(
        action="analytics.entity_viewed",
        actor=actor,
        target=entity,
        detail={"records": len(page.records)},
    )
    timeline = charts.timeline_svg(page.timeline, title=_("Records mentioning it, by week"))
    return render(
        request,
        "analytics/entity.html",
        {
            "page": page,
            "entity": entity,
            "kind_label": EntityKind(entity.kind).label,
            "timeline": mark_safe(timeline),  # noqa: S308 - built and escaped by charts
        },
    )


def _graph_filter(form: NetworkFilterForm) -> selectors.GraphFilter:
    data = form.cleaned_data if form.is_valid() else {}
    kinds = frozenset(data.get("kinds") or LINKING_KINDS)
    return selectors.GraphFilter(kinds=kinds, since=data.get("since"), until=data.get("until"))


@staff_view("analytics.view")
def network_detail(request: HttpRequest, network_id: int) -> HttpResponse:
    actor = actor_for(request)
    network = access.network_for(actor, network_id)
    form = NetworkFilterForm(request.GET or None, initial={"kinds": sorted(LINKING_KINDS)})
    graph = selectors.network_graph(actor, network, _graph_filter(form))
    records = [node["data"] for node in graph["nodes"] if node["data"]["type"] == "record"]
    entities = sorted(
        (node["data"] for node in graph["nodes"] if node["data"]["type"] == "entity"),
        key=lambda data: (not data["shared"], data["kind"], data["label"]),
    )
    audit_record(
        action="analytics.network_viewed",
        actor=actor,
        target=network,
        detail={"records": len(records)},
    )
    return render(
        request,
        "analytics/network.html",
        {
            "network": network,
            "figures": selectors.network_figures(actor, [network.pk])[network.pk],
            "form": form,
            "graph": graph,
            "records": records,
            "entities": entities,
        },
    )


@staff_view("analytics.view")
def network_graph_json(request: HttpRequest, network_id: int) -> JsonResponse:
    actor = actor_for(request)
    network = access.network_for(actor, network_id)
    return JsonResponse(
        selectors.network_graph(actor, network, _graph_filter(NetworkFilterForm(request.GET or None)))
    )


@staff_view("analytics.view")
def ads(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = AdImportForm() if actor.can("ads.import") else None
    if request.method == "POST":
        actor.require("ads.import")
        form = AdImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                ad_import = ad_imports.ad_import_create(
                    actor=actor, filename=upload.name, content=upload.read()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("analytics:ad_import", ad_import.pk)
    clusters = access.ad_clusters_visible_to(actor)
    paginator = Paginator(clusters, 25)
    return render(
        request,
        "analytics/ads.html",
        {
            "form": form,
            "imports": access.ad_imports_visible_to(actor)[:10],
            "clusters": paginator.get_page(request.GET.get("page")),
            "group_count": clusters.exclude(group=None).values("group").distinct().count(),
            "can_review": actor.can("analytics.review"),
        },
    )


@staff_view("analytics.view")
def ad_import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    ad_import = access.ad_import_for(actor_for(request), import_id)
    return render(request, "analytics/ad_import.html", {"ad_import": ad_import})


@staff_view("analytics.view")
def ad_import_status(request: HttpRequest, import_id: int) -> HttpResponse:
    ad_import = access.ad_import_for(actor_for(request), import_id)
    return render(request, "analytics/_ad_import_status.html", {"ad_import": ad_import})


def _highlight(text: str, flags: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The ad's text cut into (piece, rule label or "") so the template can mark flagged phrases."""
    pieces: list[tuple[str, str]] = []
    cursor = 0
    for flag in sorted(flags, key=lambda f: f["start"]):
        if flag["start"] < cursor:
            continue
        pieces.append((text[cursor : flag["start"]], ""))
        pieces.append((text[flag["start"] : flag["end"]], flag["label"]))
        cursor = flag["end"]
    pieces.append((text[cursor:], ""))
    return [piece for piece in pieces if piece[0]]


@staff_view("analytics.view")
def ad_cluster_detail(request: HttpRequest, cluster_id: int) -> HttpResponse:
    cluster = access.ad_cluster_for(actor_for(request), cluster_id)
    ads = list(cluster.ads.all()[:50])
    labels = {rule.rule_id: rule.label for rule in fraudsigns.RULES}
    rows = [
        {
            "ad": ad,
            "pieces": _highlight(ad.text, ad.fraud_flags),
            "flags": sorted({labels.get(flag["rule"], flag["label"]) for flag in ad.fraud_flags}),
        }
        for ad in ads
    ]
    return render(request, "analytics/ad_cluster.html", {"cluster": cluster, "rows": rows})


@staff_view("analytics.review")
def review_queue(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    candidates = list(selectors.link_queue(actor)[:25])
    rows = selectors.review_rows(actor, candidates)
    for row in rows:
        steps = [(step["label"], step["weight"]) for step in row["waterfall"]]
        row["waterfall_svg"] = mark_safe(  # noqa: S308 - built and escaped by charts
            charts.waterfall_svg(
                steps,
                title=_("How each field moved the match weight"),
                total_label=_("Match weight"),
                chart_id=f"wf-{row['candidate'].pk}",
            )
        )
    return render(
        request,
        "analytics/review.html",
        {
            "rows": rows,
            "decided": selectors.decided_links(actor),
            "pending_count": selectors.link_queue(actor).count(),
            "can_review": True,
        },
    )


@require_POST
@staff_view("analytics.review")
def review_decide(request: HttpRequest, candidate_id: int) -> HttpResponse:
    actor = actor_for(request)
    candidate = access.link_candidate_for(actor, candidate_id)
    form = LinkDecisionForm(request.POST)
    if form.is_valid():
        person_links.link_decide(
            candidate=candidate, same_person=form.cleaned_data["decision"] == "confirm", actor=actor
        )
        messages.success(request, _("Decision saved. Later linking runs will respect it."))
    else:
        messages.error(request, _("Choose whether the two are the same person."))
    return redirect("analytics:review")


# Events in a region's week: 0, 1, 2–3, 4–7, 8 or more.
HOTSPOT_BREAKS = (1, 2, 4, 8)


def _hotspot_legend() -> list[dict[str, str]]:
    labels = [_("none"), "1", "2–3", "4–7", _("8 or more")]
    return [{"css_class": f"map-class-{i}", "label": label} for i, label in enumerate(labels)]


def _hotspot_map_svg(view: selectors.HotspotView) -> str:
    areas = []
    for area in view.areas:
        geometry = boundaries.shape(area["code"])
        if not geometry:
            continue
        label = _("%(name)s (%(code)s): %(events)s this week, %(total)s in 12 weeks") % area
        if area["hot"]:
            label += " — " + _("hotspot, %(expected).1f expected") % area
        areas.append(
            MapArea(
                code=area["code"],
                geometry=geometry,
                css_class=class_for(area["events"], HOTSPOT_BREAKS),
                label=label,
                outlined=area["hot"],
                short_label=area["code"].split("-")[-1] if area["hot"] else "",
            )
        )
    for cell in view.cells:
        ring = [[lon, lat] for lat, lon in cell["boundary"]]
        areas.append(
            MapArea(
                code=cell["cell"],
                geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                css_class="map-cell",
                label=_("H3 cell %(cell)s: %(events)s reports with coordinates") % cell,
            )
        )
    return map_svg(
        areas,
        title=_("Reports and cases in week %(week)s by region") % {"week": view.week},
        description=_(
            "Each region is coloured by its number of events this week; a dashed red outline marks a "
            "hotspot; small hexagons are reports with coordinates. The table below has the same figures."
        ),
        map_id="hotspot-map",
    )


def _this_monday() -> dt.date:
    today = dt.date.today()
    return today - dt.timedelta(days=today.weekday())


def _week_slider(week: dt.date, this_monday: dt.date) -> dict[str, Any]:
    """The time slider: its position for ``week`` (at the oldest end for an older week) and the
    label of every position, oldest first, for the script that names the week as it moves."""
    mondays = [this_monday - dt.timedelta(weeks=back) for back in range(SLIDER_WEEKS - 1, -1, -1)]
    position = max(0, SLIDER_WEEKS - 1 - (this_monday - week).days // 7)
    return {
        "position": position,
        "last": SLIDER_WEEKS - 1,
        "labels": ",".join(map(hotspots_lib.iso_week_label, mondays)),
        "label": hotspots_lib.iso_week_label(mondays[position]),
    }


def _hotspot_request(
    request: HttpRequest,
) -> tuple[HotspotFilterForm, selectors.HotspotFilters, dt.date, dt.date, selectors.HotspotView]:
    """The week and filters asked for (this week when none or a wrong one) and the view of them."""
    form = HotspotFilterForm(request.GET or None)
    filters, week = selectors.HotspotFilters(), None
    if form.is_valid():
        data = form.cleaned_data
        week = data["week"]
        if week is None and data["week_slider"] is not None:
            week = _this_monday() - dt.timedelta(weeks=SLIDER_WEEKS - 1 - data["week_slider"])
        filters = selectors.HotspotFilters(
            exploitation_type=data["exploitation_type"] or "",
            channel=data["channel"] or "",
            min_urgency=data["min_urgency"],
        )
    this_monday = _this_monday()
    week = min(week or this_monday, this_monday)
    view = selectors.hotspot_view(actor_for(request), today=week, filters=filters)
    return form, filters, week, this_monday, view


HOTSPOT_SOURCE = gettext_lazy("Boundaries: Natural Earth (public domain). Counts: records you can see.")


@staff_view("analytics.view")
def hotspot_map_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The week's hotspot map as a printable PNG or PDF, with the page's week and filters."""
    _form, filters, _week, _this_monday, view = _hotspot_request(request)
    svg = _hotspot_map_svg(view)
    if not svg:
        raise Http404(_("No region with events has a shape, so there is no map."))
    subtitle = _("Week %(week)s") % {"week": view.week}
    if filters.active:
        subtitle += " · " + _("Filters apply to reports only, so cases are not counted.")
    sheet = mapexport.MapSheet(
        title=_("Hotspots and trends"),
        subtitle=subtitle,
        legend_title=_("Events this week"),
        legend=[mapexport.LegendEntry(**entry) for entry in _hotspot_legend()],
        note=_("A dashed red outline marks a hotspot; red hexagons are reports with coordinates."),
        source_line=str(HOTSPOT_SOURCE),
        map_svg=svg,
    )
    response = HttpResponse(mapexport.render(sheet, fmt), content_type=mapexport.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="hotspots-{view.week}.{fmt}"'
    return response


@staff_view("analytics.view")
def hotspot_map(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form, filters, week, this_monday, view = _hotspot_request(request)
    query = request.GET.copy()

    def week_link(monday: dt.date) -> str:
        query["week"] = hotspots_lib.iso_week_label(monday)
        return "?" + query.urlencode()

    trends = [
        {
            "area": area,
            "svg": mark_safe(  # noqa: S308 - built and escaped by charts
                charts.sparkline_svg(
                    [point.events for point in view.trends.get(area["code"], [])],
                    title=_("Weekly counts in %(area)s") % {"area": area["name"]},
                    hot=area["hot"],
                )
            ),
        }
        for area in view.areas
    ]
    without_shape = [area for area in view.areas if not boundaries.has_shape(area["code"])]
    download_query = ("?" + request.GET.urlencode()) if request.GET else ""
    return render(
        request,
        "analytics/hotspots.html",
        {
            "view": view,
            "form": form,
            "filtered": filters.active,
            "week_slider": _week_slider(week, this_monday),
            "previous_week": week_link(week - dt.timedelta(weeks=1)),
            "next_week": week_link(week + dt.timedelta(weeks=1)) if week < this_monday else "",
            "map_svg": mark_safe(_hotspot_map_svg(view)),  # noqa: S308 - escaped in core.maps
            "legend": _hotspot_legend(),
            "without_shape": without_shape,
            "source_line": str(HOTSPOT_SOURCE),
            "map_downloads": [
                {
                    "href": reverse("analytics:hotspots_png") + download_query,
                    "label": _("Download the map (PNG)"),
                },
                {
                    "href": reverse("analytics:hotspots_pdf") + download_query,
                    "label": _("Download the map (PDF)"),
                },
            ],
            "trends": trends,
            "can_review": actor.can("analytics.review"),
        },
    )


@require_POST
@staff_view("analytics.review")
def run_start(request: HttpRequest) -> HttpResponse:
    try:
        runs.run_request(actor=actor_for(request), kind=request.POST.get("kind", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The run is queued; its progress shows below."))
    return redirect("analytics:overview")


@staff_view("analytics.view")
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.run_for(actor_for(request), run_id)
    return render(request, "analytics/_run_status.html", {"run": run})


@platform_admin_view
def network_rebuilds(request: HttpRequest) -> HttpResponse:
    """Platform admins queue the platform-wide network rebuild and follow its progress."""
    if request.method == "POST":
        runs.networks_rebuild_request(actor=request.user)  # type: ignore[arg-type]  # a signed-in User
        messages.success(request, _("The run is queued; its progress shows below."))
        return redirect("analytics:network_rebuilds")
    return render(
        request,
        "analytics/network_rebuilds.html",
        {
            "runs": access.network_rebuilds_for_platform_admin(request.user)[:10],
            "status_url": "analytics:network_rebuild_status",
        },
    )


@platform_admin_view
def network_rebuild_status(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access.network_rebuild_for_platform_admin(request.user, run_id)
    return render(
        request, "analytics/_run_status.html", {"run": run, "status_url": "analytics:network_rebuild_status"}
    )
