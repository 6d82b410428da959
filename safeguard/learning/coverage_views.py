"""For programme managers (``learning.manage``): completions by audience and region over time, and
the organisation's learning records as an xAPI JSON download."""

from __future__ import annotations

import datetime
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.learning.charts import Series, lines_svg
from safeguard.learning.models import Audience
from safeguard.learning.records import statements_export
from safeguard.learning.selectors import completions_by_region, completions_per_month

MONTHS = 12


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first day of each of the last ``count`` months, oldest first, this month last."""
    firsts = []
    year, month = today.year, today.month
    for _step in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(firsts))


@staff_view("learning.manage")
def coverage(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    actor.require("learning.manage")
    region = request.GET.get("region", "").strip().upper()[:20]
    firsts = _months_back(timezone.localdate(), MONTHS)
    months = [first.strftime("%Y-%m") for first in firsts]
    counts = completions_per_month(organisation=actor.organisation, since=firsts[0], region=region)
    series = [
        Series(key=audience, label=str(label), values=[counts.get((audience, month), 0) for month in months])
        for audience, label in Audience.choices
    ]
    by_region = {
        audience: completions_by_region(organisation=actor.organisation, audience=audience)
        for audience in Audience.values
    }
    regions = sorted({code for counts_of in by_region.values() for code in counts_of})
    return render(
        request,
        "learning/coverage.html",
        {
            "region": region,
            "months": months,
            "series": series,
            "chart": mark_safe(  # noqa: S308 - escaped in charts
                lines_svg(months, series, title=_("Completions per month by audience"))
            ),
            "audiences": Audience.choices,
            "region_rows": [
                {"region": code, "counts": [by_region[a].get(code, 0) for a in Audience.values]}
                for code in regions
            ],
            "total": sum(sum(s.values) for s in series),
        },
    )


@require_GET
@staff_view("learning.manage")
def records_export(request: HttpRequest) -> HttpResponse:
    """Every xAPI statement of the organisation's learners, as a file to load into a record store."""
    result = statements_export(actor=actor_for(request))
    response = HttpResponse(json.dumps(result, separators=(",", ":")), content_type="application/json")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="learning-records-{stamp}.json"'
    return response
