"""No address or user agent of a public reporter reaches the database or the logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from safeguard.intake.models import ReportEvent
from safeguard.intake.tests.test_public_form import ANSWERS

ADDRESS = "203.0.113.77"
AGENT = "UniqueAgent/9.9 (Fictional; Reporter-Device-XYZ)"


def database_text() -> str:
    """Every value of every table, as text (encrypted columns stay encrypted)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


@pytest.mark.django_db
def test_public_submissions_leave_no_address_or_agent(org_a: Any, caplog: Any, settings: Any) -> None:
    settings.INTAKE_PUBLIC_REPORT_RATE = "100/h"
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=ADDRESS)
    response = client.post("/report/", {**ANSWERS, "step": "4", "action": "submit"}, follow=True)
    assert response.redirect_chain[0][1] == 303 and response.status_code == 200
    api = client.post(
        "/api/v1/public/reports", json.dumps({"narrative": "via the API"}), content_type="application/json"
    )
    assert api.status_code == 201
    broken = client.post("/api/v1/public/reports", "{broken", content_type="application/json")
    assert broken.status_code == 400  # an error path too
    receipt = api.json()["receipt"]
    assert client.post("/report/follow-up/", {"receipt": receipt, "message": "more"}).status_code == 200
    assert client.post("/report/follow-up/", {"receipt": "WRONG-CODE"}).status_code == 404

    # The timeline has a row for each report and for the reporter's message: the scan covers them.
    assert sorted(ReportEvent.objects.values_list("kind", flat=True)) == [
        "received",
        "received",
        "reporter_answered",
    ]
    stored = database_text()
    assert "Two girls clean" not in stored  # sanity: free text is encrypted, so the scan sees ciphertext
    assert "via the API" not in stored
    for secret in (ADDRESS, "203.0.113", AGENT, "UniqueAgent", "Reporter-Device-XYZ"):
        assert secret not in stored
        assert secret not in caplog.text
        for record in caplog.records:
            assert secret not in str(record.__dict__)
    # Sanity: the scan does see what is stored in clear.
    assert api.json()["reference"] in stored
