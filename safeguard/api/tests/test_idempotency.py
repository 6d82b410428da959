"""``Idempotency-Key``: a repeated key gives the first answer and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from safeguard.accounts.services import api_token_create
from safeguard.api.idempotency import RUNNING_FOR
from safeguard.api.models import IdempotentRequest
from safeguard.core.models import AuditEvent
from safeguard.intake.models import Report, ReportNote
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def client_with_token(user, organisation) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(actor=actor_of(user, organisation), name='t')[1]}"
    )
    return client


@pytest.fixture
def report(org_a) -> Report:
    return report_submit(
        data=ReportInput(narrative="Fictional test narrative about a worrying situation."),
        channel="web",
        organisation=org_a,
    ).report


def note(client: APIClient, report: Report, body: str, key: str = "key-1"):
    return client.post(
        f"/api/v1/reports/{report.pk}/notes", {"body": body}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_repeated_key_returns_the_first_answer_and_writes_nothing(bob, org_a, report) -> None:
    client = client_with_token(bob, org_a)

    first = note(client, report, "Called back.")
    audits = AuditEvent.objects.count()
    again = note(client, report, "Called back.")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ReportNote.objects.filter(report=report).count() == 1
    assert AuditEvent.objects.count() == audits


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(bob, org_a, report) -> None:
    client = client_with_token(bob, org_a)
    note(client, report, "Called back.")

    other = note(client, report, "Something else.")

    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert ReportNote.objects.filter(report=report).count() == 1


def test_keys_belong_to_one_credential(bob, supervisor_a, org_a, report) -> None:
    note(client_with_token(bob, org_a), report, "From Bob.")
    note(client_with_token(bob, org_a), report, "From Bob.")  # another token of Bob: its own keys
    note(client_with_token(supervisor_a, org_a), report, "From Bob.")

    assert ReportNote.objects.filter(report=report).count() == 3


def test_an_error_is_not_kept_so_the_corrected_request_runs(bob, org_a, report) -> None:
    client = client_with_token(bob, org_a)

    assert note(client, report, "").status_code == 400
    assert note(client, report, "Now with a body.").status_code == 201
    assert ReportNote.objects.filter(report=report).count() == 1


def test_a_key_still_running_is_a_409_and_one_given_up_runs_again(bob, org_a, report) -> None:
    client = client_with_token(bob, org_a)
    note(client, report, "Called back.")
    row = IdempotentRequest.objects.get()
    row.status_code = None  # as if the first request were still running
    row.save()

    assert note(client, report, "Called back.").status_code == 409
    IdempotentRequest.objects.filter(pk=row.pk).update(
        created_at=row.created_at - RUNNING_FOR - timedelta(seconds=1)
    )
    assert note(client, report, "Called back.").status_code == 201
    assert ReportNote.objects.filter(report=report).count() == 2


def test_the_first_answer_is_stored_encrypted(bob, org_a) -> None:
    from django.db import connection

    client = client_with_token(bob, org_a)
    answer = client.post(
        "/api/v1/reports",
        {"narrative": "Told by phone: fictional.", "channel": "phone"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="intake-1",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM api_idempotentrequest")
        (stored,) = cursor.fetchone()
    assert answer.json()["receipt"] not in stored
    assert IdempotentRequest.objects.get().body["receipt"] == answer.json()["receipt"]


def test_a_malformed_key_is_a_400(bob, org_a, report) -> None:
    client = client_with_token(bob, org_a)
    assert note(client, report, "Called back.", key="has spaces").status_code == 400
    assert ReportNote.objects.count() == 0


def test_every_staff_write_documents_the_header_and_its_answers(client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    writes = [
        (path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "post" and operation.get("security") and {} not in operation["security"]
    ]
    assert len(writes) >= 20
    for path, operation in writes:
        assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]], path
        assert {"409", "422"} <= set(operation["responses"]), path
