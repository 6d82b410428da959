"""Case lists, a caseworker's home and a supervisor's overview."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import saved_views_for
from safeguard.cases.forms import CaseListFilterForm
from safeguard.cases.models import Case, Team
from safeguard.cases.selectors import (
    CLOSURE_REPORT_DAYS,
    case_list,
    caseworker_home,
    closures_by_reason,
    supervisor_overview,
)
from safeguard.core.audit import audit_record
from safeguard.customfields.forms import filter_cases_by_custom_fields


@staff_view("case.view")
def case_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = CaseListFilterForm(request.GET or None, organisation=actor.organisation)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list(actor, **filters) if form.is_bound is False or form.is_valid() else Case.objects.none()
    listed, custom_filters = filter_cases_by_custom_fields(cases, actor, request.GET)
    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    audit_record(
        action="case.list_viewed",
        actor=actor.user,
        organisation=actor.organisation,
        detail={"case_ids": [case.pk for case in page.object_list]},
    )
    given: dict[str, str] = {
        key: str(value) for key, value in request.GET.items() if value and key not in ("page", "sort", "view")
    }
    sort = filters.get("sort", "")
    columns = [
        # (label, sort key, aria-sort, link that sorts by it: ascending first, then descending)
        (
            label,
            key,
            _aria_sort(sort, key),
            "?" + urlencode({**given, "sort": f"-{key}" if sort == key else key}),
        )
        for label, key in SORT_COLUMNS
    ]
    query = urlencode({**given, **({"sort": sort} if sort else {})})
    context = {
        "page": page,
        "form": form,
        "columns": columns,
        "query": query,
        "saved_views": saved_views_for(actor).select_related("owner", "team"),
        "teams": Team.objects.filter(organisation=actor.organisation, members=actor.user).order_by("name"),
        "custom_filters": custom_filters,
    }
    return render(request, "cases/list.html", context)


SORT_COLUMNS = [
    (_("Reference"), "reference"),
    (_("Status"), "status"),
    (_("Stage"), "stage"),
    (_("Risk"), "risk"),
    (_("Owner"), "owner"),
    (_("Registered"), "registered"),
]


def _aria_sort(sort: str, key: str) -> str:
    if sort == key:
        return "ascending"
    return "descending" if sort == f"-{key}" else ""


@staff_view("case.view")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/home.html", {"home": caseworker_home(actor_for(request))})


@staff_view("case.approve")
def supervision(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    context = {
        "overview": supervisor_overview(actor),
        "closures_by_reason": closures_by_reason(actor),
        "closure_days": CLOSURE_REPORT_DAYS,
    }
    return render(request, "cases/supervision.html", context)
