"""Directory pages: searching and listing services, and editing the public hotline numbers."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.models import User
from safeguard.accounts.permissions import platform_admin_view, staff_view
from safeguard.core.forms import submitted
from safeguard.directory import services
from safeguard.directory.access import (
    hotline_for_platform_admin,
    hotline_of_my_organisation,
    proposal_for_platform_admin,
    service_of_my_organisation,
)
from safeguard.directory.forms import SERVICE_FIELDS, HotlineForm, HotlineReviewForm, SearchForm, ServiceForm
from safeguard.directory.models import HOTLINE_FIELDS, Service
from safeguard.directory.selectors import (
    hotlines_listed,
    proposals_of,
    proposals_pending,
    services_of,
    services_search,
)


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


@platform_admin_view
def hotlines(request: HttpRequest) -> HttpResponse:
    """Platform admins: every public number, a form to add one, and the proposals to review."""
    form = HotlineForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.hotline_save(hotline=form.save(commit=False), actor=platform_user(request)),
        _("Hotline saved."),
    ):
        return redirect("directory:hotlines")
    country = request.GET.get("country", "").upper()[:2]
    return render(
        request,
        "directory/hotlines.html",
        {
            "form": form,
            "hotlines": hotlines_listed(country=country),
            "country": country,
            "pending": proposals_pending(),
        },
        status=400 if form.errors else 200,
    )


@platform_admin_view
def hotline_edit(request: HttpRequest, hotline_id: int) -> HttpResponse:
    actor = platform_user(request)
    hotline = hotline_for_platform_admin(actor, hotline_id)
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


@platform_admin_view
def hotline_review(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A platform admin approves or rejects (with a reason) an organisation's proposal."""
    actor = platform_user(request)
    proposal = proposal_for_platform_admin(actor, proposal_id)
    form = HotlineReviewForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.hotline_proposal_review(
            proposal=proposal,
            actor=actor,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        ),
        _("Review saved."),
    ):
        return redirect("directory:hotlines")
    current = proposal.hotline
    rows = [
        (
            HotlineForm.base_fields[name].label,
            getattr(current, name) if current else "",
            getattr(proposal, name),
        )
        for name in HOTLINE_FIELDS
    ]
    return render(
        request,
        "directory/hotline_review.html",
        {"form": form, "proposal": proposal, "rows": rows},
        status=400 if form.errors else 200,
    )


@staff_view("hotline.propose")
def our_hotlines(request: HttpRequest) -> HttpResponse:
    """An organisation admin: the organisation's own public numbers and its proposals."""
    actor = actor_for(request)
    form = HotlineForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.hotline_propose(actor=actor, values=_hotline_values(form)),
        _("Proposal sent. A platform admin reviews it before it is shown to the public."),
    ):
        return redirect("directory:our_hotlines")
    return render(
        request,
        "directory/our_hotlines.html",
        {
            "form": form,
            "hotlines": hotlines_listed(organisation=actor.organisation),
            "proposals": proposals_of(actor.organisation),
        },
        status=400 if form.errors else 200,
    )


@staff_view("hotline.propose")
def our_hotline_edit(request: HttpRequest, hotline_id: int) -> HttpResponse:
    """Propose a change to, or the removal of, one of the organisation's own numbers."""
    actor = actor_for(request)
    hotline = hotline_of_my_organisation(actor, hotline_id)
    sent = _("Proposal sent. A platform admin reviews it before it is shown to the public.")
    if request.method == "POST" and request.POST.get("delete") == "1":
        try:
            services.hotline_propose(actor=actor, hotline=hotline, delete=True)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, sent)
        return redirect("directory:our_hotlines")
    # Not bound to the entry: a ModelForm would write the proposed values onto it.
    form = HotlineForm(request.POST or None, initial=model_to_dict(hotline, fields=HOTLINE_FIELDS))
    if submitted(
        request,
        form,
        lambda: services.hotline_propose(actor=actor, hotline=hotline, values=_hotline_values(form)),
        sent,
    ):
        return redirect("directory:our_hotlines")
    return render(
        request,
        "directory/hotline_edit.html",
        {"form": form, "hotline": hotline, "proposing": True},
        status=400 if form.errors else 200,
    )


def platform_user(request: HttpRequest) -> User:
    # platform_admin_view let only a signed-in platform admin through.
    return cast(User, request.user)


def _hotline_values(form: HotlineForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in HOTLINE_FIELDS}
