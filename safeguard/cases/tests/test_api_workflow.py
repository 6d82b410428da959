"""Case workflow steps in the API: notes, closure (request, decision) and reopening.

Each goes through the service the web page uses; every role of org A and org B's staff is tried."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safeguard.cases.models import CaseEventKind, CaseNote, CaseStatus, ClosureChecklistItem
from safeguard.cases.tests.conftest import token_client
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

NOTE = {"kind": "visit", "occurred_on": "2026-01-05", "text": "Fictional home visit; all well."}


# Cara owns the case; Sue supervises org A; Carl (no team) and org B's staff cannot reach it;
# the analyst and the operator have no case role at all.
NOTE_ANSWERS = {"cara": 201, "sue": 201, "carl": 404, "beth": 404, "bert": 404, "ana": 403, "bob": 403}


@pytest.mark.parametrize(("who", "expected"), sorted(NOTE_ANSWERS.items()))
def test_writing_a_note_for_every_role_and_the_other_organisation(case_a, cast, who, expected) -> None:
    response = token_client(*cast[who]).post(f"/api/v1/cases/{case_a.pk}/notes", NOTE, format="json")
    assert response.status_code == expected, response.content
    assert CaseNote.objects.filter(case=case_a).count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(("who", "expected"), sorted({**NOTE_ANSWERS, "cara": 200, "sue": 200}.items()))
def test_reading_the_notes_for_every_role_and_the_other_organisation(
    case_a, cara, org_a, cast, who, expected
):
    from safeguard.cases.services.notes import note_add

    note_add(
        actor=actor_of(cara, org_a),
        case=case_a,
        kind="visit",
        text="Fictional.",
        occurred_on=timezone.localdate(),
    )
    response = token_client(*cast[who]).get(f"/api/v1/cases/{case_a.pk}/notes")
    assert response.status_code == expected
    if expected == 200:
        assert [row["text"] for row in response.json()["results"]] == ["Fictional."]
    else:
        assert "Fictional." not in response.content.decode()


def test_a_note_is_validated_and_supervision_is_for_supervisors(case_a, cara, sue, org_a) -> None:
    client = token_client(cara, org_a)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(f"/api/v1/cases/{case_a.pk}/notes", {**NOTE, "occurred_on": future}, format="json")
    assert response.status_code == 400
    assert "occurred_on" in response.json()["error"]["fields"]
    response = client.post(f"/api/v1/cases/{case_a.pk}/notes", {**NOTE, "kind": "supervision"}, format="json")
    assert response.status_code == 403
    response = token_client(sue, org_a).post(
        f"/api/v1/cases/{case_a.pk}/notes", {**NOTE, "kind": "supervision"}, format="json"
    )
    assert response.status_code == 201
    assert list(CaseNote.objects.values_list("kind", flat=True)) == ["supervision"]


def test_a_repeated_idempotency_key_writes_one_note(case_a, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/notes"
    first = client.post(path, NOTE, format="json", HTTP_IDEMPOTENCY_KEY="note-1")
    audits = AuditEvent.objects.count()
    again = client.post(path, NOTE, format="json", HTTP_IDEMPOTENCY_KEY="note-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CaseNote.objects.filter(case=case_a).count() == 1
    assert AuditEvent.objects.count() == audits


def test_closure_takes_two_people_and_a_case_can_be_reopened(case_a, cara, sue, sid, org_a) -> None:
    item = ClosureChecklistItem.objects.create(organisation=org_a, text="Child told of the closure.")
    base = f"/api/v1/cases/{case_a.pk}"
    sue_client = token_client(sue, org_a)

    missing = sue_client.post(f"{base}/closure", {"reason_code": "other"}, format="json")
    assert missing.status_code == 400
    unconfirmed = sue_client.post(
        f"{base}/closure", {"reason_code": "other", "reason": "Moved."}, format="json"
    )
    assert unconfirmed.status_code == 400
    asked = sue_client.post(
        f"{base}/closure", {"reason_code": "other", "reason": "Moved.", "confirmed": [item.pk]}, format="json"
    )
    assert asked.status_code == 200
    assert asked.json()["status"] == CaseStatus.CLOSURE_REQUESTED

    # The caseworker may not decide; the supervisor who asked may not either; another may.
    assert (
        token_client(cara, org_a)
        .post(f"{base}/closure/decision", {"approve": True}, format="json")
        .status_code
        == 403
    )
    assert sue_client.post(f"{base}/closure/decision", {"approve": True}, format="json").status_code == 400
    closed = token_client(sid, org_a).post(f"{base}/closure/decision", {"approve": True}, format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == CaseStatus.CLOSED

    client = token_client(cara, org_a)
    assert client.post(f"{base}/reopen", {"reason": " "}, format="json").status_code == 400
    reopened = client.post(f"{base}/reopen", {"reason": "New information."}, format="json")
    assert reopened.status_code == 200
    assert reopened.json()["status"] == CaseStatus.OPEN
    kinds = list(case_a.events.values_list("kind", flat=True))
    for kind in (CaseEventKind.CLOSURE_REQUESTED, CaseEventKind.CLOSED, CaseEventKind.REOPENED):
        assert kind in kinds


@pytest.mark.parametrize("who", ["carl", "ana", "bob", "beth", "bert"])
def test_closure_and_reopening_are_refused_outside_reach(case_a, cast, who) -> None:
    client = token_client(*cast[who])
    base = f"/api/v1/cases/{case_a.pk}"
    for path, body in (
        ("closure", {"reason_code": "other", "reason": "x"}),
        ("closure/decision", {"approve": True}),
        ("reopen", {"reason": "x"}),
    ):
        assert client.post(f"{base}/{path}", body, format="json").status_code in (403, 404)
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.OPEN


def write_then_list(client: APIClient, rows: Any, step: str, body: dict, expected: int) -> list[dict]:
    """POST ``body`` to the case's ``step``, then GET its list: the rows the caller reads back.

    ``rows`` is the case's related manager for the step; a refused write must add none and
    the refused caller must not read the list either."""
    case_pk = rows.instance.pk
    response = client.post(f"/api/v1/cases/{case_pk}/{step}", body, format="json")
    assert response.status_code == expected, response.content
    assert rows.count() == (1 if expected == 201 else 0)
    listing = client.get(f"/api/v1/cases/{case_pk}/{step}")
    assert listing.status_code == (200 if expected == 201 else expected)
    return listing.json()["results"] if expected == 201 else []


FOLLOW_UP = {"due_on": "2030-01-10", "purpose": "Check on school attendance."}


@pytest.mark.parametrize(("who", "expected"), sorted(NOTE_ANSWERS.items()))
def test_scheduling_a_follow_up_for_every_role_and_the_other_organisation(
    case_a, cast, who, expected
) -> None:
    rows = write_then_list(token_client(*cast[who]), case_a.follow_ups, "follow-ups", FOLLOW_UP, expected)
    assert [row["purpose"] for row in rows] == ([FOLLOW_UP["purpose"]] if expected == 201 else [])


def test_a_follow_up_is_recorded_once_and_its_task_ends(case_a, cara, beth, org_a, org_b) -> None:
    from safeguard.cases.models import Task, TaskKind

    client = token_client(cara, org_a)
    follow_up = client.post(f"/api/v1/cases/{case_a.pk}/follow-ups", FOLLOW_UP, format="json").json()
    task = Task.objects.get(case=case_a, kind=TaskKind.FOLLOW_UP, source_id=follow_up["id"])
    path = f"/api/v1/follow-ups/{follow_up['id']}/record"
    body = {"done_on": "2026-01-10", "outcome": "seen_well", "notes": "Fictional: attends school."}

    assert token_client(beth, org_b).post(path, body, format="json").status_code == 404
    assert client.post(path, {**body, "outcome": "maybe"}, format="json").status_code == 400
    recorded = client.post(path, body, format="json")
    assert recorded.status_code == 200
    assert (recorded.json()["done_on"], recorded.json()["outcome"]) == ("2026-01-10", "seen_well")
    task.refresh_from_db()
    assert task.done_at is not None
    again = client.post(path, body, format="json")
    assert again.status_code == 400
    assert "already been recorded" in again.json()["error"]["message"] + str(
        again.json()["error"].get("fields")
    )


@pytest.mark.parametrize(("who", "expected"), sorted(NOTE_ANSWERS.items()))
def test_recording_a_milestone_for_every_role_and_the_other_organisation(case_a, cast, who, expected) -> None:
    body = {"kind": "school_enrolment", "reached_on": "2026-01-12"}
    response = token_client(*cast[who]).post(f"/api/v1/cases/{case_a.pk}/milestones", body, format="json")
    assert response.status_code == expected
    assert case_a.milestones.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize(("who", "expected"), sorted(NOTE_ANSWERS.items()))
def test_recording_a_consent_for_every_role_and_the_other_organisation(case_a, cast, shelter, who, expected):
    body = {
        "given_by": "child",
        "scope": "share_organisation",
        "organisation": shelter.pk,
        "given_on": "2026-01-02",
    }
    rows = write_then_list(token_client(*cast[who]), case_a.consents, "consents", body, expected)
    assert [row["given_by"] for row in rows] == (["child"] if expected == 201 else [])


def test_a_consent_names_its_organisation_and_is_withdrawn_once(case_a, cara, beth, org_a, org_b, shelter):
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/consents"
    unnamed = client.post(
        path, {"given_by": "child", "scope": "share_organisation", "given_on": "2026-01-02"}, format="json"
    )
    assert unnamed.status_code == 400
    assert "organisation" in unnamed.json()["error"]["fields"]
    consent = client.post(
        path, {"given_by": "child", "scope": "share_organisation", "organisation": shelter.pk, "given_on": "2026-01-02"},
        format="json",
    ).json()  # fmt: skip
    withdraw = f"/api/v1/consents/{consent['id']}/withdraw"
    assert token_client(beth, org_b).post(withdraw).status_code == 404
    withdrawn = client.post(withdraw, HTTP_IDEMPOTENCY_KEY="w-1")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_at"] is not None
    assert client.post(withdraw, HTTP_IDEMPOTENCY_KEY="w-1")["Idempotent-Replayed"] == "true"
    assert client.post(withdraw).status_code == 400
    assert case_a.events.filter(kind=CaseEventKind.CONSENT_WITHDRAWN).count() == 1


def test_tasks_are_the_callers_own_and_only_they_mark_them_done(case_a, cara, sue, ana, beth, org_a, org_b):
    client = token_client(cara, org_a)
    client.post(f"/api/v1/cases/{case_a.pk}/follow-ups", FOLLOW_UP, format="json")
    tasks = client.get("/api/v1/tasks").json()["results"]
    # Registration gave Cara the initial assessment; the follow-up adds the second, due later.
    assert [(row["kind"], row["case_reference"]) for row in tasks] == [
        ("assessment", case_a.reference),
        ("follow_up", case_a.reference),
    ]
    tasks = tasks[1:]
    done = f"/api/v1/tasks/{tasks[0]['id']}/done"

    assert token_client(sue, org_a).get("/api/v1/tasks").json()["results"] == []  # not her task
    assert token_client(sue, org_a).post(done).status_code == 404
    assert token_client(beth, org_b).post(done).status_code == 404
    assert token_client(ana, org_a).get("/api/v1/tasks").status_code == 403
    assert token_client(ana, org_a).post(done).status_code == 403

    answer = client.post(done)
    assert answer.status_code == 200
    assert answer.json()["done_at"] is not None
    assert [row["kind"] for row in client.get("/api/v1/tasks").json()["results"]] == ["assessment"]
    assert case_a.events.filter(kind=CaseEventKind.TASK_DONE).count() == 1
