"""The public form never repeats or loses a report (issue 16 §1, decisions 120 and 121): a
replayed POST goes to the same receipt page and stores nothing; the receipt is shown once;
changing language keeps every answer; every answer is reviewed before sending."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeguard.intake import submissions
from safeguard.intake.models import PublicSubmission, Report
from safeguard.intake.tests.test_anonymity import database_text
from safeguard.intake.tests.test_public_form import ANSWERS

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r'<span class="receipt-group">([0-9A-Z]{4})</span>')


def token_of(page: str) -> str:
    found = re.search(r'name="submission" value="([^"]+)"', page)
    assert found, "no submission token in the form"
    return found.group(1)


def final_post(token: str, **extra: Any) -> dict[str, Any]:
    return {**ANSWERS, "step": "5", "action": "submit", "submission": token, **extra}


def test_a_replayed_submission_stores_one_report_and_shows_the_receipt_once(org_a: Any) -> None:
    client = Client()
    token = token_of(client.get("/report/").content.decode())
    first = client.post("/report/", final_post(token))
    assert first.status_code == 303
    page = client.get(first["Location"]).content.decode()
    receipt = "-".join(RECEIPT.findall(page))
    assert len(receipt) == 29
    assert "It cannot be shown again" in page

    # The browser's "resend" after a reload, and a second press on a slow connection.
    for _ in range(2):
        replay = client.post("/report/", final_post(token))
        assert replay.status_code == 303
        assert replay["Location"] == first["Location"]
    again = client.get(first["Location"])
    assert again.status_code == 200
    shown = again.content.decode()
    assert Report.objects.get().reference in shown
    assert "was already sent and its receipt code was shown once" in shown
    assert not RECEIPT.findall(shown) and receipt not in shown
    assert Report.objects.count() == 1 and PublicSubmission.objects.count() == 1
    # Once shown, the receipt is nowhere in the database, sealed or not.
    assert PublicSubmission.objects.get().sealed_receipt in (b"", memoryview(b""))
    assert receipt not in database_text()


def test_a_replay_before_the_receipt_was_seen_still_gets_it(org_a: Any) -> None:
    """The connection dropped after the report was stored: the retry lands on the receipt."""
    token = submissions.issue()
    Client().post("/report/", final_post(token))  # the answer never reached the reporter
    retry = Client().post("/report/", final_post(token), HTTP_X_SAFEGUARD_SUBMIT="fetch")
    assert retry.status_code == 200 and "no-store" in retry["Cache-Control"]
    page = Client().get(retry.json()["receipt_page"]).content.decode()
    assert len(RECEIPT.findall(page)) == 6
    assert Report.objects.count() == 1


def test_different_tokens_are_different_reports_and_a_forged_token_is_not_refused(org_a: Any) -> None:
    one = Client().post("/report/", final_post(submissions.issue()))
    two = Client().post("/report/", final_post(submissions.issue()))
    forged = Client().post("/report/", final_post("not-a-token-we-issued"))
    assert {one.status_code, two.status_code, forged.status_code} == {303}
    assert len({one["Location"], two["Location"], forged["Location"]}) == 3
    assert Report.objects.count() == 3


def test_a_replay_is_not_counted_against_the_rate_limit(org_a: Any, settings: Any) -> None:
    settings.INTAKE_PUBLIC_REPORT_RATE = "1/h"
    client = Client()
    token = submissions.issue()
    assert client.post("/report/", final_post(token)).status_code == 303
    assert client.post("/report/", final_post(token)).status_code == 303  # not a 429
    assert client.post("/report/", final_post(submissions.issue())).status_code == 429
    assert Report.objects.count() == 1


def test_an_unknown_receipt_page_and_a_receipt_never_viewed_are_forgotten(org_a: Any, settings: Any) -> None:
    assert Client().get("/report/sent/" + "A" * 43 + "/").status_code == 404
    assert Client().get("/report/sent/short/").status_code == 404
    location = Client().post("/report/", final_post(submissions.issue()))["Location"]
    PublicSubmission.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.INTAKE_SUBMISSION_RECEIPT_HOURS, minutes=1)
    )
    page = Client().get(location).content.decode()
    assert not RECEIPT.findall(page) and "was already sent" in page
    PublicSubmission.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.INTAKE_SUBMISSION_TOKEN_HOURS + 2)
    )
    assert submissions.forget_stale_receipts() == 1
    assert not PublicSubmission.objects.exists() and Report.objects.count() == 1


def test_the_receipt_page_is_in_the_reports_language_and_offers_copy_and_download(org_a: Any) -> None:
    token = submissions.issue()
    sent = Client().post("/report/", final_post(token, ui_language="fr"))
    page = Client().get(sent["Location"]).content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert 'id="language"' not in page  # switching would reload the page, and the code is shown once
    assert "data-copy=" in page
    download = re.search(r'href="data:text/plain;charset=utf-8,([^"]+)" download="receipt-SG-', page)
    assert download, "no download link"
    receipt = "-".join(RECEIPT.findall(page))
    assert receipt.replace("-", "") in download.group(1).replace("-", "")


def test_changing_language_keeps_every_answer_and_the_step(org_a: Any) -> None:
    client = Client()
    token = token_of(client.get("/report/").content.decode())
    response = client.post(
        "/report/", {**ANSWERS, "step": "2", "action": "language", "ui_language": "es", "submission": token}
    )
    assert response.status_code == 200 and not response.cookies
    page = response.content.decode()
    assert '<html lang="es" dir="ltr">' in page and "Paso 3 de 6" in page
    assert "puede cambiar de idioma en cualquier momento" in page.lower()
    assert token_of(page) == token
    for kept in (
        "Two girls clean the fictional Hotel Ejemplo",
        'value="Calle Ficticia"',
        'value="Señor Nadie"',
    ):
        assert kept in page
    assert 'value="out_of_school"' in page and "+34 612 345 678" in page
    # The next step stays in Spanish without any cookie: the switch is part of the form.
    following = client.post("/report/", {**ANSWERS, "step": "2", "ui_language": "es", "submission": token})
    assert "Paso 4 de 6" in following.content.decode()
    assert 'name="ui_language"' in following.content.decode()
    assert Report.objects.count() == 0


def test_changing_language_on_the_follow_up_form_keeps_the_code_and_message(make_report: Any) -> None:
    response = Client().post(
        "/report/follow-up/",
        {"receipt": "ABCD-EFGH", "message": "Un mensaje a medias", "action": "language", "ui_language": "es"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and '<html lang="es" dir="ltr">' in page
    assert 'value="ABCD-EFGH"' in page and "Un mensaje a medias" in page
    assert 'class="errorlist' not in page


def test_every_answer_is_reviewed_before_sending_and_can_be_changed(org_a: Any) -> None:
    client = Client()
    token = token_of(client.get("/report/").content.decode())
    review = client.post("/report/", {**ANSWERS, "step": "4", "action": "next", "submission": token})
    assert review.status_code == 200
    page = review.content.decode()
    assert "check your answers" in page.lower()
    assert "Spain" in page and "Calle Ficticia" in page and "Señor Nadie" in page
    assert "A child is not going to school" in page  # choices by their labels
    assert 'value="submit"' in page and 'name="edit" value="1"' in page
    assert Report.objects.count() == 0
    edit = client.post("/report/", {**ANSWERS, "step": "5", "edit": "1", "submission": token})
    assert "Step 2 of 6" in edit.content.decode() and 'value="Calle Ficticia"' in edit.content.decode()
    sent = client.post("/report/", final_post(token))
    assert sent.status_code == 303 and Report.objects.count() == 1


def test_a_review_with_a_wrong_answer_goes_back_to_its_step(org_a: Any) -> None:
    response = Client().post("/report/", {**ANSWERS, "child_1_age": "40", "step": "4", "action": "next"})
    assert response.status_code == 400
    assert "Step 3 of 6" in response.content.decode()
