"""Follow-ups and reintegration milestones."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for, follow_up_for
from safeguard.cases.services import followups
from safeguard.cases.views.base import action_page
from safeguard.core.forms import submitted
from safeguard.customfields.forms import add_custom_fields, save_custom_fields
from safeguard.customfields.models import FormKind


@staff_view("case.edit")
def follow_up_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.FollowUpForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: followups.follow_up_schedule(actor=actor, case=case, **form.cleaned_data),
        _("Follow-up scheduled."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(request, form=form, title=_("Schedule a follow-up"), submit=_("Schedule"), case=case)


@staff_view("case.edit")
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    follow_up = follow_up_for(actor, pk)
    case = follow_up.case
    form = forms.FollowUpRecordForm(request.POST or None)
    add_custom_fields(form, actor, FormKind.FOLLOW_UP, case=case, record_id=follow_up.pk)
    built_in = [name for name in form.fields if not name.startswith("cf_")]

    @transaction.atomic
    def record() -> None:
        followups.follow_up_record(
            actor=actor, follow_up=follow_up, **{name: form.cleaned_data[name] for name in built_in}
        )
        save_custom_fields(form, actor=actor, case=case, kinds=(FormKind.FOLLOW_UP,), record_id=follow_up.pk)

    if submitted(request, form, record, _("Follow-up recorded.")):
        return redirect("cases:detail", pk=case.pk)
    return action_page(request, form=form, title=follow_up.purpose, submit=_("Record follow-up"), case=case)


@staff_view("case.edit")
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.MilestoneForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: followups.milestone_record(actor=actor, case=case, **form.cleaned_data),
        _("Milestone recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(
        request, form=form, title=_("Reintegration milestone"), submit=_("Save milestone"), case=case
    )
