"""Saved views of the triage queue: save the current search, filter and sort, open, delete."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import submitted
from safeguard.intake import access
from safeguard.intake.forms import QueueFilterForm
from safeguard.intake.services.queue_views import queue_view_create, queue_view_delete


class QueueViewForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the view"),
        max_length=80,
        error_messages={"required": gettext_lazy("Give the view a name.")},
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


@require_POST
@staff_view("report.view")
def queue_view_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = QueueViewForm(request.POST)
    query = QueryDict(request.POST.get("query", ""))
    back = reverse("intake:queue") + (f"?{query.urlencode()}" if query else "")
    if not submitted(
        request,
        form,
        lambda: queue_view_create(actor=actor, name=form.cleaned_data["name"], query=query),
        _("View saved."),
    ):
        for field_messages in form.errors.values():
            for message in field_messages:
                messages.error(request, str(message))
    return redirect(back)


@staff_view("report.view")
def queue_view_open(request: HttpRequest, pk: int) -> HttpResponse:
    view = access.queue_view_for(actor_for(request), pk)
    # In the form's order: PostgreSQL's jsonb keeps a saved query's keys in an order of its own.
    query = {name: view.query[name] for name in QueueFilterForm.base_fields if name in view.query}
    return redirect(reverse("intake:queue") + "?" + urlencode({**query, "view": view.pk}))


@require_POST
@staff_view("report.view")
def queue_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    queue_view_delete(actor=actor, view=access.queue_view_for(actor, pk))
    messages.success(request, _("View deleted."))
    return redirect("intake:queue")
