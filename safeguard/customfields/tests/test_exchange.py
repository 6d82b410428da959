"""End to end: define, fill, validate, filter the case list, export (x_<key> columns), import,
and read and write through the API — each over what the reader's roles may see."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguard.cases.models import Case
from safeguard.cases.tests.conftest import register
from safeguard.customfields.models import FieldValue
from safeguard.customfields.services import FieldSettings, custom_values_save, field_define, field_retire
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(alice, org_a, school_field, supervisor_note_field):
    admin = actor_of(alice, org_a)
    languages = field_define(
        actor=admin,
        form="case",
        key="languages_spoken",
        kind="multi_choice",
        settings_=FieldSettings(
            "Languages spoken",
            choices=[
                {"value": "ha", "label": "Hausa", "translations": {}},
                {"value": "yo", "label": "Yoruba", "translations": {}},
            ],
        ),
    )
    siblings = field_define(
        actor=admin, form="person", key="siblings", kind="number", settings_=FieldSettings("Siblings")
    )
    return {
        "school": school_field,
        "note": supervisor_note_field,
        "languages": languages,
        "siblings": siblings,
    }


def test_the_case_list_filters_by_a_custom_field_value(client_for, cara, carl, sue, org_a, case_a, fields):
    cara_actor = actor_of(cara, org_a)
    other = register(cara_actor, first_name="Otherina", second_name="Fictive")
    custom_values_save(
        actor=cara_actor, case=case_a, form="person", values={"schooling": "school", "siblings": 2}
    )
    custom_values_save(actor=cara_actor, case=other, form="person", values={"schooling": "none"})
    custom_values_save(actor=cara_actor, case=case_a, form="case", values={"languages_spoken": ["ha", "yo"]})
    custom_values_save(actor=cara_actor, case=other, form="case", values={"languages_spoken": ["yo"]})
    custom_values_save(
        actor=actor_of(sue, org_a), case=other, form="case", values={"safety_note": "Red door"}
    )
    client = client_for(cara)

    def listed(query, who=client):
        response = who.get("/cases/?" + query)
        return [case.reference for case in response.context["page"].object_list], response

    assert listed("x_schooling=school")[0] == [case_a.reference]
    assert listed("x_schooling=none")[0] == [other.reference]
    assert sorted(listed("x_languages_spoken=yo")[0]) == sorted([case_a.reference, other.reference])
    assert listed("x_languages_spoken=ha&x_siblings=2")[0] == [case_a.reference]
    assert listed("x_siblings=3")[0] == []
    references, response = listed("x_siblings=two")
    assert references == [] and response.context["custom_filters"].errors["x_siblings"] == ["Enter a number."]
    # A field hidden from caseworkers is no filter for them (it would reveal its values).
    assert 'name="x_safety_note"' not in response.content.decode()
    assert len(listed("x_safety_note=red door")[0]) == 2  # ignored, not applied
    sue_client = client_for(sue)
    assert listed("x_safety_note=red  DOOR", sue_client)[0] == [other.reference]
    # Carl (no team) sees none of Cara's cases, whatever the filter.
    assert listed("x_schooling=school", client_for(carl))[0] == []


def test_export_carries_x_columns_the_reader_may_see_and_import_reads_them(
    client_for, cara, sue, org_a, case_a, fields
):
    custom_values_save(
        actor=actor_of(cara, org_a),
        case=case_a,
        form="person",
        values={"schooling": "school", "siblings": 2.5},
    )
    custom_values_save(
        actor=actor_of(cara, org_a), case=case_a, form="case", values={"languages_spoken": ["ha", "yo"]}
    )
    custom_values_save(
        actor=actor_of(sue, org_a), case=case_a, form="case", values={"safety_note": "Red door"}
    )
    field_retire(actor=actor_of(fields["school"].created_by, org_a), definition=fields["siblings"])

    def export(client, **extra):
        response = client.get("/cases/export/", {"status": "", "file_format": "csv", **extra})
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    [row] = export(client_for(cara))
    assert (row["x_schooling"], row["x_siblings"], row["x_languages_spoken"]) == ("school", "2.5", "ha;yo")
    assert "x_safety_note" not in row  # supervisors only
    assert row["prs_FirstName"] == "Testa"
    sue_client = client_for(sue)
    [row] = export(sue_client)
    assert row["x_safety_note"] == "Red door"
    [row] = export(sue_client, deidentified="on")
    assert not [column for column in row if column.startswith("x_")]

    header = (
        "prs_FirstName,prs_SecondName,prs_Gender,x_schooling,x_languages_spoken,x_safety_note,x_siblings\n"
    )
    bad = header + "Amani,Testova,Feminine,university,ha;fr,,3\nBaraka,Testova,Masculine,,,,\n"
    response = sue_client.post("/cases/import/", {"file": SimpleUploadedFile("c.csv", bad.encode())})
    report = response.context["report"]
    assert [(e.row, e.field) for e in report.errors] == [
        (2, "x_schooling"),
        (2, "x_languages_spoken"),
        (3, "x_schooling"),
    ]
    assert "Select a valid choice" in report.errors[0].reason
    assert report.errors[2].reason == "This field is required."
    assert report.unknown_columns == ["x_siblings"]  # retired: no longer accepted
    assert Case.objects.count() == 1

    good = header + "Amani,Testova,Feminine,none,yo,Blue gate,\n"
    response = sue_client.post("/cases/import/", {"file": SimpleUploadedFile("c.csv", good.encode())})
    [imported] = response.context["report"].imported
    stored = {v.definition.key: v.value for v in FieldValue.objects.filter(case=imported)}
    assert stored == {"schooling": "none", "languages_spoken": ["yo"], "safety_note": "Blue gate"}


def test_the_case_api_reads_and_writes_custom_fields(client_for, cara, sue, bert, org_a, case_a, fields):
    custom_values_save(
        actor=actor_of(sue, org_a), case=case_a, form="case", values={"safety_note": "Red door"}
    )
    client = client_for(cara)
    response = client.post(
        "/api/v1/cases",
        {
            "person": {"first_name": "Ximo", "gender": "Masculine"},
            "custom_fields": {"schooling": "elsewhere", "siblings": "many", "safety_note": "x"},
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["error"]["fields"]["custom_fields"]
    assert set(errors) == {"schooling", "siblings", "safety_note"}
    assert errors["safety_note"] == ["Not a field you may fill."]
    assert Case.objects.count() == 1
    response = client.post(
        "/api/v1/cases",
        {
            "person": {"first_name": "Ximo", "gender": "Masculine"},
            "custom_fields": {"schooling": "school", "siblings": 4, "languages_spoken": ["ha"]},
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["custom_fields"] == {
        "schooling": "school",
        "siblings": 4,
        "languages_spoken": ["ha"],
    }

    assert client.get(f"/api/v1/cases/{case_a.pk}").json()["custom_fields"] == {}
    assert client_for(sue).get(f"/api/v1/cases/{case_a.pk}").json()["custom_fields"] == {
        "safety_note": "Red door"
    }
    patched = client.patch(
        f"/api/v1/cases/{case_a.pk}/custom-fields",
        {"custom_fields": {"schooling": "none", "siblings": None}},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json() == {"custom_fields": {"schooling": "none"}}
    keys = [d["key"] for d in client.get("/api/v1/custom-fields").json()]
    assert sorted(keys) == ["languages_spoken", "schooling", "siblings"]
    # Another organisation's caseworker reaches neither the case nor its values.
    bert_client = client_for(bert)
    assert bert_client.get(f"/api/v1/cases/{case_a.pk}/custom-fields").status_code == 404
    denied = bert_client.patch(
        f"/api/v1/cases/{case_a.pk}/custom-fields", {"custom_fields": {}}, content_type="application/json"
    )
    assert denied.status_code == 404
    assert bert_client.get("/api/v1/custom-fields").json() == []
    assert FieldValue.objects.get(case=case_a, definition__key="schooling").value == "none"
