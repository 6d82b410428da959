"""Pages of person matching with paired installations: ask about a person, and take part or not."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeguard.accounts.access import Actor, actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import case_for
from safeguard.cases.models import Case
from safeguard.core.forms import submitted
from safeguard.sharing import federation, person_matching
from safeguard.sharing.models import FederatedMatch, Peer, PeerStatus, PersonMatchSettings
from safeguard.tracing.access import request_for
from safeguard.tracing.models import TracingRequest


class AskForm(forms.Form):
    peer = forms.ModelChoiceField(
        label=gettext_lazy("Installation"), queryset=Peer.objects.filter(status=PeerStatus.PAIRED)
    )


class TakePartForm(forms.Form):
    enabled = forms.BooleanField(
        label=gettext_lazy("Take part in person matching with paired installations"), required=False
    )


def _ask(
    request: HttpRequest, actor: Actor, case: Case, tracing_request: TracingRequest | None
) -> HttpResponse:
    form = AskForm(request.POST or None)
    found: list[FederatedMatch] | None = None
    if request.method == "POST" and form.is_valid():
        before = FederatedMatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        try:
            question = person_matching.person_question_ask(
                actor=actor, peer=form.cleaned_data["peer"],
                case=None if tracing_request else case, tracing_request=tracing_request,
            )  # fmt: skip
        except PermissionDenied:
            form.add_error(None, _("Your organisation does not take part in person matching."))
        except ValidationError as error:
            form.add_error(None, error.messages)
        except federation.FederationError as error:
            form.add_error(None, str(error))
        else:
            found = [
                match
                for match in FederatedMatch.objects.filter(
                    pk__gt=before, organisation=actor.organisation, peer=question.peer, asked_here=True
                ).select_related("notice")
                if ["case", case.pk] in match.records
            ]
    return render(
        request,
        "sharing/person_ask.html",
        {
            "form": form,
            "case": case,
            "tracing": tracing_request,
            "found": found,
            "paired": Peer.objects.filter(status=PeerStatus.PAIRED).exists(),
            "enabled": PersonMatchSettings.objects.filter(
                organisation=actor.organisation, enabled=True
            ).exists(),
        },
    )


@staff_view("case.edit")
def ask_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """Ask a paired installation whether it knows the child or survivor of a case."""
    actor = actor_for(request)
    return _ask(request, actor, case_for(actor, case_id, action="case.edit"), None)


@staff_view("case.edit")
def ask_tracing(request: HttpRequest, request_id: int) -> HttpResponse:
    """Ask a paired installation whether it knows the person a tracing request seeks."""
    actor = actor_for(request)
    tracing = request_for(actor, request_id, action="case.edit")
    return _ask(request, actor, tracing.case, tracing)


@staff_view("collaboration.settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    """The organisation admin's choice: take part in person matching with paired installations."""
    actor = actor_for(request)
    current = PersonMatchSettings.objects.filter(organisation=actor.organisation).first()
    form = TakePartForm(
        request.POST if request.method == "POST" else None,  # unticked, the POST is empty
        initial={"enabled": bool(current and current.enabled)},
    )
    if submitted(
        request,
        form,
        lambda: person_matching.person_match_settings_update(
            actor=actor, enabled=form.cleaned_data["enabled"]
        ),
        _("Settings saved."),
    ):
        return redirect("sharing:person_match_settings")
    return render(request, "sharing/person_match_settings.html", {"form": form, "current": current})
