"""A rate limit never endangers a child: a reporter held back by a limit sees the emergency
numbers of their country and keeps every answer; a report of a child in danger is not refused
but asks for a proof of work (solved by the page's script, or a short wait without it)."""

from __future__ import annotations

import json
import re
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from safeguard.directory.models import Hotline, HotlineKind
from safeguard.intake import proofofwork
from safeguard.intake.models import Report
from safeguard.intake.tests.conftest import PUBLIC_REPORT
from safeguard.intake.tests.test_public_form import ANSWERS, send

pytestmark = pytest.mark.django_db

API = "/api/v1/public/reports"
DANGER = {**ANSWERS, "child_in_danger": "yes"}


@pytest.fixture(autouse=True)
def _limits(settings: Any, org_a: Any) -> None:
    settings.INTAKE_PUBLIC_REPORT_RATE = "1/h"
    settings.INTAKE_FOLLOW_UP_RATE = "1/h"
    settings.INTAKE_PROOF_OF_WORK_BITS = 8
    settings.INTAKE_PROOF_OF_WORK_WAIT_SECONDS = 5
    Hotline.objects.create(
        country="ES", kind=HotlineKind.EMERGENCY, name="Emergencias demo", phone="555-0100"
    )
    Hotline.objects.create(country="FR", kind=HotlineKind.EMERGENCY, name="Urgences démo", phone="555-0110")


def _use_up_the_limit(client: Client) -> None:
    assert send(client, 4, "submit", **ANSWERS).status_code == 303


def _challenge_of(page: str) -> str:
    found = re.search(r'name="pow_challenge" value="([^"]+)"', page)
    assert found, "no challenge on the page"
    return found.group(1)


def test_a_reporter_held_back_sees_their_countrys_numbers_and_keeps_every_answer() -> None:
    client = Client()
    _use_up_the_limit(client)
    response = send(client, 4, "submit", **ANSWERS)
    page = response.content.decode()
    assert response.status_code == 429
    assert "We cannot accept more reports from this connection just now." in page
    assert "Emergencias demo" in page and 'href="tel:555-0100"' in page
    assert "Urgences démo" not in page  # the numbers of the reporter's country
    assert 'href="/learn/hotlines/?country=ES"' in page
    # Every answer is still in the form, ready to send again.
    assert "Two girls clean the fictional Hotel Ejemplo all night" in page
    assert 'value="Calle Ficticia"' in page and 'value="Señor Nadie"' in page
    assert 'value="out_of_school"' in page and "+34 612 345 678" in page
    assert 'value="submit"' in page
    assert Report.objects.count() == 1


def test_a_reporter_held_back_in_spanish_reads_it_in_spanish() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    _use_up_the_limit(client)
    page = send(client, 4, "submit", **ANSWERS).content.decode()
    assert "No podemos aceptar más denuncias desde esta conexión en este momento." in page


def test_a_child_in_danger_above_the_limit_gets_a_check_not_a_refusal_and_is_stored() -> None:
    client = Client()
    _use_up_the_limit(client)
    response = send(client, 4, "submit", **DANGER)
    page = response.content.decode()
    assert response.status_code == 429
    assert "A child is in danger: call for help now" in page and "Emergencias demo" in page
    assert "your report will still be accepted after a short check" in page
    assert 'src="/static/js/proof-of-work.js"' in page and "<script>" not in page
    assert "Two girls clean the fictional Hotel Ejemplo all night" in page
    challenge = _challenge_of(page)
    assert 'data-pow-bits="8"' in page
    nonce = proofofwork.solve(challenge, 8)

    response = send(client, 4, "submit", **DANGER, pow_challenge=challenge, pow_nonce=nonce, follow=True)

    assert response.status_code == 200
    assert "Your receipt code" in response.content.decode()
    report = Report.objects.latest("id")
    assert (Report.objects.count(), report.child_in_danger) == (2, "yes")


def test_without_javascript_a_short_wait_is_the_proof() -> None:
    client = Client()
    _use_up_the_limit(client)
    with mock.patch("safeguard.intake.proofofwork._now", return_value=1_000_000.0):
        challenge = _challenge_of(send(client, 4, "submit", **DANGER).content.decode())
    with mock.patch("safeguard.intake.proofofwork._now", return_value=1_000_002.0):  # pressed again after 2 s
        early = send(client, 4, "submit", **DANGER, pow_challenge=challenge)
    assert early.status_code == 429
    page = early.content.decode()
    assert "Please wait a few more seconds, then send the report again." in page
    assert _challenge_of(page) == challenge  # the same one: the wait already done counts
    assert Report.objects.count() == 1
    with mock.patch("safeguard.intake.proofofwork._now", return_value=1_000_006.0):
        response = send(client, 4, "submit", **DANGER, pow_challenge=challenge)
    assert response.status_code == 303
    assert Report.objects.count() == 2


