"""Saved views of the case list: save the current filter and sort, open, rename, delete."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import saved_view_for
from safeguard.cases.models import Team
from safeguard.cases.services.views import saved_view_create, saved_view_delete, saved_view_rename
from safeguard.cases.views.base import action_page
from safeguard.core.forms import submitted


class SavedViewForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the view"), max_length=80)
    team = forms.ModelChoiceField(
        label=gettext_lazy("Share with my team"), queryset=Team.objects.none(), required=False
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


def my_teams(request: HttpRequest) -> QuerySet[Team]:
    actor = actor_for(request)
    return Team.objects.filter(organisation=actor.organisation, members=actor.user).order_by("name")


@require_POST
@staff_view("case.view")
def saved_view_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = SavedViewForm(request.POST)
    cast(forms.ModelChoiceField, form.fields["team"]).queryset = my_teams(request)
    query = QueryDict(request.POST.get("query", ""))
    back = reverse("cases:list") + (f"?{query.urlencode()}" if query else "")
    if not submitted(
        request,
        form,
        lambda: saved_view_create(
            actor=actor, name=form.cleaned_data["name"], query=query, team=form.cleaned_data["team"]
        ),
        _("View saved."),
    ):
        for field_messages in form.errors.values():
            for message in field_messages:
                messages.error(request, str(message))
    return redirect(back)


@staff_view("case.view")
def saved_view_open(request: HttpRequest, pk: int) -> HttpResponse:
    view = saved_view_for(actor_for(request), pk)
    return redirect(reverse("cases:list") + "?" + urlencode({**view.query, "view": view.pk}))


@staff_view("case.view")
def saved_view_rename_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    view = saved_view_for(actor, pk)
    form = SavedViewForm(request.POST or None, initial={"name": view.name})
    del form.fields["team"], form.fields["query"]
    if view.owner_id != actor.user.pk:
        return HttpResponse(status=403)
    if submitted(
        request,
        form,
        lambda: saved_view_rename(actor=actor, view=view, name=form.cleaned_data["name"]),
        _("View renamed."),
    ):
        return redirect("cases:list")
    return action_page(
        request, form=form, title=_("Rename the view"), submit=_("Rename"), extra={"back": "cases:list"}
    )


@require_POST
@staff_view("case.view")
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    view = saved_view_for(actor, pk)
    if view.owner_id != actor.user.pk:
        return HttpResponse(status=403)
    saved_view_delete(actor=actor, view=view)
    messages.success(request, _("View deleted."))
    return redirect("cases:list")
