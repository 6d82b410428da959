"""Editing the child's details and recording perpetrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for
from safeguard.cases.models import Case
from safeguard.cases.services.perpetrators import perpetrator_add
from safeguard.cases.services.person import case_update_context, person_update
from safeguard.cases.services.registration import PersonDetails
from safeguard.cases.views.base import action_page
from safeguard.core.forms import apply_service_errors
from safeguard.customfields.forms import add_custom_fields, save_custom_fields
from safeguard.customfields.models import CASE_LEVEL_FORMS, FormKind

PERSON_FIELDS = (
    "first_name",
    "middle_name",
    "second_name",
    "birth_date",
    "estimated_age",
    "gender",
    "primary_language",
    "secondary_language",
    "country",
    "subdivision",
    "phone",
    "email",
    "street",
    "city",
    "postal_code",
    "guardian_name",
    "guardian_relationship",
    "guardian_phone",
)


def _person_initial(case: Case) -> dict[str, Any]:
    person = case.person
    contact, guardian = person.contact or {}, person.guardian or {}
    return {
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "second_name": person.second_name,
        "aliases": "\n".join(person.aliases or []),
        "birth_date": person.birth_date or None,
        "estimated_age": person.estimated_age,
        "gender": person.gender,
        "citizenships": ", ".join(person.citizenships or []),
        "primary_language": person.primary_language,
        "secondary_language": person.secondary_language,
        "country": person.country,
        "subdivision": person.subdivision,
        **{name: contact.get(name, "") for name in ("phone", "email", "street", "city", "postal_code")},
        **{f"guardian_{name}": guardian.get(name, "") for name in ("name", "relationship", "phone")},
        **{name: getattr(case, name) for name in forms.PersonEditForm.CONTEXT_FIELDS},
    }


@staff_view("case.edit")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the child's details and the victim context after registration."""
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    posted = request.method == "POST"
    form = forms.PersonEditForm(
        request.POST if posted else None, initial=None if posted else _person_initial(case)
    )
    add_custom_fields(form, actor, FormKind.PERSON, case=case)
    add_custom_fields(form, actor, FormKind.CASE, case=case)
    if posted and form.is_valid():
        data = form.cleaned_data
        values: dict[str, Any] = {
            name: data[name] or ("" if name not in ("birth_date", "estimated_age") else None)
            for name in PERSON_FIELDS
        }
        details = PersonDetails(
            **values,
            aliases=form.alias_list(),
            citizenships=data["citizenships"],
        )
        try:
            with transaction.atomic():
                person_update(actor=actor, case=case, person=details)
                case_update_context(actor=actor, case=case, **form.context_values())
                save_custom_fields(form, actor=actor, case=case, kinds=CASE_LEVEL_FORMS)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("cases:detail", pk=case.pk)
    return action_page(
        request, form=form, title=_("Edit the child's details"), submit=_("Save details"), case=case
    )


@staff_view("case.edit")
def perpetrator_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.PerpetratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            perpetrator_add(
                actor=actor,
                case=case,
                name=data["name"],
                identifiers=form.identifier_list(),
                roles=data["roles"],
                role_details=data["role_details"],
                gender=data["gender"],
                citizenships=data["citizenships"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Perpetrator recorded."))
            return redirect("cases:detail", pk=case.pk)
    return action_page(
        request, form=form, title=_("Record a perpetrator"), submit=_("Save perpetrator"), case=case
    )
