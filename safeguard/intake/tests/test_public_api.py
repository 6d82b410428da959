"""POST /api/v1/public/reports: exact shapes, field errors, partner channels, rate limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.core.fields import blind_index_for
from safeguard.core.models import AuditEvent
from safeguard.intake import receipts
from safeguard.intake.choices import Channel, Urgency
from safeguard.intake.models import Report, ReportIdentifier
from safeguard.intake.services.channels import partner_channel_create, partner_channel_revoke
from safeguard.intake.tests.conftest import PUBLIC_REPORT
from safeguard.testing.fixtures import actor_of

URL = "/api/v1/public/reports"


def post(client: Client, body: Any, **extra: Any) -> Any:
    payload = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, payload, content_type="application/json", **extra)


@pytest.mark.django_db
def test_accepted_report_answers_reference_and_receipt_and_stores_it(org_a: Any) -> None:
    response = post(Client(), PUBLIC_REPORT)
    assert response.status_code == 201
    body = response.json()
    assert sorted(body) == ["receipt", "reference"]
    report = Report.objects.get(reference=body["reference"])
    parts = receipts.split(body["receipt"])
    assert parts is not None
    lookup, secret = parts
    assert report.receipt_lookup == lookup
    assert secret not in report.receipt_hash and receipts.verify_secret(report.receipt_hash, secret)
    assert report.organisation == org_a
    assert report.channel == Channel.APP
    assert (report.country, report.subdivision) == ("ES", "ES-MD")
    assert report.narrative == PUBLIC_REPORT["narrative"]
    assert report.children_count == 1 and report.youngest_age == 10
    assert report.urgency == Urgency.HIGH  # young child
    rows = sorted(ReportIdentifier.objects.filter(report=report).values_list("kind", "is_valid"))
    assert rows == [("handle", True), ("phone", True)]
    phone = ReportIdentifier.objects.get(report=report, kind="phone")
    assert (phone.value, phone.normalised) == ("+34 612 345 678", "+34612345678")
    assert phone.value_index == blind_index_for(phone.normalised, purpose="phone")
    assert AuditEvent.objects.filter(action="report.received", object_id=str(report.pk)).count() == 1


@pytest.mark.django_db
def test_narrative_is_required_and_errors_name_fields(org_a: Any) -> None:
    response = post(Client(), {"country": "ZZ", "children": [{"age": 40}], "indicators": ["nonsense"]})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["narrative"] == ["This field is required."]
    assert "ZZ is not a country code we know" in fields["country"][0]
    assert "children" in fields and "indicators" in fields
    assert Report.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"narrative": ["a list"]}, "narrative"),
        ({"narrative": "ok", "children": "not a list"}, "children"),
        ({"narrative": "ok", "child_in_danger": "perhaps"}, "child_in_danger"),
        ({"narrative": "bad \x00 byte"}, "narrative"),
        ({"narrative": "bell \x07"}, "narrative"),
        ({"narrative": "ok", "country": "ES", "subdivision": "FR-IDF"}, "subdivision"),
        ({"narrative": "ok", "latitude": 95, "longitude": 1}, "latitude"),
        ({"narrative": "ok", "contact": {"consent": True}}, "contact"),
        ({"narrative": "x" * 10_001}, "narrative"),
    ],
)
def test_bad_input_is_a_400_with_the_field(org_a: Any, body: dict[str, Any], field: str) -> None:
    response = post(Client(), body)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_invalid_json_wrong_shape_and_oversized_bodies_are_4xx(org_a: Any, settings: Any) -> None:
    assert post(Client(), "{not json").status_code == 400
    assert post(Client(), "[1, 2]").status_code == 400
    assert (
        Client().post(URL, "narrative=x", content_type="application/x-www-form-urlencoded").status_code == 415
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = post(Client(), {"narrative": "y" * 2000})
    assert response.status_code == 413
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_script_is_stored_as_text_and_shown_escaped(org_a: Any, bob: Any, client_for: Any) -> None:
    response = post(Client(), {"narrative": "<script>alert(1)</script> & <b>bold</b>"})
    assert response.status_code == 201
    report = Report.objects.get(reference=response.json()["reference"])
    assert report.narrative == "<script>alert(1)</script> & <b>bold</b>"
    page = client_for(bob).get(f"/reports/{report.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.django_db
def test_unparseable_phone_is_kept_as_typed_and_flagged(org_a: Any) -> None:
    body = {"narrative": "ok", "country": "GB", "identifiers": [{"kind": "phone", "value": "07 something"}]}
    response = post(Client(), body)
    assert response.status_code == 201
    row = ReportIdentifier.objects.get(report__reference=response.json()["reference"])
    assert (row.value, row.is_valid, row.normalised) == ("07 something", False, "07 something")


@pytest.mark.django_db
def test_partner_channel_key_records_channel_and_organisation(org_a: Any, org_b: Any, charlie: Any) -> None:
    channel, key = partner_channel_create(name="SMS gateway", actor=actor_of(charlie, org_b))
    assert key not in channel.key_hash
    response = post(Client(), {"narrative": "From the SMS gateway"}, HTTP_AUTHORIZATION=f"Channel {key}")
    assert response.status_code == 201
    report = Report.objects.get(reference=response.json()["reference"])
    assert (report.channel, report.partner_channel, report.organisation) == (Channel.PARTNER, channel, org_b)


@pytest.mark.django_db
def test_revoked_or_wrong_channel_key_is_refused(org_b: Any, charlie: Any) -> None:
    actor: Actor = actor_of(charlie, org_b)
    channel, key = partner_channel_create(name="Web form", actor=actor)
    partner_channel_revoke(channel=channel, actor=actor)
    assert post(Client(), {"narrative": "x"}, HTTP_AUTHORIZATION=f"Channel {key}").status_code == 401
    assert post(Client(), {"narrative": "x"}, HTTP_AUTHORIZATION="Channel sgc_wrong").status_code == 401
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_public_reports_are_rate_limited_per_connection(org_a: Any, settings: Any) -> None:
    settings.INTAKE_PUBLIC_REPORT_RATE = "3/h"
    client = Client()
    codes = [post(client, {"narrative": f"report {n}"}).status_code for n in range(4)]
    assert codes == [201, 201, 201, 429]
    assert Report.objects.count() == 3
    other = post(Client(REMOTE_ADDR="198.51.100.4"), {"narrative": "another connection"})
    assert other.status_code == 201


@pytest.mark.django_db
def test_with_the_database_task_backend_the_follow_up_task_commits_with_the_report(
    org_a: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(Client(), {**PUBLIC_REPORT, "child_in_danger": True})
    assert response.status_code == 201
    report = Report.objects.get(reference=response.json()["reference"])
    task = DBTaskResult.objects.get(task_path="safeguard.intake.tasks.report_follow_up")
    assert task.args_kwargs == {
        "args": [],
        "kwargs": {
            "report_id": report.pk,
            "notices": [{"kind": "critical", "organisation_ids": [org_a.pk], "email": True}],
        },
    }
    assert callbacks == []  # nothing waits for the commit: the task row is part of the transaction


@pytest.mark.django_db
def test_rate_counters_are_hashed_and_expire_with_their_window(org_a: Any, settings: Any) -> None:
    from safeguard.intake.models import RateCounter

    settings.INTAKE_PUBLIC_REPORT_RATE = "5/m"
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert post(client, PUBLIC_REPORT).status_code == 201
    assert post(client, PUBLIC_REPORT).status_code == 201
    counter = RateCounter.objects.get()
    assert counter.count == 2
    assert len(counter.key) == 64 and "203.0.113.9" not in counter.key
    assert 0 < (counter.expires_at - timezone.now()).total_seconds() <= 60
