"""Teams of the organisation and their members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import team_for
from safeguard.cases.models import Team
from safeguard.cases.services.teams import team_create, team_set_members
from safeguard.cases.views.base import action_page
from safeguard.core.forms import apply_service_errors


@staff_view("team.manage")
def teams(request: HttpRequest) -> HttpResponse:
    """The organisation's teams, and a form to create one."""
    actor = actor_for(request)
    form = forms.TeamForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(
                actor=actor, name=form.cleaned_data["name"], members=list(form.cleaned_data["members"])
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return redirect("cases:teams")
    context = {
        "teams": Team.objects.filter(organisation=actor.organisation).prefetch_related("members"),
        "form": form,
    }
    return render(request, "cases/teams.html", context, status=400 if form.errors else 200)


@staff_view("team.manage")
def team_members(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    team = team_for(actor, pk)
    posted = request.method == "POST"
    form = forms.TeamMembersForm(
        request.POST if posted else None,
        organisation=actor.organisation,
        initial=None if posted else {"members": list(team.members.all())},
    )
    if posted and form.is_valid():
        try:
            team_set_members(actor=actor, team=team, members=list(form.cleaned_data["members"]))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Members of %(name)s saved.") % {"name": team.name})
            return redirect("cases:teams")
    return action_page(
        request,
        form=form,
        title=_("Members of %(name)s") % {"name": team.name},
        submit=_("Save members"),
        extra={"back": "cases:teams"},
    )
