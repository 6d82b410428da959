"""``PATCH /api/v1/case-notes/{id}``: the author corrects a note in its first 30 minutes.

The case page's rule (``services.notes``): only the author, only within ``NOTE_EDIT_WINDOW``;
the replaced text is kept as a revision, the correction is on the timeline and audited. Anyone
else is refused (403, or 404 outside their reach), a locked note is a 409; neither changes the
note nor writes a revision or an audit event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safeguard.cases.models import CaseEvent, CaseEventKind, CaseNote, CaseNoteRevision
from safeguard.cases.services.notes import NOTE_EDIT_WINDOW, note_add
from safeguard.cases.tests.conftest import token_client
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

ORIGINAL = "Fictional home visit; all well."
CORRECTED = "Fictional home visit; the child is back at school."

# Only Cara wrote the note. Sue can reach it but is not its author; Carl and org B cannot reach
# it; the analyst, the operator and the admins have no case role.
ANSWERS = {
    "cara": 200,
    "sue": 403,
    "carl": 404,
    "beth": 404,
    "bert": 404,
    "ana": 403,
    "bob": 403,
    "alice": 403,
    "charlie": 403,
}


@pytest.fixture
def note(case_a, cara, org_a) -> CaseNote:
    return note_add(
        actor=actor_of(cara, org_a), case=case_a, kind="visit", text=ORIGINAL, occurred_on=date(2026, 1, 5)
    )


def edited(note: CaseNote) -> tuple[int, int, int]:
    """Revisions, timeline events and audit events of corrections of ``note``."""
    return (
        CaseNoteRevision.objects.filter(note=note).count(),
        CaseEvent.objects.filter(case=note.case, kind=CaseEventKind.NOTE_EDITED).count(),
        AuditEvent.objects.filter(action="case.note_edited").count(),
    )


@pytest.mark.parametrize(("who", "expected"), sorted(ANSWERS.items()))
def test_correcting_a_note_for_every_role_and_the_other_organisation(note, cast, who, expected) -> None:
    response = token_client(*cast[who]).patch(
        f"/api/v1/case-notes/{note.pk}", {"text": CORRECTED}, format="json"
    )

    assert response.status_code == expected, response.content
    note.refresh_from_db()
    if expected == 200:
        assert (note.text, note.kind, note.occurred_on) == (CORRECTED, "visit", date(2026, 1, 5))
        assert response.json()["text"] == CORRECTED
        assert response.json()["edited_at"] is not None
        assert CaseNoteRevision.objects.get(note=note).text == ORIGINAL
        assert edited(note) == (1, 1, 1)
        assert AuditEvent.objects.get(action="case.note_edited").actor == cast[who][0]
    else:
        assert (note.text, note.edited_at) == (ORIGINAL, None)
        assert edited(note) == (0, 0, 0)
        assert ORIGINAL not in response.content.decode()


def test_someone_elses_note_is_refused_with_a_clear_message(note, sue, org_a) -> None:
    response = token_client(sue, org_a).patch(
        f"/api/v1/case-notes/{note.pk}", {"text": CORRECTED}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "permission_denied", "message": "Only the author of a note can correct it."}
    }


def test_a_note_past_its_window_is_locked(note, cara, org_a) -> None:
    CaseNote.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - NOTE_EDIT_WINDOW - timedelta(seconds=1)
    )

    response = token_client(cara, org_a).patch(
        f"/api/v1/case-notes/{note.pk}", {"text": CORRECTED}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "note_locked",
            "message": "This note is locked: notes can be corrected only in the first 30 minutes.",
        }
    }
    note.refresh_from_db()
    assert note.text == ORIGINAL
    assert edited(note) == (0, 0, 0)


def test_only_the_fields_sent_change(note, cara, org_a) -> None:
    response = token_client(cara, org_a).patch(
        f"/api/v1/case-notes/{note.pk}", {"kind": "phone_call", "occurred_on": "2026-01-04"}, format="json"
    )

    assert response.status_code == 200
    note.refresh_from_db()
    assert (note.kind, note.occurred_on, note.text) == ("phone_call", date(2026, 1, 4), ORIGINAL)


def test_bad_corrections_are_refused_and_change_nothing(note, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/case-notes/{note.pk}"
    future = (timezone.localdate() + timedelta(days=2)).isoformat()

    empty = client.patch(path, {}, format="json")
    blank = client.patch(path, {"text": "   "}, format="json")
    in_future = client.patch(path, {"occurred_on": future}, format="json")
    supervision = client.patch(path, {"kind": "supervision"}, format="json")

    assert empty.status_code == 400
    assert empty.json()["error"]["fields"] == {"_": ["Send at least one of kind, occurred_on and text."]}
    assert blank.status_code == 400 and list(blank.json()["error"]["fields"]) == ["text"]
    assert in_future.status_code == 400 and list(in_future.json()["error"]["fields"]) == ["occurred_on"]
    assert supervision.status_code == 403  # only a supervisor writes supervision notes
    note.refresh_from_db()
    assert (note.kind, note.text, note.edited_at) == ("visit", ORIGINAL, None)
    assert edited(note) == (0, 0, 0)


def test_a_repeated_idempotency_key_corrects_once(note, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/case-notes/{note.pk}"

    first = client.patch(path, {"text": CORRECTED}, format="json", HTTP_IDEMPOTENCY_KEY="edit-1")
    audits = AuditEvent.objects.count()
    again = client.patch(path, {"text": CORRECTED}, format="json", HTTP_IDEMPOTENCY_KEY="edit-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert edited(note) == (1, 1, 1)
    assert AuditEvent.objects.count() == audits


def test_a_read_scope_does_not_correct(note, cara, org_a) -> None:
    from rest_framework.test import APIClient

    from safeguard.accounts.services import api_token_create

    client = APIClient()
    key = api_token_create(actor=actor_of(cara, org_a), name="read", scopes=["cases:read"])[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert (
        client.patch(f"/api/v1/case-notes/{note.pk}", {"text": CORRECTED}, format="json").status_code == 403
    )
    note.refresh_from_db()
    assert note.text == ORIGINAL
    assert edited(note) == (0, 0, 0)
