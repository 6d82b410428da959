"""Editing the child's details and the victim context after registration."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.cases.models import CaseEvent, PersonNameKey
from safeguard.cases.services.registration import person_name_keys
from safeguard.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "first_name": "Testa",
        "middle_name": "",
        "second_name": "Fictionalia",
        "aliases": "Tess",
        "birth_date": "2012-05-01",
        "estimated_age": "",
        "gender": "Feminine",
        "citizenships": "NG",
        "primary_language": "en",
        "secondary_language": "",
        "country": "",
        "subdivision": "",
        "phone": "+447700900123",
        "email": "",
        "street": "",
        "city": "",
        "postal_code": "",
        "guardian_name": "",
        "guardian_relationship": "",
        "guardian_phone": "",
        "trafficking_status": "PossibleVictimOfTrafficking",
        "labour_industry": "",
        "relationship_to_trafficker": "",
        "recruitment_place": "",
        "exploitation_place": "",
    }
    data.update(changes)
    return data


def test_the_form_starts_with_the_stored_details(case_a, cara, client_for) -> None:
    response = client_for(cara).get(f"/cases/{case_a.pk}/person/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Testa"' in page and 'value="+447700900123"' in page and "Tess" in page


def test_changing_names_and_context_updates_everything(case_a, cara, client_for) -> None:
    old_keys = set(PersonNameKey.objects.filter(person=case_a.person).values_list("key", flat=True))
    response = client_for(cara).post(
        f"/cases/{case_a.pk}/person/",
        form_data(
            first_name="Marisol",
            aliases="Mari\nSol",
            birth_date="",
            estimated_age="13",
            gender="Feminine",
            citizenships="ng, gh",
            primary_language="HA",
            country="GB",
            subdivision="gb-lnd",
            city="London",
            guardian_name="Grace Guardian",
            guardian_relationship="Aunt",
            trafficking_status="ActualVictimOfTrafficking",
            exploitation_types=["ForcedLabour"],
            methods_of_control=["PhysicalThreats"],
            recruitment_methods=["AtWork"],
            recruitment_place="NG-LA",
            exploitation_place="GB",
            relationship_to_trafficker="Acquainted",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case_a.refresh_from_db()
    person = case_a.person
    person.refresh_from_db()
    assert (person.first_name, person.second_name, person.aliases) == (
        "Marisol",
        "Fictionalia",
        ["Mari", "Sol"],
    )
    assert (person.birth_date, person.estimated_age, person.birth_year_estimated) == ("", 13, True)
    assert person.birth_year == date.today().year - 13
    assert (person.citizenships, person.primary_language) == (["GH", "NG"], "ha")
    assert (person.country, person.subdivision) == ("GB", "GB-LND")
    assert person.contact == {"phone": "+447700900123", "city": "London"}
    assert person.guardian == {"name": "Grace Guardian", "relationship": "Aunt"}
    assert case_a.trafficking_status == "ActualVictimOfTrafficking"
    assert case_a.exploitation_types == ["ForcedLabour"]
    assert case_a.methods_of_control == ["PhysicalThreats"]
    assert case_a.recruitment_methods == ["AtWork"]
    assert (case_a.recruitment_place, case_a.exploitation_place) == ("NG-LA", "GB")
    assert case_a.relationship_to_trafficker == "Acquainted"

    new_keys = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    assert new_keys == person_name_keys(person) and new_keys != old_keys

    events = {
        event.detail.get("person_fields") is not None: event
        for event in CaseEvent.objects.filter(case=case_a, kind="updated")
    }
    assert events[True].detail == {
        "person_fields": sorted(
            [
                "first_name", "aliases", "birth_date", "birth_year", "estimated_age", "citizenships",
                "primary_language", "country", "subdivision", "contact", "guardian",
            ]
        )
    }  # fmt: skip
    assert events[False].detail == {
        "fields": sorted(
            [
                "trafficking_status", "exploitation_types", "methods_of_control", "recruitment_methods",
                "recruitment_place", "exploitation_place", "relationship_to_trafficker",
            ]
        )
    }  # fmt: skip
    audits = AuditEvent.objects.filter(action="case.updated", object_id=str(case_a.pk), actor=cara)
    assert audits.count() == 2
    for audit in audits:
        assert "Marisol" not in str(audit.detail) and "London" not in str(audit.detail)


def test_unchanged_details_write_no_event(case_a, cara, client_for) -> None:
    keys = set(PersonNameKey.objects.filter(person=case_a.person).values_list("key", flat=True))
    response = client_for(cara).post(f"/cases/{case_a.pk}/person/", form_data())
    assert response.status_code == 302
    assert not CaseEvent.objects.filter(case=case_a, kind="updated").exists()
    assert set(PersonNameKey.objects.filter(person=case_a.person).values_list("key", flat=True)) == keys


def test_bad_input_keeps_what_was_typed_and_changes_nothing(case_a, cara, client_for) -> None:
    response = client_for(cara).post(
        f"/cases/{case_a.pk}/person/",
        form_data(first_name="Marisol", citizenships="NG, QQ", recruitment_place="ZZ-99"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not an ISO 3166 country code: QQ" in page
    assert "Not an ISO 3166 country or region code: ZZ-99" in page
    assert 'value="Marisol"' in page
    case_a.person.refresh_from_db()
    assert case_a.person.first_name == "Testa"
    assert not CaseEvent.objects.filter(case=case_a, kind="updated").exists()


def test_a_name_or_alias_is_required(case_a, cara, client_for) -> None:
    response = client_for(cara).post(
        f"/cases/{case_a.pk}/person/", form_data(first_name="", second_name="", aliases="")
    )
    assert response.status_code == 400
    assert "Give at least a name or an alias." in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("bert", 404), ("beth", 404), ("carl", 404), ("ana", 403)])
def test_others_cannot_edit(case_a, carl, ana, bert, beth, client_for, who, status) -> None:
    user = {"bert": bert, "beth": beth, "carl": carl, "ana": ana}[who]
    client = client_for(user)
    assert client.get(f"/cases/{case_a.pk}/person/").status_code == status
    response = client.post(f"/cases/{case_a.pk}/person/", form_data(first_name="Hacked"))
    assert response.status_code == status
    case_a.person.refresh_from_db()
    assert case_a.person.first_name == "Testa"
    assert not CaseEvent.objects.filter(case=case_a, kind="updated").exists()


def test_a_supervisor_may_edit(case_a, sue, client_for) -> None:
    response = client_for(sue).post(f"/cases/{case_a.pk}/person/", form_data(second_name="Novella"))
    assert response.status_code == 302
    case_a.person.refresh_from_db()
    assert case_a.person.second_name == "Novella"
    event = CaseEvent.objects.get(case=case_a, kind="updated")
    assert (event.actor, event.detail) == (sue, {"person_fields": ["second_name"]})
