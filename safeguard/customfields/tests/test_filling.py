"""Custom fields appear in their forms, are validated, stored encrypted, and shown only to those
whose role and reach allow it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from safeguard.accounts.models import Organisation, User
from safeguard.cases.models import Case
from safeguard.core.models import AuditEvent
from safeguard.customfields.models import FieldDefinition, FieldValue
from safeguard.customfields.services import FieldSettings, custom_values_save, field_define
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

CHILD = {
    "first_name": "Zephyrine", "second_name": "Quillfeather", "birth_date": "2011-03-04", "gender": "Feminine",
    "trafficking_status": "PossibleVictimOfTrafficking", "risk_level": "medium",
}  # fmt: skip


@pytest.fixture
def number_and_date(alice: User, org_a: Organisation) -> tuple[FieldDefinition, FieldDefinition]:
    actor = actor_of(alice, org_a)
    siblings = field_define(
        actor=actor, form="case", key="siblings", kind="number", settings_=FieldSettings("Siblings")
    )
    arrived = field_define(
        actor=actor, form="case", key="arrived_on", kind="date", settings_=FieldSettings("Arrived on")
    )
    return siblings, arrived


def test_registration_shows_validates_and_stores_custom_fields(
    client_for, cara: User, org_a, school_field, number_and_date
):
    client = client_for(cara)
    page = client.get("/cases/new/").content.decode()
    assert 'name="cf_schooling"' in page and "Education" in page and "Where the child goes to school" in page
    bad = client.post("/cases/new/", {**CHILD, "cf_siblings": "three", "cf_arrived_on": "2024-13-40"})
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert errors["cf_schooling"] == ["This field is required."]
    assert errors["cf_siblings"] == ["Enter a number."]
    assert errors["cf_arrived_on"] == ["Enter a valid date."]
    assert "Quillfeather" in bad.content.decode()  # nothing typed is lost
    wrong_choice = client.post("/cases/new/", {**CHILD, "cf_schooling": "university"})
    assert "Select a valid choice" in wrong_choice.context["form"].errors["cf_schooling"][0]
    assert not Case.objects.exists()

    good = client.post(
        "/cases/new/", {**CHILD, "cf_schooling": "school", "cf_siblings": "3", "cf_arrived_on": "2024-02-01"}
    )
    assert good.status_code == 302
    case = Case.objects.get()
    stored = {value.definition.key: value.value for value in FieldValue.objects.filter(case=case)}
    assert stored == {"schooling": "school", "siblings": 3, "arrived_on": "2024-02-01"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM customfields_fieldvalue")
        raw = " ".join(row[0] for row in cursor.fetchall())
    assert "school" not in raw and "2024-02-01" not in raw  # encrypted at rest
    audit = AuditEvent.objects.get(action="case.custom_fields_changed", detail__form="person")
    assert audit.detail["keys"] == ["schooling"]


def test_the_case_page_shows_values_to_the_team_and_hides_them_from_others(
    client_for, cara, carl, sue, bert, case_a, school_field, supervisor_note_field, org_a
):
    custom_values_save(
        actor=actor_of(cara, org_a), case=case_a, form="person", values={"schooling": "school"}
    )
    custom_values_save(
        actor=actor_of(sue, org_a), case=case_a, form="case", values={"safety_note": "Call the aunt first"}
    )
    url = f"/cases/{case_a.pk}/"
    cara_page = client_for(cara).get(url).content.decode()
    assert "Schooling" in cara_page and "In school" in cara_page
    assert "Call the aunt first" not in cara_page  # supervisors only
    sue_page = client_for(sue).get(url).content.decode()
    assert "Safety note" in sue_page and "Call the aunt first" in sue_page
    # A caseworker of another team and one of another organisation reach neither case nor values.
    assert client_for(carl).get(url).status_code == 404
    assert client_for(bert).get(url).status_code == 404


def test_the_case_page_is_in_the_readers_language(client_for, cara, case_a, school_field, org_a):
    custom_values_save(
        actor=actor_of(cara, org_a), case=case_a, form="person", values={"schooling": "school"}
    )
    client = client_for(cara)
    client.cookies["django_language"] = "es"
    page = client.get(f"/cases/{case_a.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Escolarización" in page and "En la escuela" in page and "Educación" in page


def test_a_caseworker_can_neither_write_nor_erase_a_field_hidden_from_them(
    cara, sue, carl, bert, org_a, org_b, case_a, supervisor_note_field
):
    custom_values_save(actor=actor_of(sue, org_a), case=case_a, form="case", values={"safety_note": "Kept"})
    with pytest.raises(ValidationError) as error:
        custom_values_save(
            actor=actor_of(cara, org_a), case=case_a, form="case", values={"safety_note": None}
        )
    assert "Not a field you may fill on this form: safety_note" in str(error.value)
    from django.core.exceptions import PermissionDenied

    for outsider, organisation in ((carl, org_a), (bert, org_b)):
        with pytest.raises(PermissionDenied):
            custom_values_save(actor=actor_of(outsider, organisation), case=case_a, form="person", values={})
    assert FieldValue.objects.get(definition=supervisor_note_field).value == "Kept"


def test_editing_the_child_keeps_and_changes_values(client_for, cara, case_a, school_field):
    client = client_for(cara)
    url = f"/cases/{case_a.pk}/person/"
    page = client.get(url).content.decode()
    assert 'name="cf_schooling"' in page
    form = {**CHILD, "first_name": "Testa", "second_name": "Fictionalia", "cf_schooling": "none"}
    assert client.post(url, form).status_code == 302
    assert FieldValue.objects.get(case=case_a).value == "none"
    assert 'value="none" selected' in client.get(url).content.decode()


def test_assessment_and_follow_up_fields_are_kept_per_record(client_for, alice, cara, org_a, case_a):
    admin = actor_of(alice, org_a)
    field_define(
        actor=admin,
        form="assessment",
        key="sleeps_at",
        kind="multi_choice",
        settings_=FieldSettings(
            "Sleeps at",
            choices=[
                {"value": "home", "label": "At home", "translations": {}},
                {"value": "street", "label": "On the street", "translations": {}},
            ],
        ),
    )
    field_define(
        actor=admin, form="follow_up", key="in_school", kind="yes_no", settings_=FieldSettings("In school")
    )
    client = client_for(cara)
    ratings = {
        name: "1"
        for name in (
            "immediate_safety",
            "medical",
            "psychological",
            "legal",
            "shelter",
            "education",
            "family_tracing",
        )
    }
    response = client.post(f"/cases/{case_a.pk}/assessment/", {**ratings, "cf_sleeps_at": ["home", "street"]})
    assert response.status_code == 302
    assessment = case_a.assessments.get()
    value = FieldValue.objects.get(definition__key="sleeps_at")
    assert (value.record_id, value.value) == (assessment.pk, ["home", "street"])

    from datetime import date

    from safeguard.cases.services.followups import follow_up_schedule

    follow_up = follow_up_schedule(
        actor=actor_of(cara, org_a), case=case_a, due_on=date.today(), purpose="Home visit"
    )
    bad = client.post(
        f"/cases/follow-ups/{follow_up.pk}/",
        {"done_on": "2025-01-02", "outcome": "seen_well", "notes": "Fine", "cf_in_school": "maybe"},
    )
    assert "Select a valid choice" in bad.context["form"].errors["cf_in_school"][0]
    good = client.post(
        f"/cases/follow-ups/{follow_up.pk}/",
        {"done_on": "2025-01-02", "outcome": "seen_well", "notes": "Fine", "cf_in_school": "yes"},
    )
    assert good.status_code == 302
    value = FieldValue.objects.get(definition__key="in_school")
    assert (value.record_id, value.value) == (follow_up.pk, True)
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert "At home, On the street" in page and "In school" in page
