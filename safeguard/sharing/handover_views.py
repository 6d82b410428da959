"""Pages for referrals and transfers to and from organisations of paired installations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import case_for
from safeguard.core.forms import submitted
from safeguard.sharing import federation, handovers
from safeguard.sharing.models import Handover, HandoverKind, HandoverStatus, Peer, PeerStatus


class HandoverForm(forms.Form):
    peer = forms.ModelChoiceField(
        label=gettext_lazy("Installation"), queryset=Peer.objects.filter(status=PeerStatus.PAIRED)
    )
    organisation = forms.CharField(
        label=gettext_lazy("Organisation (its short name on that installation)"), max_length=100
    )
    summary = forms.CharField(
        label=gettext_lazy("What you ask of them"), widget=forms.Textarea, max_length=2000
    )


class TransferAcrossForm(HandoverForm):
    summary = forms.CharField(
        label=gettext_lazy("Reason for the transfer"), widget=forms.Textarea, max_length=2000
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for transferring without consent (supervisors only)"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )


def _send(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, case_id, action="case.edit")
    transfer = kind == HandoverKind.TRANSFER
    form = (TransferAcrossForm if transfer else HandoverForm)(request.POST or None)

    def send() -> None:
        try:
            handovers.handover_send(actor=actor, case=case, kind=kind, **form.cleaned_data)
        except federation.FederationError as error:
            raise ValidationError(str(error)) from error

    done = (
        _("Transfer offered. The other installation's organisation will accept or decline it.")
        if transfer
        else _("Referred. The other installation's organisation will answer.")
    )
    if submitted(request, form, send, done):
        return redirect("sharing:handovers")
    return render(request, "sharing/handover_new.html", {"form": form, "case": case, "transfer": transfer})


@staff_view("case.edit")
def handover_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _send(request, case_id, HandoverKind.REFERRAL)


@staff_view("case.edit")
def transfer_new(request: HttpRequest, case_id: int) -> HttpResponse:
    return _send(request, case_id, HandoverKind.TRANSFER)


@staff_view("case.view")
def handover_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    outgoing = Handover.objects.filter(organisation=actor.organisation, outgoing=True).select_related("peer")
    return render(
        request,
        "sharing/handovers.html",
        {"incoming": handovers.incoming_for(actor), "outgoing": outgoing[:200]},
    )


@staff_view("case.view")
def handover_detail(request: HttpRequest, handover_id: int) -> HttpResponse:
    actor = actor_for(request)
    handover = handovers.handover_of(actor, handover_id)
    if request.method == "POST":
        accept = request.POST.get("do") == "accept"
        try:
            handovers.handover_decide(
                actor=actor, handover=handover, accept=accept, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Accepted.") if accept else _("Declined."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except federation.FederationError as error:
            messages.error(request, str(error))
        return redirect("sharing:handover", handover.pk)
    return render(
        request,
        "sharing/handover.html",
        {
            "handover": get_object_or_404(Handover.objects.select_related("case"), pk=handover.pk),
            "record": handovers.record_of(handover),
            "paired": handover.peer.status == PeerStatus.PAIRED,
            "can_decide": not handover.outgoing
            and handover.status == HandoverStatus.SENT
            and actor.can("case.approve"),
        },
    )
