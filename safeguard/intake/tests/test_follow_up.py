"""Follow-up with a receipt, on the web and through the API; wrong codes and throttling."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeguard.core.models import AuditEvent
from safeguard.intake.choices import Status
from safeguard.intake.models import ReportMessage
from safeguard.intake.services.triage import report_ask_reporter, report_change_status
from safeguard.testing.fixtures import actor_of

API = "/api/v1/public/follow-up"


@pytest.mark.django_db
def test_api_answers_status_and_questions_and_adds_a_message(make_report: Any, bob: Any, org_a: Any) -> None:
    report = make_report()
    report_ask_reporter(report=report, body="Which street was it?", actor=actor_of(bob, org_a))
    client = Client()
    response = client.post(API, {"receipt": report.receipt}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["status"]) == (report.reference, "in_review")
    assert [(m["from"], m["body"]) for m in body["messages"]] == [("hotline", "Which street was it?")]
    response = client.post(
        API,
        {"receipt": report.receipt.lower().replace("-", " "), "message": "Calle Inventada 5"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [(m["from"], m["body"]) for m in response.json()["messages"]][-1] == ("you", "Calle Inventada 5")
    report.refresh_from_db()
    assert report.status == Status.IN_TRIAGE  # the answer puts it back in triage
    assert ReportMessage.objects.filter(report=report, direction="reporter").count() == 1


@pytest.mark.django_db
def test_new_report_is_received_and_closed_report_is_closed(make_report: Any, bob: Any, org_a: Any) -> None:
    report = make_report()
    body = Client().post(API, {"receipt": report.receipt}, content_type="application/json").json()
    assert body["status"] == "received"
    report_change_status(
        report=report, status=Status.CLOSED, outcome="not_actionable", actor=actor_of(bob, org_a)
    )
    body = Client().post(API, {"receipt": report.receipt}, content_type="application/json").json()
    assert body["status"] == "closed"


@pytest.mark.django_db
def test_wrong_code_gets_the_same_generic_answer(make_report: Any) -> None:
    report = make_report()
    wrong_secret = report.receipt[:10] + ("A" if report.receipt[10] != "A" else "B") + report.receipt[11:]
    answers = [
        Client().post(API, {"receipt": code}, content_type="application/json")
        for code in (wrong_secret, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ", "short")
    ]
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert {answer.json()["error"]["message"] for answer in answers} == {
        "No report matches this receipt code."
    }


@pytest.mark.django_db
def test_guessing_is_throttled_even_with_a_right_code_afterwards(make_report: Any, settings: Any) -> None:
    settings.INTAKE_FOLLOW_UP_FAILURE_RATE = "3/h"
    report = make_report()
    client = Client()
    codes = [
        client.post(
            API, {"receipt": f"ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZ{n}"}, content_type="application/json"
        ).status_code
        for n in range(3)
    ]
    assert codes == [404, 404, 404]
    assert client.post(API, {"receipt": report.receipt}, content_type="application/json").status_code == 429
    # Another connection is not affected.
    assert (
        Client(REMOTE_ADDR="198.51.100.9")
        .post(API, {"receipt": report.receipt}, content_type="application/json")
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_web_follow_up_shows_status_questions_and_takes_an_answer(
    make_report: Any, bob: Any, org_a: Any
) -> None:
    report = make_report()
    report_ask_reporter(report=report, body="How old was the girl?", actor=actor_of(bob, org_a))
    client = Client()
    page = client.post("/report/follow-up/", {"receipt": report.receipt}).content.decode()
    assert "In review" in page and "How old was the girl?" in page
    response = client.post("/report/follow-up/", {"receipt": report.receipt, "message": "About 14"})
    assert response.status_code == 200
    assert "Your message was added" in response.content.decode()
    assert list(report.messages.filter(direction="reporter").values_list("body", flat=True)) == ["About 14"]
    assert AuditEvent.objects.filter(action="report.reporter_message", actor__isnull=True).count() == 1


@pytest.mark.django_db
def test_web_wrong_code_keeps_what_was_typed(make_report: Any) -> None:
    make_report()
    response = Client().post(
        "/report/follow-up/", {"receipt": "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01", "message": "hello"}
    )
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not open a report with this code" in page
    assert 'value="ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"' in page and "hello</textarea>" in page
