"""Organisation admins define, change, retire and restore fields of their own organisation only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safeguard.accounts.models import Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.customfields.models import FieldDefinition
from safeguard.customfields.services import FieldSettings, field_change, field_define, field_retire
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

NEW_FIELD = {
    "form": "assessment",
    "key": "sleeps_at",
    "kind": "multi_choice",
    "label": "Where the child sleeps",
    "help_text": "All that apply",
    "section": "Shelter",
    "visible_to": ["caseworker", "supervisor"],
    "position": "3",
    "choices": "home | At home\nstreet | On the street",
    "label_fr": "Où l'enfant dort",
    "choices_fr": "home | À la maison",
}


def test_an_admin_adds_a_field_with_translations_and_it_is_audited(client_for, alice: User, org_a):
    client = client_for(alice)
    response = client.post(reverse("customfields:new"), NEW_FIELD)
    assert response.status_code == 302
    definition = FieldDefinition.objects.get(key="sleeps_at")
    assert (definition.organisation, definition.form, definition.kind) == (
        org_a,
        "assessment",
        "multi_choice",
    )
    assert definition.visible_to == ["caseworker", "supervisor"]
    assert definition.position == 3
    assert definition.translations == {"fr": {"label": "Où l'enfant dort"}}
    assert definition.choices == [
        {"value": "home", "label": "At home", "translations": {"fr": "À la maison"}},
        {"value": "street", "label": "On the street", "translations": {}},
    ]
    assert definition.label_in("fr") == "Où l'enfant dort"
    assert definition.choice_pairs("fr") == [("home", "À la maison"), ("street", "On the street")]
    event = AuditEvent.objects.get(action="customfields.field_defined")
    assert (event.organisation, event.object_id, event.detail["key"]) == (
        org_a,
        str(definition.pk),
        "sleeps_at",
    )
    listing = client.get(reverse("customfields:list"))
    assert "Where the child sleeps" in listing.content.decode()
    assert "Caseworker, Supervisor" in listing.content.decode()


def test_the_roles_that_see_a_field_are_named_in_the_pages_language(client_for, alice: User) -> None:
    client = client_for(alice)
    client.post(reverse("customfields:new"), NEW_FIELD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    listing = client.get(reverse("customfields:list")).content.decode()
    assert "Visto por" in listing
    assert "Gestor/a de casos, Supervisor/a" in listing
    assert "caseworker" not in listing


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"key": "Bad Key"}, "key", "lower-case letters"),
        ({"choices": "", "choices_fr": ""}, "choices", "at least one choice"),
        ({"choices": "home | At home\nhome | Again"}, "choices", "its own value"),
        ({"choices": "home"}, "choices", "a value and a label"),
        ({"choices_fr": "roof | Toit"}, "choices_fr", "is not one of the choices"),
        ({"kind": "text"}, "choices", "Only choice-list fields"),
        ({"label": ""}, "label", "required"),
    ],
)
def test_a_bad_definition_is_refused_with_a_clear_message(client_for, alice, change, field, message):
    response = client_for(alice).post(reverse("customfields:new"), {**NEW_FIELD, **change})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not FieldDefinition.objects.exists()


def test_a_key_is_unique_in_the_organisation_but_not_across_organisations(
    alice, charlie, org_a, org_b, school_field
):
    with pytest.raises(ValidationError) as error:
        field_define(
            actor=actor_of(alice, org_a),
            form="case",
            key="schooling",
            kind="text",
            settings_=FieldSettings("Other"),
        )
    assert "already has this key" in str(error.value)
    other = field_define(
        actor=actor_of(charlie, org_b),
        form="case",
        key="schooling",
        kind="text",
        settings_=FieldSettings("B's"),
    )
    assert other.organisation == org_b


@pytest.mark.parametrize("who", ["cara", "sue", "bob"])
def test_only_admins_define_fields(request, who, org_a, client_for):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        field_define(
            actor=actor_of(user, org_a), form="case", key="x", kind="text", settings_=FieldSettings("X")
        )
    client = client_for(user)
    assert client.get(reverse("customfields:list")).status_code == 403
    assert client.post(reverse("customfields:new"), NEW_FIELD).status_code == 403
    assert not FieldDefinition.objects.exists()


def test_another_organisations_admin_can_neither_see_nor_change_nor_retire_a_field(
    client_for, charlie: User, org_b: Organisation, school_field
):
    client = client_for(charlie)
    assert "Schooling" not in client.get(reverse("customfields:list")).content.decode()
    assert client.get(reverse("customfields:edit", args=[school_field.pk])).status_code == 404
    assert client.post(reverse("customfields:edit", args=[school_field.pk]), NEW_FIELD).status_code == 404
    assert client.post(reverse("customfields:retire", args=[school_field.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        field_retire(actor=actor_of(charlie, org_b), definition=school_field)
    school_field.refresh_from_db()
    assert (school_field.label, school_field.retired_at) == ("Schooling", None)


def test_an_admin_changes_a_field_but_not_its_key_or_kind(client_for, alice, school_field):
    response = client_for(alice).post(
        reverse("customfields:edit", args=[school_field.pk]),
        {
            "form": "case",
            "key": "renamed",
            "kind": "text",
            "label": "School attendance",
            "choices": "school | In school\nnone | Not in school\nsome | Sometimes",
            "required": "",
        },
    )
    assert response.status_code == 302
    school_field.refresh_from_db()
    assert (school_field.form, school_field.key, school_field.kind) == ("person", "schooling", "choice")
    assert school_field.label == "School attendance"
    assert school_field.required is False
    assert school_field.choice_values() == ["school", "none", "some"]
    event = AuditEvent.objects.get(action="customfields.field_changed")
    assert set(event.detail["changed"]) >= {"label", "choices", "required", "translations", "section"}


def test_retiring_keeps_the_field_and_its_values_and_restoring_brings_it_back(
    client_for, alice, school_field, case_a
):
    from safeguard.customfields.models import FieldValue

    FieldValue.objects.create(definition=school_field, case=case_a, value="school", updated_by=alice)
    client = client_for(alice)
    assert client.post(reverse("customfields:retire", args=[school_field.pk])).status_code == 302
    school_field.refresh_from_db()
    assert school_field.is_retired
    assert FieldValue.objects.filter(definition=school_field).count() == 1
    assert AuditEvent.objects.get(action="customfields.field_retired").detail == {"values_kept": 1}
    assert client.post(reverse("customfields:restore", args=[school_field.pk])).status_code == 302
    school_field.refresh_from_db()
    assert not school_field.is_retired


def test_a_recorded_choice_cannot_be_removed(alice, org_a, school_field, case_a):
    from safeguard.customfields.models import FieldValue

    FieldValue.objects.create(definition=school_field, case=case_a, value="school", updated_by=alice)
    with pytest.raises(ValidationError) as error:
        field_change(
            actor=actor_of(alice, org_a),
            definition=school_field,
            settings_=FieldSettings(
                "Schooling", choices=[{"value": "none", "label": "No", "translations": {}}]
            ),
        )
    assert "cannot be removed: school" in str(error.value)


def test_unknown_languages_and_roles_are_refused(alice, org_a):
    with pytest.raises(ValidationError) as error:
        field_define(
            actor=actor_of(alice, org_a),
            form="case",
            key="x",
            kind="text",
            settings_=FieldSettings("X", translations={"de": {"label": "X"}}, visible_to=["king"]),
        )
    assert "Not a language of this installation: de" in str(error.value)
    assert "Not a role: king" in str(error.value)
