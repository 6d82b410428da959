"""Writing and correcting case notes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for, note_for
from safeguard.cases.services.notes import note_add, note_can_edit, note_edit
from safeguard.cases.views.base import action_page
from safeguard.core.forms import submitted


@staff_view("case.edit")
def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.CaseNoteForm(request.POST or None, supervisor=actor.can("case.approve"))
    if submitted(
        request,
        form,
        lambda: note_add(actor=actor, case=case, **form.cleaned_data),
        _("Note saved."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(
        request,
        form=form,
        title=_("Write a case note"),
        submit=_("Save note"),
        case=case,
        intro=_("You can correct a note for 30 minutes after saving it; then it is locked."),
    )


@staff_view("case.edit")
def note_change(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    note = note_for(actor, pk)
    if not note_can_edit(note, actor):
        raise PermissionDenied("note locked or not the author's")
    initial = {"kind": note.kind, "occurred_on": note.occurred_on, "text": note.text}
    form = forms.CaseNoteForm(request.POST or None, initial=initial, supervisor=actor.can("case.approve"))
    if submitted(
        request,
        form,
        lambda: note_edit(actor=actor, note=note, **form.cleaned_data),
        _("Note corrected."),
    ):
        return redirect("cases:detail", pk=note.case_id)
    return action_page(request, form=form, title=_("Correct the note"), submit=_("Save note"), case=note.case)
