"""Importing ads: every bad row listed and nothing half-imported; good files clustered and flagged."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.analytics.models import Ad, AdCluster, AdImport, JobStatus, Mention
from safeguard.core.models import AuditEvent

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

BAD_CSV = (
    "id,text,posted_at,phones,location,site\n"
    "a1,Work in Europe for girls 16-17,2024-05-01,+34 612 345 678,ES-MD,jobs.example\n"
    ",No id here,2024-05-02,,,\n"
    "a3,,yesterday,,,\n"
    "a1,Duplicate id,2024-05-03,,,\n"
)


def _upload(client: Client, name: str, content: str) -> TestResponse:
    return client.post("/analytics/ads/", {"file": SimpleUploadedFile(name, content.encode())})


def test_bad_rows_are_all_listed_and_nothing_is_imported(
    analyst_a: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(analyst_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, "ads.csv", BAD_CSV)
    ad_import = AdImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/analytics/ads/imports/{ad_import.pk}/"
    assert ad_import.status == JobStatus.FAILED
    assert ad_import.errors == [
        {"row": 2, "field": "id", "message": "id is missing"},
        {"row": 3, "field": "posted_at", "message": "'yesterday' is not a date (use 2024-05-31)"},
        {"row": 3, "field": "text", "message": "text is missing"},
        {"row": 4, "field": "id", "message": "id 'a1' appears more than once in the file"},
    ]
    assert Ad.objects.count() == 0
    assert Mention.objects.count() == 0
    assert ad_import.content == ""
    page = client.get(f"/analytics/ads/imports/{ad_import.pk}/").content.decode()
    assert "Nothing was imported" in page
    assert "id &#x27;a1&#x27; appears more than once in the file" in page


def _ad_lines() -> str:
    templates = [
        "Work abroad in {city}! Earn 3000 euros per month, free travel and housing. No experience needed. "
        "Our friendly team takes care of everything for you from the first day to the last day. Call {phone}",
        "Modelling agency seeks girls 16-17 for jobs in {city}. We keep your passport safe while you work. "
        "Photo shoots, hotels and meals are paid by the agency, just bring your smile. WhatsApp {phone}",
    ]
    cities = ["Madrid", "Lyon", "Dubai", "Paris", "Milan", "Berlin"]
    lines = []
    for t, template in enumerate(templates):
        for i, city in enumerate(cities):
            phone = f"+1 202 555 01{t}{i}"
            lines.append(
                json.dumps(
                    {
                        "id": f"t{t}-{i}",
                        "text": template.format(city=city, phone=phone),
                        "posted_at": f"2024-05-{i + 1:02d}",
                        "phones": [phone],
                        "location": "ES",
                        "site": f"site{i % 2}.example",
                    }
                )
            )
    lines.append(json.dumps({"id": "lone", "text": "Selling a used bicycle, good condition, Madrid."}))
    return "\n".join(lines) + "\n"


def test_good_file_is_stored_clustered_and_flagged(
    analyst_a: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(analyst_a)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, "ads.jsonl", _ad_lines())
    ad_import = AdImport.objects.get()
    assert (ad_import.status, ad_import.progress, ad_import.imported_rows, ad_import.flagged_rows) == (
        JobStatus.DONE,
        100,
        13,
        12,
    )
    assert sorted(cluster.size for cluster in AdCluster.objects.all()) == [6, 6]
    assert Ad.objects.get(external_id="lone").cluster is None
    first = Ad.objects.get(external_id="t0-0")
    assert [flag["rule"] for flag in first.fraud_flags] == [
        "abroad_offer",
        "high_pay",
        "free_travel",
        "no_experience",
    ]
    assert len(first.phone_keys) == 1 and "+1202" not in first.phone_keys[0]
    cluster = first.cluster
    assert cluster is not None
    assert any(
        slot["kind"] == "phone" and all("•••" in value for value, _n in slot["values"])
        for slot in cluster.slots
    )
    page = client.get(f"/analytics/ads/clusters/{cluster.pk}/").content.decode()
    assert "Signs of recruitment fraud" in page
    assert "<mark" in page
    assert AuditEvent.objects.filter(action="analytics.ads_imported", object_id=str(ad_import.pk)).exists()


def test_status_page_polls_while_the_import_waits(
    analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(analyst_a)
    _upload(client, "ads.jsonl", _ad_lines())  # on-commit not run: the task is not executed
    ad_import = AdImport.objects.get()
    page = client.get(f"/analytics/ads/imports/{ad_import.pk}/status/").content.decode()
    assert f'hx-get="/analytics/ads/imports/{ad_import.pk}/status/"' in page
    assert "Waiting for a worker to start" in page


def test_wrong_file_type_is_refused_with_a_clear_error(
    analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    response = _upload(client_for(analyst_a), "ads.xlsx", "whatever")
    assert response.status_code == 200
    assert "Choose a .csv or .jsonl file." in response.content.decode()
    assert AdImport.objects.count() == 0


def test_supervisor_may_view_ads_but_not_import(
    org_a: Organisation, member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    supervisor = member(org_a, "supervisor")
    client = client_for(supervisor)
    assert client.get("/analytics/ads/").status_code == 200
    assert _upload(client, "ads.jsonl", _ad_lines()).status_code == 403
    assert AdImport.objects.count() == 0


def test_another_organisations_import_is_not_found(
    analyst_a: User, analyst_b: User, client_for: Callable[[User], Client]
) -> None:
    _upload(client_for(analyst_a), "ads.jsonl", _ad_lines())
    ad_import = AdImport.objects.get()
    assert client_for(analyst_b).get(f"/analytics/ads/imports/{ad_import.pk}/").status_code == 404
