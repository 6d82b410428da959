"""Offering a case to another organisation, and answering such an offer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for, transfer_for_receiver
from safeguard.cases.services import transfers
from safeguard.cases.views.base import action_page
from safeguard.core.forms import apply_service_errors, submitted


@staff_view("case.edit")
def transfer_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.TransferForm(
        request.POST or None, organisation=case.organisation, can_override=actor.can("case.override_consent")
    )
    if submitted(
        request,
        form,
        lambda: transfers.transfer_request(
            actor=actor,
            case=case,
            to_organisation=form.cleaned_data["to_organisation"],
            reason=form.cleaned_data["reason"],
            override_reason=form.cleaned_data.get("override_reason", ""),
        ),
        _("Transfer offered; the case moves once the organisation accepts."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(
        request, form=form, title=_("Transfer the case"), submit=_("Offer transfer"), case=case
    )


@staff_view("case.approve")
def transfer_respond(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    transfer = transfer_for_receiver(actor, pk)
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            transfers.transfer_respond(
                actor=actor, transfer=transfer, accept=accept, note=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if accept:
                messages.success(request, _("Transfer accepted; the case is now yours."))
                return redirect("cases:detail", pk=transfer.case_id)
            messages.success(request, _("Transfer declined."))
            return redirect("cases:supervision")
    intro = _("%(organisation)s offers case %(reference)s. Reason: %(reason)s") % {
        "organisation": transfer.from_organisation.name,
        "reference": transfer.case.reference,
        "reason": transfer.reason,
    }
    return action_page(request, form=form, title=_("Transfer offered"), submit=_("Answer"), intro=intro)
