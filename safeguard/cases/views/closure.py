"""Closing a case (asked, then approved by another supervisor) and reopening it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for
from safeguard.cases.models import Case, ClosureChecklistItem, ClosureReason
from safeguard.cases.services.closure import case_decide_closure, case_reopen, case_request_closure
from safeguard.cases.views.base import action_page
from safeguard.core.forms import submitted


def closure_reason_text(case: Case) -> str:
    label = str(ClosureReason(case.closure_reason_code).label) if case.closure_reason_code else ""
    return " — ".join(part for part in (label, case.closure_reason) if part)


@staff_view("case.edit")
def closure_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    checklist = list(ClosureChecklistItem.objects.filter(organisation_id=case.organisation_id, active=True))
    form = forms.ClosureRequestForm(request.POST or None, checklist=checklist)
    if submitted(
        request,
        form,
        lambda: case_request_closure(actor=actor, case=case, **form.service_arguments()),
        _("Closure put forward for a supervisor's approval."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(request, form=form, title=_("Close the case"), submit=_("Ask for approval"), case=case)


@staff_view("case.approve")
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.approve")
    form = forms.DecisionForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: case_decide_closure(
            actor=actor,
            case=case,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        _("Decision recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(
        request,
        form=form,
        title=_("Approve closure"),
        submit=_("Record decision"),
        case=case,
        intro=_("Reason given: %(reason)s") % {"reason": closure_reason_text(case)},
    )


@staff_view("case.edit")
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.ReasonForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: case_reopen(actor=actor, case=case, reason=form.cleaned_data["reason"]),
        _("Case reopened."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(request, form=form, title=_("Reopen the case"), submit=_("Reopen"), case=case)
