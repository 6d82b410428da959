"""Learning records: xAPI statements of each attempt, the JSON export (own organisation only),
and the push to a learning record store (a fake one on localhost: no network)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

import pytest
from django.test import Client, override_settings

from safeguard.accounts.models import Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.learning import records, tasks, xapi
from safeguard.learning.models import Course, Enrolment, Statement
from safeguard.learning.services import attempt_submit, enrolment_start, starter_course_install
from safeguard.testing.fixtures import actor_of

from .conftest import small_course

pytestmark = pytest.mark.django_db

RIGHT = {"q1": ["true"], "q2": ["a"]}
WRONG = {"q1": ["false"], "q2": ["b"]}


@pytest.fixture
def course(db: None) -> Course:
    return starter_course_install(content=small_course())[0]


def _take(user: User, organisation: Organisation, course: Course, answers: dict[str, list[str]]) -> Enrolment:
    enrolment = enrolment_start(actor=actor_of(user, organisation), course=course, language="en")
    attempt_submit(enrolment=enrolment, answers=answers)
    return enrolment


def test_a_pass_is_recorded_as_valid_statements_that_do_not_identify_the_learner(
    course: Course, alice: User, org_a: Organisation
) -> None:
    enrolment = _take(alice, org_a, course, RIGHT)
    statements = [row.body for row in Statement.objects.filter(enrolment=enrolment)]
    assert xapi.problems_in(statements) == []
    assert [s["verb"]["id"] for s in statements] == [
        "http://adlnet.gov/expapi/verbs/answered",
        "http://adlnet.gov/expapi/verbs/answered",
        "http://adlnet.gov/expapi/verbs/passed",
        "http://adlnet.gov/expapi/verbs/completed",
    ]
    base = "https://safeguard.invalid/learn/alpha-course/v1"
    assert [s["object"]["id"] for s in statements] == [
        f"{base}/quiz/q1",
        f"{base}/quiz/q2",
        f"{base}/quiz",
        base,
    ]
    assert statements[0]["object"]["definition"]["interactionType"] == "true-false"
    assert statements[2]["result"] == {
        "success": True,
        "completion": True,
        "score": {"scaled": 1.0, "raw": 2.0, "min": 0, "max": 2},
    }
    assert statements[2]["context"]["contextActivities"] == {
        "parent": [{"objectType": "Activity", "id": base}]
    }
    # One pseudonym for the learner in every statement; nothing that names them.
    actors = {json.dumps(s["actor"], sort_keys=True) for s in statements}
    assert len(actors) == 1
    assert statements[0]["actor"]["account"]["name"] == str(alice.learning_pseudonym.key)
    flat = json.dumps(statements)
    for identifying in (alice.email, alice.name, f'"{alice.pk}"'):
        assert identifying not in flat
    # The answers given are not recorded, only whether each was right.
    assert '"true"' not in flat.replace('"success": true', "")


def test_a_failed_attempt_is_recorded_with_its_score(
    course: Course, alice: User, org_a: Organisation
) -> None:
    enrolment = _take(alice, org_a, course, WRONG)
    verbs = list(Statement.objects.filter(enrolment=enrolment).values_list("verb", flat=True))
    assert verbs == ["answered", "answered", "failed"]
    failed = Statement.objects.get(enrolment=enrolment, verb="failed").body
    assert failed["result"]["success"] is False
    assert failed["result"]["score"] == {"scaled": 0.0, "raw": 0.0, "min": 0, "max": 2}


def test_the_shape_check_refuses_what_an_lrs_would() -> None:
    assert xapi.problems({}) == [
        "actor is required",
        "verb is required",
        "object is required",
        "id must be a UUID",
        "actor must be identified by an account only",
        "verb.id must be an IRI",
        "verb.display must be a language map",
        "object.id must be an IRI",
        "object.definition.type must be an IRI",
        "timestamp must be ISO 8601 with a time zone",
    ]
    mailbox = {"mbox_sha1sum": "ab" * 20, "account": {"homePage": "https://x.example", "name": "n"}}
    assert "actor must be identified by an account only" in xapi.problems({"actor": mailbox})


def test_the_export_holds_only_the_organisations_learners_and_is_refused_to_operators(
    course: Course,
    alice: User,
    bob: User,
    charlie: User,
    org_a: Organisation,
    org_b: Organisation,
    client_for: Callable[[User], Client],
) -> None:
    _take(alice, org_a, course, RIGHT)
    _take(bob, org_a, course, WRONG)
    _take(charlie, org_b, course, RIGHT)

    response = client_for(alice).get("/learn/manage/records.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="learning-records-')
    exported = response.json()
    assert exported["more"] == ""
    assert [s["verb"]["display"]["en-US"] for s in exported["statements"]] == [
        "answered", "answered", "passed", "completed", "answered", "answered", "failed",
    ]  # fmt: skip
    charlie_pseudonym = str(charlie.learning_pseudonym.key)
    assert charlie_pseudonym not in response.content.decode()
    assert AuditEvent.objects.filter(action="learning.records_exported", organisation=org_a).count() == 1

    assert [s["actor"]["account"]["name"] for s in client_for(charlie).get("/learn/manage/records.json").json()["statements"]] == [charlie_pseudonym] * 4  # fmt: skip

    exports = AuditEvent.objects.filter(action="learning.records_exported")
    assert exports.count() == 2
    assert client_for(bob).get("/learn/manage/records.json").status_code == 403
    assert exports.count() == 2


class FakeStore:
    """A learning record store on localhost that answers with the statuses it is given."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[dict[str, Any]] = []
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                store.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                status = store.statuses.pop(0) if store.statuses else 200
                payload = json.dumps([s["id"] for s in body] if status == 200 else {"error": "busy"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def fake_store() -> Iterator[Callable[[list[int]], FakeStore]]:
    stores: list[FakeStore] = []

    def start(statuses: list[int]) -> FakeStore:
        stores.append(FakeStore(statuses))
        return stores[-1]

    yield start
    for store in stores:
        store.server.shutdown()
        store.server.server_close()


def test_statements_are_pushed_after_the_attempt_commits_and_retried_after_a_failure(
    course: Course,
    alice: User,
    org_a: Organisation,
    fake_store: Callable[[list[int]], FakeStore],
    django_capture_on_commit_callbacks: Any,
) -> None:
    store = fake_store([503])
    with (
        override_settings(LRS_ENDPOINT=store.url, LRS_USERNAME="lrs-user", LRS_PASSWORD="lrs-secret"),
        mock.patch.object(tasks, "schedule_retry") as schedule_retry,
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            _take(alice, org_a, course, RIGHT)
        assert len(callbacks) == 1
        # The store was busy: nothing sent, each statement counts the failure, a retry is scheduled.
        schedule_retry.assert_called_once_with(1)
        assert list(Statement.objects.values_list("sent_at", "send_attempts")) == [(None, 1)] * 4
        assert "503" in Statement.objects.first().last_error  # type: ignore[union-attr]

        assert tasks.lrs_push.call(attempt=1) == 4
    assert list(Statement.objects.filter(sent_at__isnull=True)) == []
    assert len(store.requests) == 2
    sent = store.requests[1]
    assert sent["path"] == "/xapi/statements"
    assert sent["headers"]["x-experience-api-version"] == "1.0.3"
    assert sent["headers"]["authorization"] == "Basic " + base64.b64encode(b"lrs-user:lrs-secret").decode()
    assert [s["id"] for s in sent["body"]] == [
        str(pk) for pk in Statement.objects.values_list("id", flat=True)
    ]
    assert records.lrs_push_pending() == records.PushOutcome(sent=0, failed=0, more=False)


def test_without_an_endpoint_nothing_is_scheduled(
    course: Course, alice: User, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _take(alice, org_a, course, RIGHT)
    assert callbacks == []
    assert Statement.objects.count() == 4


def test_a_statement_that_keeps_failing_stops_being_sent(
    course: Course, alice: User, org_a: Organisation, fake_store: Callable[[list[int]], FakeStore]
) -> None:
    _take(alice, org_a, course, RIGHT)
    Statement.objects.update(send_attempts=records.MAX_SEND_ATTEMPTS)
    store = fake_store([])
    with override_settings(LRS_ENDPOINT=store.url):
        assert records.lrs_push_pending() == records.PushOutcome(sent=0, failed=0, more=False)
    assert store.requests == []
