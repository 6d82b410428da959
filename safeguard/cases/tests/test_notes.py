"""Case notes: typed, encrypted at rest, correctable by their author for 30 minutes, then
locked; every write is on the timeline and in the audit log; nobody outside the case's team
sees them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from safeguard.cases.models import CaseEvent, CaseNote, CaseNoteRevision
from safeguard.cases.services.notes import NOTE_EDIT_WINDOW, note_add, note_edit
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db

TEXT = "Visited at the shelter; asked about school (fictional)."


def write(case, user, org, *, kind: str = "visit", text: str = TEXT, occurred_on: date | None = None):
    return note_add(
        actor=actor_of(user, org),
        case=case,
        kind=kind,
        text=text,
        occurred_on=occurred_on or timezone.localdate(),
    )


def test_a_note_is_written_shown_encrypted_and_audited(case_a, cara, org_a, client_for) -> None:
    client = client_for(cara)
    response = client.post(
        f"/cases/{case_a.pk}/notes/new/",
        {"kind": "phone_call", "occurred_on": timezone.localdate().isoformat(), "text": TEXT},
    )
    assert response.status_code == 302
    note = CaseNote.objects.get(case=case_a)
    assert (note.kind, note.author, note.text) == ("phone_call", cara, TEXT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_casenote WHERE id = %s", [note.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("sg1:") and "shelter" not in stored
    event = CaseEvent.objects.get(case=case_a, kind="note_added")
    assert event.detail == {"note_id": note.pk, "kind": "phone_call"}
    audit = AuditEvent.objects.get(action="case.note_added")
    assert audit.actor == cara and "shelter" not in str(audit.detail)
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert TEXT in page and "Phone call" in page


def test_the_author_corrects_within_the_window_and_the_old_text_is_kept(case_a, cara, org_a) -> None:
    note = write(case_a, cara, org_a)
    note_edit(
        actor=actor_of(cara, org_a),
        note=note,
        kind="contact",
        text="Corrected.",
        occurred_on=note.occurred_on,
    )
    note.refresh_from_db()
    assert (note.kind, note.text) == ("contact", "Corrected.")
    assert note.edited_at is not None
    revision = CaseNoteRevision.objects.get(note=note)
    assert (revision.kind, revision.text, revision.replaced_by) == ("visit", TEXT, cara)
    assert CaseEvent.objects.filter(case=case_a, kind="note_edited").count() == 1


def test_after_the_window_the_note_is_locked(case_a, cara, org_a, client_for) -> None:
    note = write(case_a, cara, org_a)
    CaseNote.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - NOTE_EDIT_WINDOW - timedelta(seconds=1)
    )
    note.refresh_from_db()
    with pytest.raises(ValidationError, match="locked"):
        note_edit(
            actor=actor_of(cara, org_a), note=note, kind="visit", text="Late", occurred_on=note.occurred_on
        )
    client = client_for(cara)
    assert client.get(f"/cases/notes/{note.pk}/edit/").status_code == 403
    note.refresh_from_db()
    assert note.text == TEXT and not note.revisions.exists()
    assert f"/cases/notes/{note.pk}/edit/" not in client.get(f"/cases/{case_a.pk}/").content.decode()


def test_only_the_author_corrects(case_a, cara, sue, org_a, team_a, client_for) -> None:
    note = write(case_a, cara, org_a)
    with pytest.raises(PermissionDenied):
        note_edit(
            actor=actor_of(sue, org_a), note=note, kind="visit", text="Mine", occurred_on=note.occurred_on
        )
    mate = make_member(org_a, "caseworker", email="mate@alpha.example", name="Team Mate")
    team_a.members.add(mate)
    response = client_for(mate).post(
        f"/cases/notes/{note.pk}/edit/", {"kind": "visit", "occurred_on": note.occurred_on, "text": "Mine"}
    )
    assert response.status_code == 403
    note.refresh_from_db()
    assert note.text == TEXT


def test_supervision_notes_only_from_supervisors(case_a, cara, sue, org_a) -> None:
    with pytest.raises(PermissionDenied):
        write(case_a, cara, org_a, kind="supervision")
    assert write(case_a, sue, org_a, kind="supervision").kind == "supervision"


def test_empty_or_future_note_refused(case_a, cara, org_a) -> None:
    with pytest.raises(ValidationError):
        write(case_a, cara, org_a, text="  ")
    with pytest.raises(ValidationError):
        write(case_a, cara, org_a, occurred_on=timezone.localdate() + timedelta(days=1))
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("cara", 200), ("carl", 404), ("bert", 404), ("beth", 404)])
def test_nobody_outside_the_case_team_sees_or_writes_notes(
    case_a, cara, carl, bert, beth, org_a, org_b, client_for, who, status
) -> None:
    note = write(case_a, cara, org_a)
    people = {"cara": cara, "carl": carl, "bert": bert, "beth": beth}
    client = client_for(people[who])
    page = client.get(f"/cases/{case_a.pk}/")
    assert page.status_code == status
    assert (TEXT in page.content.decode()) == (status == 200)
    if status == 404:
        assert client.get(f"/cases/notes/{note.pk}/edit/").status_code == 404
        response = client.post(
            f"/cases/{case_a.pk}/notes/new/", {"kind": "visit", "occurred_on": note.occurred_on, "text": "x"}
        )
        assert response.status_code == 404
        assert CaseNote.objects.count() == 1
