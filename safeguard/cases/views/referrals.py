"""Referring a case to a service, and the provider's side: inbox, answer, services delivered."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor, actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for, referral_for_provider
from safeguard.cases.models import ReferralStatus
from safeguard.cases.selectors import incoming_referrals, referral_shares_data
from safeguard.cases.services.referrals import (
    referral_complete,
    referral_create,
    referral_respond,
    service_record_add,
)
from safeguard.core.audit import audit_record
from safeguard.core.forms import apply_service_errors
from safeguard.directory.access import service_to_refer_to
from safeguard.directory.selectors import services_search


@staff_view("case.edit")
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a service (by need, place, language) and send the referral."""
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    search = forms.ServiceSearchForm(request.GET or {"place": case.person.subdivision or case.person.country})
    search.is_valid()
    found = services_search(
        need=search.cleaned_data.get("need", ""),
        place=search.cleaned_data.get("place", ""),
        language=search.cleaned_data.get("language", ""),
    )[:50]
    service_id = request.GET.get("service") or request.POST.get("service")
    service = None
    if service_id:
        with suppress(Http404):  # no such service any more: the page asks to choose one
            service = service_to_refer_to(actor, service_id)
    form = forms.ReferralForm(request.POST or None, can_override=actor.can("case.override_consent"))
    if request.method == "POST":
        if service is None:
            form.add_error(None, _("Choose a service."))
        elif form.is_valid():
            try:
                referral_create(
                    actor=actor,
                    case=case,
                    service=service,
                    summary=form.cleaned_data["summary"],
                    share_first_name=form.cleaned_data["share_first_name"],
                    respond_by=form.cleaned_data["respond_by"],
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("Referral sent to %(provider)s.") % {"provider": service.provider.name}
                )
                return redirect("cases:detail", pk=case.pk)
    context = {"case": case, "search": search, "services": found, "service": service, "form": form}
    return render(request, "cases/refer.html", context, status=400 if form.errors else 200)


@staff_view("referral.respond")
def referral_inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    status = request.GET.get("status", "")
    referrals = incoming_referrals(actor, status=status)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    return render(
        request, "cases/referrals.html", {"page": page, "status": status, "statuses": ReferralStatus.choices}
    )


def _referral_view(actor: Actor, referral: Any) -> dict[str, Any]:
    """What a provider may see of a referral: the summary, age, gender, languages and optionally
    the first name — and nothing once the consent it relied on is withdrawn."""
    person = referral.case.person
    shares = referral_shares_data(referral)
    return {
        "shares": shares,
        "summary": referral.summary if shares else "",
        "first_name": person.first_name if shares and referral.share_first_name else "",
        "age": person.age_on(timezone.localdate()) if shares else None,
        "gender": person.get_gender_display() if shares else "",
        "languages": [code for code in (person.primary_language, person.secondary_language) if code]
        if shares
        else [],
    }


@staff_view("referral.respond")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    referral = referral_for_provider(actor, pk)
    respond_form = forms.RespondForm(request.POST if request.POST.get("step") == "respond" else None)
    record_form = forms.ServiceRecordForm(request.POST if request.POST.get("step") == "record" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            with transaction.atomic():
                if step == "respond" and respond_form.is_valid():
                    referral_respond(
                        actor=actor,
                        referral=referral,
                        accept=respond_form.cleaned_data["decision"] == "accept",
                        reason=respond_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Answer recorded."))
                    return redirect("cases:referral", pk=referral.pk)
                if step == "record" and record_form.is_valid():
                    service_record_add(actor=actor, referral=referral, **record_form.cleaned_data)
                    messages.success(request, _("Service recorded."))
                    return redirect("cases:referral", pk=referral.pk)
                if step == "complete":
                    referral_complete(actor=actor, referral=referral)
                    messages.success(request, _("Referral completed."))
                    return redirect("cases:referral", pk=referral.pk)
        except ValidationError as error:
            apply_service_errors(respond_form if step == "respond" else record_form, error)
            if step == "complete":
                messages.error(request, " ".join(error.messages))
    audit_record(action="referral.viewed", actor=actor.user, organisation=actor.organisation, target=referral)
    context = {
        "referral": referral,
        "view": _referral_view(actor, referral),
        "records": referral.service_records.all(),
        "respond_form": respond_form,
        "record_form": record_form,
    }
    has_errors = respond_form.errors or record_form.errors
    return render(request, "cases/referral.html", context, status=400 if has_errors else 200)
