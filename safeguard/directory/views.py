"""Directory pages: searching and listing services, and editing the public hotline numbers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import submitted
from safeguard.directory import services
from safeguard.directory.access import hotline_for, service_of_my_organisation
from safeguard.directory.forms import SERVICE_FIELDS, HotlineForm, SearchForm, ServiceForm
from safeguard.directory.models import Hotline, Service
from safeguard.directory.selectors import services_of, services_search


@staff_view("directory.view")
def service_list(request: HttpRequest) -> HttpResponse:
    """Search services by need, place and language."""
    actor = actor_for(request)
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = services_search(
        need=filters.get("need", ""),
        place=filters.get("place", ""),
        language=filters.get("language", ""),
        age=filters.get("age"),
    )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    query = urlencode({k: str(v) for k, v in request.GET.items() if k != "page" and v})
    mine = services_of(actor.organisation) if actor.can("directory.manage") and actor.organisation else None
    return render(
        request, "directory/services.html", {"form": form, "page": page, "query": query, "mine": mine}
    )


@staff_view("directory.manage")
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_for(request)
    service = service_of_my_organisation(actor, pk) if pk else None
    form = ServiceForm(request.POST or None, instance=service)

    def save() -> Service:
        values = {name: form.cleaned_data[name] for name in SERVICE_FIELDS}
        if service is None:
            return services.service_create(actor=actor, **values)
        return services.service_update(actor=actor, service=service, **values)

    if submitted(request, form, save, _("Service saved.")):
        return redirect("directory:services")
    title = _("Edit service") if service else _("List a service")
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


@staff_view("hotline.manage")
def hotlines(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = HotlineForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.hotline_save(hotline=form.save(commit=False), actor=actor),
        _("Hotline saved."),
    ):
        return redirect("directory:hotlines")
    country = request.GET.get("country", "").upper()[:2]
    rows = Hotline.objects.all()
    if country:
        rows = rows.filter(country=country)
    return render(
        request,
        "directory/hotlines.html",
        {"form": form, "hotlines": rows, "country": country},
        status=400 if form.errors else 200,
    )


@staff_view("hotline.manage")
def hotline_edit(request: HttpRequest, hotline_id: int) -> HttpResponse:
    actor = actor_for(request)
    hotline = hotline_for(actor, hotline_id)
    form = HotlineForm(request.POST or None, instance=hotline)
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            services.hotline_delete(hotline=hotline, actor=actor)
            messages.success(request, _("Hotline deleted."))
            return redirect("directory:hotlines")
        if submitted(
            request,
            form,
            lambda: services.hotline_save(hotline=form.save(commit=False), actor=actor),
            _("Hotline saved."),
        ):
            return redirect("directory:hotlines")
    return render(
        request,
        "directory/hotline_edit.html",
        {"form": form, "hotline": hotline},
        status=400 if form.errors else 200,
    )
