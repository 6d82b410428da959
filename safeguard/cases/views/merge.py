"""Merging a duplicate case into this one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for
from safeguard.cases.selectors import case_list
from safeguard.cases.services.merge import case_merge
from safeguard.cases.views.base import action_page
from safeguard.core.forms import apply_service_errors


@staff_view("case.merge")
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.merge")
    form = forms.MergeForm(request.POST or None, initial={"duplicate": request.GET.get("duplicate", "")})
    if request.method == "POST" and form.is_valid():
        duplicate = case_list(actor, reference=form.cleaned_data["duplicate"]).first()
        if duplicate is None:
            form.add_error("duplicate", _("No case with this reference in your organisation."))
        else:
            try:
                case_merge(actor=actor, primary=case, duplicate=duplicate, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Case %(reference)s merged into this one.") % {"reference": duplicate.reference},
                )
                return redirect("cases:detail", pk=case.pk)
    intro = _("The duplicate keeps its records and history and points to this case; nothing is deleted.")
    return action_page(
        request,
        form=form,
        title=_("Merge a duplicate into this case"),
        submit=_("Merge"),
        case=case,
        intro=intro,
    )
