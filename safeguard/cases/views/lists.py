"""Case lists, a caseworker's home and a supervisor's overview."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.models import CaseStatus, RiskLevel
from safeguard.cases.selectors import (
    CLOSURE_REPORT_DAYS,
    case_list,
    caseworker_home,
    closures_by_reason,
    supervisor_overview,
)
from safeguard.core.audit import audit_record


@staff_view("case.view")
def case_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    filters = {key: request.GET.get(key, "").strip() for key in ("status", "risk", "name", "reference")}
    cases = case_list(actor, **filters)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    audit_record(
        action="case.list_viewed",
        actor=actor.user,
        organisation=actor.organisation,
        detail={"case_ids": [case.pk for case in page.object_list]},
    )
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "statuses": CaseStatus.choices,
            "risks": RiskLevel.choices,
        },
    )


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
