"""Registering a child from a report of the intake app."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeguard.cases.models import Case

pytestmark = pytest.mark.django_db


def make_report(organisation, **fields):
    from safeguard.intake.models import Report

    values = {
        "reference": "R-TEST-1", "organisation": organisation, "channel": "web", "narrative": "Fictional narrative",
        "country": "GB", "subdivision": "GB-LND", "children": [{"age": 13, "gender": "Masculine", "description": ""}],
        "children_count": 1, "exploitation_types": ["ForcedBegging"], "receipt_lookup": "abcd1234",
        "receipt_hash": "x", "due_at": timezone.now(),
    }  # fmt: skip
    values.update(fields)
    return Report.objects.create(**values)


def test_registration_is_prefilled_from_a_report_and_linked(cara, org_a, client_for) -> None:
    report = make_report(org_a)
    client = client_for(cara)
    page = client.get(f"/cases/new/?report={report.pk}")
    form = page.context["form"]
    assert form.initial == {
        "country": "GB", "subdivision": "GB-LND", "estimated_age": 13, "gender": "Masculine",
        "exploitation_types": ["ForcedBegging"],
    }  # fmt: skip
    response = client.post(
        f"/cases/new/?report={report.pk}",
        {"first_name": "Vimo", "gender": "Masculine", "estimated_age": "13", "country": "GB", "subdivision": "GB-LND",
         "trafficking_status": "PossibleVictimOfTrafficking", "risk_level": "high", "report": str(report.pk)},
    )  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.source_report == report
    assert case.events.get().detail == {"source_report_id": report.pk}


def test_a_report_of_another_organisation_prefills_nothing(cara, org_b, client_for) -> None:
    report = make_report(org_b)
    page = client_for(cara).get(f"/cases/new/?report={report.pk}")
    assert page.context["report"] is None
    assert page.context["form"].initial == {}


def test_the_api_opens_a_case_from_the_organisations_report_and_no_other(
    cara, org_a, org_b, client_for
) -> None:
    own, foreign = make_report(org_a), make_report(org_b, reference="R-TEST-2", receipt_lookup="efgh5678")
    client = client_for(cara)
    person = {"first_name": "Vimo", "gender": "Masculine", "estimated_age": 13}
    refused = client.post(
        "/api/v1/cases", {"person": person, "report": foreign.pk}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["report"] == [
        "Your organisation has no report with this id, or has not accepted it."
    ]
    assert Case.objects.count() == 0
    opened = client.post(
        "/api/v1/cases", {"person": person, "report": own.pk}, content_type="application/json"
    )
    assert opened.status_code == 201
    assert opened.json()["report"] == own.pk
    case = Case.objects.get()
    assert case.source_report == own
    assert case.events.get().detail == {"source_report_id": own.pk}
    assert client.get(f"/api/v1/cases/{case.pk}").json()["report"] == own.pk
