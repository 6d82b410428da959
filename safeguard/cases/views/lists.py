"""Case lists, a caseworker's home and a supervisor's overview."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import saved_views_for
from safeguard.cases.forms import CaseBulkForm, CaseListFilterForm
from safeguard.cases.models import Case, Team
from safeguard.cases.selectors import (
    CLOSURE_REPORT_DAYS,
    case_list,
    caseworker_home,
    closures_by_reason,
    supervisor_overview,
)
from safeguard.cases.services.bulk import BulkOutcome, cases_bulk
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
    views = saved_views_for(actor).select_related("owner", "team")
    opened = request.GET.get("view", "")
    context = {
        "page": page,
        "form": form,
        "columns": columns,
        "query": query,
        "saved_views": views,
        # The saved view the list was opened from (``?view=``), if the actor may see it.
        "active_view": views.filter(pk=int(opened)).first() if opened.isdigit() else None,
        "teams": Team.objects.filter(organisation=actor.organisation, members=actor.user).order_by("name"),
        "custom_filters": custom_filters,
        "bulk_form": CaseBulkForm(organisation=actor.organisation) if actor.can("case.edit") else None,
    }
    return render(request, "cases/list.html", context)


@require_POST
@staff_view("case.edit")
def case_bulk(request: HttpRequest) -> HttpResponse:
    """The case list's bulk action; the summary (done, and each refused case) comes back as messages."""
    actor = actor_for(request)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}) or not back.startswith("/cases/"):
        back = "/cases/"
    form = CaseBulkForm(request.POST, organisation=actor.organisation)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    data = form.cleaned_data
    try:
        outcome = cases_bulk(
            actor=actor,
            case_ids=data["case_ids"],
            action=data["action"],
            owner=data["owner"],
            team=data["team"],
            reason=data["reason"],
            note=data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    _summarise(request, outcome, data)
    return redirect(back)


def _summarise(request: HttpRequest, outcome: BulkOutcome, data: dict[str, object]) -> None:
    count = len(outcome.done)
    if data["action"] == "reassign":
        done = ngettext(
            "%(count)d case reassigned to %(owner)s.", "%(count)d cases reassigned to %(owner)s.", count
        ) % {"count": count, "owner": data["owner"]}
    elif data["action"] == "team":
        done = ngettext(
            "%(count)d case added to team %(team)s.", "%(count)d cases added to team %(team)s.", count
        ) % {"count": count, "team": data["team"]}
    else:
        done = ngettext("%(count)d case flagged.", "%(count)d cases flagged.", count) % {"count": count}
    if not outcome.refused:
        messages.success(request, done)
        return
    refused = ngettext(
        "%(count)d refused: %(cases)s", "%(count)d refused: %(cases)s", len(outcome.refused)
    ) % {
        "count": len(outcome.refused),
        "cases": gettext("; ").join(f"{label} ({why})" for label, why in outcome.refused),
    }
    messages.warning(request, f"{done} {refused}")


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
