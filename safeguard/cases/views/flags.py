"""Raising a flag on a case and resolving it, from the case page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import case_for, flag_for
from safeguard.cases.services.flags import flag_raise, flag_resolve
from safeguard.cases.views.base import action_page
from safeguard.core.flags import FlagRaiseForm, FlagResolveForm
from safeguard.core.forms import submitted


@staff_view("case.edit")
def flag_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = FlagRaiseForm(request.POST or None)
    if submitted(
        request, form, lambda: flag_raise(actor=actor, case=case, **form.cleaned_data), _("Flag raised.")
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(request, form=form, title=_("Flag this case"), submit=_("Raise flag"), case=case)


@staff_view("case.edit")
def flag_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    flag = flag_for(actor, pk)
    form = FlagResolveForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: flag_resolve(actor=actor, flag=flag, note=form.cleaned_data["note"]),
        _("Flag resolved."),
    ):
        return redirect("cases:detail", pk=flag.case_id)
    return action_page(
        request,
        form=form,
        title=_("Resolve the flag"),
        submit=_("Resolve"),
        case=flag.case,
        intro=f"{flag.get_reason_display()}: {flag.note}" if flag.note else str(flag.get_reason_display()),
    )
