"""Recording perpetrators on a case: allowed for those who may edit it, identifiers encrypted."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from safeguard.cases.models import CaseEvent, Perpetrator
from safeguard.core.models import AuditEvent

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Victor Villain",
    "identifiers": "+2348000000001\n@vic_handle\n",
    "roles": ["RecruiterOrIntermediary", "Exploiter"],
    "role_details": "Met her at the market.",
    "gender": "Masculine",
    "citizenships": "ng, gb",
}


def test_caseworker_records_a_perpetrator(case_a, cara, client_for) -> None:
    client = client_for(cara)
    assert client.get(f"/cases/{case_a.pk}/perpetrators/new/").status_code == 200
    response = client.post(f"/cases/{case_a.pk}/perpetrators/new/", FORM)
    assert response.status_code == 302
    perpetrator = Perpetrator.objects.get(case=case_a)
    assert perpetrator.name == "Victor Villain"
    assert perpetrator.identifiers == ["+2348000000001", "@vic_handle"]
    assert perpetrator.roles == ["RecruiterOrIntermediary", "Exploiter"]
    assert perpetrator.role_details == "Met her at the market."
    assert perpetrator.gender == "Masculine"
    assert perpetrator.citizenships == ["GB", "NG"]
    event = CaseEvent.objects.get(case=case_a, kind="perpetrator_added")
    assert event.detail == {"perpetrator_id": perpetrator.pk}
    audit = AuditEvent.objects.get(action="case.perpetrator_added", object_id=str(case_a.pk))
    assert audit.actor == cara and "Victor" not in str(audit.detail)

    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert "Victor Villain" in page and "Recruiter Or Intermediary" in page and "@vic_handle" in page


def test_identifiers_and_name_are_encrypted_at_rest(case_a, cara, client_for) -> None:
    client_for(cara).post(f"/cases/{case_a.pk}/perpetrators/new/", FORM)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, identifiers, role_details FROM cases_perpetrator WHERE case_id = %s", [case_a.pk]
        )
        name, identifiers, details = cursor.fetchone()
    assert name.startswith("sg1:") and "Victor" not in name
    assert identifiers.startswith("sg1:") and "vic_handle" not in identifiers
    assert details.startswith("sg1:") and "market" not in details


def test_bad_input_keeps_what_was_typed(case_a, cara, client_for) -> None:
    response = client_for(cara).post(
        f"/cases/{case_a.pk}/perpetrators/new/", {**FORM, "citizenships": "NG, XX", "roles": ["Smuggler"]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not an ISO 3166 country code: XX" in page
    assert 'value="Victor Villain"' in page and "@vic_handle" in page
    assert re.search(r'value="Smuggler"[^>]*checked', page)
    assert not Perpetrator.objects.exists()


def test_an_empty_perpetrator_is_refused(case_a, cara, client_for) -> None:
    response = client_for(cara).post(f"/cases/{case_a.pk}/perpetrators/new/", {"gender": "Masculine"})
    assert response.status_code == 400
    assert "Give a name, an identifier or the perpetrator" in response.content.decode()
    assert not Perpetrator.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("bert", 404), ("beth", 404), ("carl", 404), ("ana", 403)])
def test_others_cannot_add_or_see_perpetrators(
    case_a, cara, carl, ana, bert, beth, client_for, who, status
) -> None:
    client_for(cara).post(f"/cases/{case_a.pk}/perpetrators/new/", FORM)
    events = CaseEvent.objects.count()
    user = {"bert": bert, "beth": beth, "carl": carl, "ana": ana}[who]
    client = client_for(user)
    response = client.post(f"/cases/{case_a.pk}/perpetrators/new/", {**FORM, "name": "Other Name"})
    assert response.status_code == status
    assert list(Perpetrator.objects.values_list("name", flat=True)) == ["Victor Villain"]
    assert CaseEvent.objects.count() == events
    page = client.get(f"/cases/{case_a.pk}/")
    assert page.status_code == status and "Victor" not in page.content.decode()