def test_a_wrong_or_replayed_answer_is_refused_clearly_and_stores_nothing() -> None:
    client = Client()
    _use_up_the_limit(client)
    challenge = _challenge_of(send(client, 4, "submit", **DANGER).content.decode())
    nonce = proofofwork.solve(challenge, 8)
    wrong = next(str(n) for n in range(10_000) if not proofofwork.solves(challenge, str(n), 8))

    response = send(client, 4, "submit", **DANGER, pow_challenge=challenge, pow_nonce=wrong)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The answer to the check was wrong. A new one has been started; please send again." in page
    assert _challenge_of(page) != challenge
    assert "Two girls clean the fictional Hotel Ejemplo all night" in page
    assert Report.objects.count() == 1

    assert send(client, 4, "submit", **DANGER, pow_challenge=challenge, pow_nonce=nonce).status_code == 303
    replay = send(client, 4, "submit", **DANGER, pow_challenge=challenge, pow_nonce=nonce)
    assert replay.status_code == 400
    assert "This check was already used." in replay.content.decode()

    forged = send(client, 4, "submit", **DANGER, pow_challenge=challenge[:-2] + "xx", pow_nonce=nonce)
    assert forged.status_code == 400
    assert "This check was not valid." in forged.content.decode()
    assert Report.objects.count() == 2


def test_a_challenge_names_nobody_and_expires(settings: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    _use_up_the_limit(client)
    with mock.patch("safeguard.intake.proofofwork._now", return_value=2_000_000.0):
        challenge = _challenge_of(send(client, 4, "submit", **DANGER).content.decode())
    payload = proofofwork.signing.loads(challenge, salt=proofofwork.SALT)
    assert sorted(payload) == ["b", "r", "t"]  # random bytes, difficulty, time: nothing about the reporter
    assert "203.0.113.9" not in json.dumps(payload)
    nonce = proofofwork.solve(challenge, 8)
    later = 2_000_000.0 + settings.INTAKE_PROOF_OF_WORK_MAX_AGE_SECONDS + 1
    with mock.patch("safeguard.intake.proofofwork._now", return_value=later):
        response = send(client, 4, "submit", **DANGER, pow_challenge=challenge, pow_nonce=nonce)
    assert response.status_code == 400
    assert "This check has expired." in response.content.decode()
    assert Report.objects.count() == 1


def test_follow_up_held_back_keeps_the_message_and_shows_where_to_call(make_report: Any) -> None:
    report = make_report(narrative="Fictional report to follow up.")
    client = Client()
    assert client.post("/report/follow-up/", {"receipt": report.receipt}).status_code == 200
    response = client.post(
        "/report/follow-up/", {"receipt": report.receipt, "message": "He came back today."}
    )
    page = response.content.decode()
    assert response.status_code == 429
    assert "He came back today." in page and report.receipt in page
    assert 'href="/learn/hotlines/"' in page
    assert "If a child is in danger, call for help now" in page
    assert not report.messages.exists()


# The anonymous JSON endpoint behaves the same.


def _api(client: Client, body: dict[str, Any]) -> Any:
    return client.post(API, json.dumps(body), content_type="application/json")


def test_api_429_carries_the_numbers_and_no_challenge_when_no_child_is_in_danger() -> None:
    client = Client()
    assert _api(client, PUBLIC_REPORT).status_code == 201
    response = _api(client, PUBLIC_REPORT)
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["emergency"] == {
        "country": "ES",
        "numbers": [
            {"kind": "emergency", "name": "Emergencias demo", "phone": "555-0100", "url": "", "hours": ""}
        ],
        "all_numbers": "http://testserver/learn/hotlines/?country=ES",
    }
    assert "proof_of_work" not in error
    assert Report.objects.count() == 1


def test_api_child_in_danger_above_the_limit_is_stored_with_a_solved_challenge() -> None:
    client = Client()
    danger = {**PUBLIC_REPORT, "child_in_danger": True}
    assert _api(client, PUBLIC_REPORT).status_code == 201
    refused = _api(client, danger)
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["emergency"]["numbers"][0]["phone"] == "555-0100"
    challenge = error["proof_of_work"]
    assert {key: challenge[key] for key in ("bits", "wait_seconds", "algorithm")} == {
        "bits": 8,
        "wait_seconds": 5,
        "algorithm": "sha256",
    }
    answer = {"challenge": challenge["challenge"], "nonce": proofofwork.solve(challenge["challenge"], 8)}

    accepted = _api(client, {**danger, "proof_of_work": answer})
    assert accepted.status_code == 201
    assert sorted(accepted.json()) == ["receipt", "reference"]

    replayed = _api(client, {**danger, "proof_of_work": answer})
    assert replayed.status_code == 400
    assert replayed.json()["error"]["code"] == "proof_of_work_refused"
    assert "already used" in replayed.json()["error"]["message"]
    assert replayed.json()["error"]["proof_of_work"]["challenge"] != answer["challenge"]
    assert Report.objects.filter(child_in_danger="yes").count() == 1


def test_api_follow_up_429_says_where_to_call(make_report: Any) -> None:
    report = make_report()
    client = Client()
    body = {"receipt": report.receipt}
    assert client.post("/api/v1/public/follow-up", body, content_type="application/json").status_code == 200
    response = client.post("/api/v1/public/follow-up", body, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["error"]["emergency"] == {
        "country": "",
        "numbers": [],
        "all_numbers": "http://testserver/learn/hotlines/",
    }
