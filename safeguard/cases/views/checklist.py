"""The organisation's closure checklist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.models import ClosureChecklistItem
from safeguard.cases.services.checklist import checklist_item_add, checklist_item_retire
from safeguard.core.forms import apply_service_errors


@staff_view("team.manage")
def closure_checklist(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = forms.ChecklistItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checklist_item_add(actor=actor, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Checklist item added."))
            return redirect("cases:closure_checklist")
    items = ClosureChecklistItem.objects.filter(organisation=actor.organisation, active=True)
    return render(
        request,
        "cases/closure_checklist.html",
        {"items": items, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_view("team.manage")
def closure_checklist_retire(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    item = ClosureChecklistItem.objects.filter(pk=pk, organisation=actor.organisation, active=True).first()
    if item is None:
        raise Http404("checklist item")
    checklist_item_retire(actor=actor, item=item)
    messages.success(request, _("Checklist item removed."))
    return redirect("cases:closure_checklist")
