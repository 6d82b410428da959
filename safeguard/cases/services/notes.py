"""Case notes: typed, encrypted, correctable by their author for a short while, then locked."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, CaseNote, CaseNoteKind, CaseNoteRevision

# How long the author may correct a note; after it the note is locked (decision 150).
NOTE_EDIT_WINDOW = timedelta(minutes=30)


def note_editable_until(note: CaseNote) -> datetime:
    return note.created_at + NOTE_EDIT_WINDOW


def note_can_edit(note: CaseNote, actor: Actor, *, now: datetime | None = None) -> bool:
    return note.author_id == actor.user.pk and (now or timezone.now()) < note_editable_until(note)


def _check(kind: str, text: str, occurred_on: date, actor: Actor) -> None:
    if kind == CaseNoteKind.SUPERVISION and not actor.can("case.approve"):
        raise PermissionDenied("only a supervisor writes supervision notes")
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})


@transaction.atomic
def note_add(*, actor: Actor, case: Case, kind: str, text: str, occurred_on: date) -> CaseNote:
    require_case_in_reach(actor, case, "case.edit")
    _check(kind, text, occurred_on, actor)
    note = CaseNote(case=case, kind=kind, text=text, occurred_on=occurred_on, author=actor.user)
    note.full_clean()
    note.save()
    case_event(
        case=case, kind=CaseEventKind.NOTE_ADDED, actor=actor, detail={"note_id": note.pk, "kind": kind}
    )
    return note


@transaction.atomic
def note_edit(*, actor: Actor, note: CaseNote, kind: str, text: str, occurred_on: date) -> CaseNote:
    """The author corrects the note within ``NOTE_EDIT_WINDOW``; the replaced text is kept."""
    require_case_in_reach(actor, note.case, "case.edit")
    if note.author_id != actor.user.pk:
        raise PermissionDenied("only the author corrects a note")
    if not note_can_edit(note, actor):
        raise ValidationError(_("This note is locked: notes can be corrected only in the first 30 minutes."))
    _check(kind, text, occurred_on, actor)
    CaseNoteRevision.objects.create(note=note, kind=note.kind, text=note.text, replaced_by=actor.user)
    note.kind, note.text, note.occurred_on, note.edited_at = kind, text, occurred_on, timezone.now()
    note.full_clean()
    note.save(update_fields=["kind", "text", "occurred_on", "edited_at"])
    case_event(
        case=note.case, kind=CaseEventKind.NOTE_EDITED, actor=actor, detail={"note_id": note.pk, "kind": kind}
    )
    return note
