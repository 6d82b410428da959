"""Thin pages of family tracing: validate the form, call one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import case_for
from safeguard.core.forms import submitted
from safeguard.tracing import forms
from safeguard.tracing.access import enquiry_for, enquiry_view_for, match_for, request_for, request_view_for
from safeguard.tracing.models import Reunification, TracingRequest
from safeguard.tracing.selectors import enquiry_matches, request_page, tracing_overview
from safeguard.tracing.services.enquiries import EnquiryDetails, enquiry_close, enquiry_record
from safeguard.tracing.services.matches import match_decide, matches_search_again
from safeguard.tracing.services.requests import (
    SoughtPerson,
    tracing_action_record,
    tracing_request_close,
    tracing_request_open,
)
from safeguard.tracing.services.reunification import (
    best_interest_record,
    reunification_record,
    reunification_visit_record,
)

PHOTO_NOTE = _("No photograph is ever stored here: describe the person in words instead.")


def _form_page(
    request: HttpRequest, *, form: django_forms.Form, title: str, submit: str, back: str, intro: str = ""
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "title": title, "submit": submit, "back": back, "intro": intro}
    return render(request, "tracing/form.html", context, status=400 if form.is_bound and form.errors else 200)


def _request_step(
    request: HttpRequest,
    tracing: TracingRequest,
    form: django_forms.Form,
    save: Callable[[], object],
    done: str,
    *,
    title: str,
    submit: str | None = None,
    intro: str = "",
) -> HttpResponse:
    """One step recorded on a tracing request: save and go back to it, or show the form again."""
    if submitted(request, form, save, done):
        return redirect("tracing:request", pk=tracing.pk)
    return _form_page(
        request,
        form=form,
        title=title,
        submit=submit or _("Save"),
        back=f"/tracing/requests/{tracing.pk}/",
        intro=intro,
    )


@staff_view("case.view")
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    everything = request.GET.get("all") == "1"
    return render(
        request,
        "tracing/overview.html",
        {"overview": tracing_overview(actor, everything=everything), "everything": everything},
    )


@staff_view("case.edit")
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.TracingRequestForm(request.POST or None)
    created: list[int] = []

    def write() -> None:
        created.append(
            tracing_request_open(actor=actor, case=case, sought=SoughtPerson(**form.sought_person())).pk
        )

    if submitted(request, form, write, _("Tracing request opened.")):
        return redirect("tracing:request", pk=created[0])
    return _form_page(
        request,
        form=form,
        title=_("Trace a family member of %(reference)s") % {"reference": case.reference},
        submit=_("Open tracing request"),
        back=f"/cases/{case.pk}/",
        intro=PHOTO_NOTE,
    )


@staff_view("case.view")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    tracing = request_view_for(actor, pk)
    context = {
        "tracing": tracing,
        "case": tracing.case,
        "can_approve": actor.can("case.approve"),
        "can_edit": actor.can("case.edit"),
        **request_page(tracing),
    }
    return render(request, "tracing/request.html", context)


@staff_view("case.edit")
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    tracing = request_for(actor, pk, action="case.edit")
    form = forms.TracingActionForm(request.POST or None)
    return _request_step(
        request,
        tracing,
        form,
        lambda: tracing_action_record(actor=actor, request=tracing, **form.cleaned_data),
        _("Tracing action recorded."),
        title=_("Record a tracing action"),
    )


@require_POST
@staff_view("case.edit")
def search_again(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    tracing = request_for(actor, pk, action="case.edit")
    found = matches_search_again(actor=actor, request=tracing)
    message = ngettext("%(count)s new potential match.", "%(count)s new potential matches.", len(found))
    messages.success(request, message % {"count": len(found)})
    return redirect("tracing:request", pk=tracing.pk)


@staff_view("case.edit")
def match_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    match = match_for(actor, pk)
    form = forms.MatchDecisionForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: match_decide(actor=actor, match=match, **form.cleaned_data),
        _("Decision saved."),
    ):
        return redirect("tracing:request", pk=match.request_id)
    return _form_page(
        request,
        form=form,
        title=_("Confirm or reject the match"),
        submit=_("Save decision"),
        back=f"/tracing/requests/{match.request_id}/",
        intro=_("Compare the enquiry with the child on the request's page before you decide."),
    )


@staff_view("case.approve")
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    tracing = request_for(actor, pk, action="case.approve")
    form = forms.BestInterestForm(request.POST or None)
    return _request_step(
        request,
        tracing,
        form,
        lambda: best_interest_record(actor=actor, request=tracing, **form.cleaned_data),
        _("Best-interest assessment recorded."),
        title=_("Best-interest assessment"),
        submit=_("Record the decision"),
        intro=_(
            "A child is reunified only after an assessment that decides reunification is in their best interest."
        ),
    )


@staff_view("case.edit")
def reunify(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    tracing = request_for(actor, pk, action="case.edit")
    form = forms.ReunificationForm(request.POST or None)
    return _request_step(
        request,
        tracing,
        form,
        lambda: reunification_record(actor=actor, request=tracing, **form.cleaned_data),
        _("Reunification recorded."),
        title=_("Record the reunification"),
    )


@staff_view("case.edit")
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    tracing = request_for(actor, pk, action="case.edit")
    reunification = Reunification.objects.filter(request=tracing).first()
    form = forms.VisitForm(request.POST or None)
    if reunification is None:
        messages.error(request, _("Record the reunification first."))
        return redirect("tracing:request", pk=tracing.pk)
    return _request_step(
        request,
        tracing,
        form,
        lambda: reunification_visit_record(actor=actor, reunification=reunification, **form.cleaned_data),
        _("Visit recorded."),
        title=_("Record a visit after reunification"),
    )


@staff_view("case.edit")
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    tracing = request_for(actor, pk, action="case.edit")
    form = forms.CloseRequestForm(request.POST or None)
    return _request_step(
        request,
        tracing,
        form,
        lambda: tracing_request_close(actor=actor, request=tracing, **form.cleaned_data),
        _("Tracing request closed."),
        title=_("Close the tracing request"),
        submit=_("Close"),
    )


@staff_view("case.edit")
def enquiry_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = forms.EnquiryForm(request.POST or None, organisation=actor.organisation)
    created: list[int] = []

    def write() -> None:
        details = EnquiryDetails(**form.details())
        created.append(enquiry_record(actor=actor, details=details, team=form.cleaned_data["team"]).pk)

    if submitted(request, form, write, _("Enquiry recorded.")):
        return redirect("tracing:enquiry", pk=created[0])
    return _form_page(
        request,
        form=form,
        title=_("Record an enquiry from a family"),
        submit=_("Save enquiry"),
        back="/tracing/",
        intro=PHOTO_NOTE,
    )


@staff_view("case.view")
def enquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    enquiry = enquiry_view_for(actor, pk)
    return render(
        request, "tracing/enquiry.html", {"enquiry": enquiry, "matches": enquiry_matches(actor, enquiry)}
    )


@staff_view("case.edit")
def enquiry_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    enquiry = enquiry_for(actor, pk, action="case.edit")
    form = forms.CloseEnquiryForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: enquiry_close(actor=actor, enquiry=enquiry, **form.cleaned_data),
        _("Enquiry closed."),
    ):
        return redirect("tracing:enquiry", pk=enquiry.pk)
    return _form_page(
        request, form=form, title=_("Close the enquiry"), submit=_("Close"), back=f"/tracing/enquiries/{pk}/"
    )
