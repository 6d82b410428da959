from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import platform_admin_view, staff_view
from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.portal.forms import AuditFilterForm, PlatformAuditFilterForm
from safeguard.portal.navigation import panels_for
from safeguard.portal.selectors import audit_lines


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@staff_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    roles = [Role(role).label for role in sorted(actor.roles)]
    return render(request, "portal/dashboard.html", {"panels": panels_for(request), "roles": roles})


@staff_view("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    """An organisation admin's log: the events of their organisation only."""
    actor = actor_for(request)
    events = AuditEvent.objects.for_organisation(actor.organisation).select_related("actor")
    return _audit_page(request, events, AuditFilterForm(request.GET), title=_("Audit log"))


@platform_admin_view
def platform_audit_log(request: HttpRequest) -> HttpResponse:
    """Platform admins: every event, of every organisation and of the platform itself (changes of
    the public numbers, organisations created, admins appointed), filterable by organisation."""
    events = AuditEvent.objects.select_related("actor", "organisation")
    form = PlatformAuditFilterForm(request.GET)
    return _audit_page(request, events, form, title=_("Platform audit log"), platform=True)


def _audit_page(
    request: HttpRequest, events: Any, form: AuditFilterForm, *, title: str, platform: bool = False
) -> HttpResponse:
    # A filter that is not valid (say, 30 February) is shown as an error and left out.
    filters = (
        form.cleaned_data
        if form.is_valid()
        else {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    )
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters.get("object_type"):
        events = events.filter(object_type=filters["object_type"])
    organisation = filters.get("organisation")
    if organisation == PlatformAuditFilterForm.PLATFORM_WIDE:
        events = events.filter(organisation__isnull=True)
    elif organisation:
        events = events.filter(organisation_id=int(organisation))
    tz = timezone.get_current_timezone()
    if since := filters.get("since"):
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until := filters.get("until"):
        events = events.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode([(key, str(value)) for key, value in request.GET.items() if key != "page" and value])
    return render(
        request,
        "portal/audit_log.html",
        {
            "page": page,
            "lines": audit_lines(page),
            "form": form,
            "filters": request.GET,
            "query": query,
            "title": title,
            "platform": platform,
        },
        status=400 if form.errors else 200,
    )
