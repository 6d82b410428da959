from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.portal.navigation import panels_for


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@staff_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    roles = [Role(role).label for role in sorted(actor.roles)]
    return render(request, "portal/dashboard.html", {"panels": panels_for(request), "roles": roles})


@staff_view("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    events = AuditEvent.objects.for_organisation(actor.organisation).select_related("actor")
    filters = {
        key: request.GET.get(key, "").strip() for key in ("action", "actor", "object_type", "since", "until")
    }
    if filters["action"]:
        events = events.filter(action__startswith=filters["action"])
    if filters["actor"]:
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters["object_type"]:
        events = events.filter(object_type=filters["object_type"])
    tz = timezone.get_current_timezone()
    if since := parse_date(filters["since"]) if filters["since"] else None:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until := parse_date(filters["until"]) if filters["until"] else None:
        events = events.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in filters.items() if value})
    return render(request, "portal/audit_log.html", {"page": page, "filters": filters, "query": query})
