from __future__ import annotations

import pytest

from safeguard.cases.models import Case
from safeguard.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_list_and_detail(case_a, cara, client_for) -> None:
    client = client_for(cara)
    listing = client.get("/api/v1/cases").json()
    assert listing["count"] == 1
    assert listing["results"][0]["reference"] == case_a.reference
    detail = client.get(f"/api/v1/cases/{case_a.pk}").json()
    assert (detail["first_name"], detail["gender"], detail["htcds_status"]) == ("Testa", "Feminine", "Active")
    assert AuditEvent.objects.filter(action="case.viewed", actor=cara).count() == 1
    timeline = client.get(f"/api/v1/cases/{case_a.pk}/timeline").json()
    assert [event["kind"] for event in timeline] == ["registered"]


def test_other_organisation_gets_not_found_in_the_one_error_format(case_a, beth, client_for) -> None:
    response = client_for(beth).get(f"/api/v1/cases/{case_a.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_create_validates_with_field_errors(cara, client_for) -> None:
    client = client_for(cara)
    response = client.post(
        "/api/v1/cases",
        {"person": {"gender": "Female", "citizenships": ["XX"]}},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]["person"]
    assert set(fields) == {"gender", "citizenships"}
    assert Case.objects.count() == 0
    response = client.post(
        "/api/v1/cases",
        {"person": {"first_name": "Ximo", "gender": "Masculine", "estimated_age": 14}, "risk_level": "high"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["risk_level"] == "high"


def test_duplicate_check(case_a, cara, client_for) -> None:
    response = client_for(cara).post(
        "/api/v1/cases/duplicates",
        {
            "first_name": "Testa",
            "second_name": "Fictionalia",
            "birth_date": "2012-05-01",
            "gender": "Feminine",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [row["case"]["reference"] for row in response.json()] == [case_a.reference]


def test_provider_lists_and_answers_referrals(
    case_a, cara, org_a, shelter, shelter_service, hana, olga, client_for
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from safeguard.cases.services.referrals import referral_create
    from safeguard.cases.tests.conftest import consent_for
    from safeguard.testing.fixtures import actor_of

    consent_for(case_a, actor_of(cara, org_a), shelter)
    referral = referral_create(
        actor=actor_of(cara, org_a), case=case_a, service=shelter_service, summary="s",
        respond_by=timezone.localdate() + timedelta(days=1),
    )  # fmt: skip
    assert (
        client_for(olga)
        .post(f"/api/v1/referrals/{referral.pk}/respond", {"accept": True}, content_type="application/json")
        .status_code
        == 404
    )
    client = client_for(hana)
    assert [row["id"] for row in client.get("/api/v1/referrals").json()["results"]] == [referral.pk]
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/respond", {"accept": True}, content_type="application/json"
    )
    assert response.json()["status"] == "accepted"
