"""Registering a child, with the likely duplicates shown first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.intake_link import report_prefill
from safeguard.cases.matching import Profile
from safeguard.cases.selectors import find_duplicates
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.core.forms import apply_service_errors
from safeguard.customfields.forms import add_custom_fields, save_custom_fields
from safeguard.customfields.models import CASE_LEVEL_FORMS, FormKind


def _profile_from(form: forms.RegistrationForm) -> Profile:
    data = form.cleaned_data
    name = " ".join(part for part in (data["first_name"], data["middle_name"], data["second_name"]) if part)
    birth_year = data["birth_date"].year if data["birth_date"] else None
    estimated = False
    if birth_year is None and data["estimated_age"] is not None:
        birth_year, estimated = timezone.localdate().year - data["estimated_age"], True
    return Profile(
        names=[name, *form.alias_list()],
        birth_year=birth_year,
        birth_year_estimated=estimated,
        gender=data["gender"],
        citizenships=data["citizenships"],
        place=(data["subdivision"] or data["country"] or "").upper(),
    )


@staff_view("case.edit")
def register(request: HttpRequest) -> HttpResponse:
    """Register a child; likely duplicates among the cases the user may see are shown first."""
    actor = actor_for(request)
    report_id = request.GET.get("report") or request.POST.get("report") or ""
    initial, report = report_prefill(actor, report_id)
    candidates: list[Any] = []
    if request.method == "POST":
        form = forms.RegistrationForm(request.POST, organisation=actor.organisation)
        add_custom_fields(form, actor, FormKind.PERSON)
        add_custom_fields(form, actor, FormKind.CASE)
        if form.is_valid():
            candidates = find_duplicates(actor, _profile_from(form))
            if candidates and not form.cleaned_data["not_a_duplicate"]:
                form.add_error(
                    None, _("This child may already have a case. Check the possible matches before saving.")
                )
            else:
                data = form.cleaned_data
                values: dict[str, Any] = {
                    name: data[name] or ("" if name not in ("birth_date", "estimated_age") else None)
                    for name in (
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
                        "identity_number",
                        "phone",
                        "email",
                        "street",
                        "city",
                        "postal_code",
                        "guardian_name",
                        "guardian_relationship",
                        "guardian_phone",
                    )
                }
                details = PersonDetails(
                    **values,
                    aliases=form.alias_list(),
                    citizenships=data["citizenships"],
                )
                try:
                    with transaction.atomic():
                        case = case_register(
                            actor=actor,
                            person=details,
                            risk_level=data["risk_level"],
                            team=data["team"],
                            source_report=report,
                            context={
                                "trafficking_status": data["trafficking_status"],
                                "exploitation_types": data["exploitation_types"],
                            },
                        )
                        save_custom_fields(form, actor=actor, case=case, kinds=CASE_LEVEL_FORMS)
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(
                        request, _("Case %(reference)s registered.") % {"reference": case.reference}
                    )
                    return redirect("cases:detail", pk=case.pk)
    else:
        form = forms.RegistrationForm(initial=initial, organisation=actor.organisation)
        add_custom_fields(form, actor, FormKind.PERSON)
        add_custom_fields(form, actor, FormKind.CASE)
    return render(
        request,
        "cases/register.html",
        {"form": form, "candidates": candidates, "report": report, "report_id": report_id},
        status=400 if form.is_bound and form.errors else 200,
    )
