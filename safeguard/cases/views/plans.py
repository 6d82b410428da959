"""The initial assessment and the care plan (submitted, then approved or returned)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for, plan_for_approver
from safeguard.cases.services.assessment import assessment_record
from safeguard.cases.services.plans import PlanItemInput, care_plan_decide, care_plan_submit
from safeguard.cases.views.base import action_page
from safeguard.core.forms import apply_service_errors, submitted
from safeguard.customfields.forms import add_custom_fields, save_custom_fields
from safeguard.customfields.models import FormKind


@staff_view("case.edit")
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.AssessmentForm(request.POST or None)
    add_custom_fields(form, actor, FormKind.ASSESSMENT)

    @transaction.atomic
    def record() -> None:
        assessment = assessment_record(actor=actor, case=case, ratings=form.ratings(), notes=form.notes())
        save_custom_fields(
            form, actor=actor, case=case, kinds=(FormKind.ASSESSMENT,), record_id=assessment.pk
        )

    if submitted(request, form, record, _("Assessment recorded.")):
        return redirect("cases:detail", pk=case.pk)
    return action_page(
        request, form=form, title=_("Initial assessment"), submit=_("Save assessment"), case=case
    )


@staff_view("case.edit")
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.CarePlanForm(request.POST or None)
    items = forms.PlanItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [
            PlanItemInput(need=row["need"], action=row["action"], due_on=row["due_on"])
            for row in items.cleaned_data
            if row and not row.get("DELETE")
        ]
        try:
            care_plan_submit(
                actor=actor,
                case=case,
                goals=form.cleaned_data["goals"],
                support_type=form.cleaned_data["support_type"],
                planned_end=form.cleaned_data["planned_end"],
                items=rows,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Care plan submitted for approval."))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if form.is_bound and (form.errors or items.errors or items.non_form_errors()) else 200
    return render(request, "cases/plan.html", {"case": case, "form": form, "items": items}, status=status)


@staff_view("case.approve")
def plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    care_plan = plan_for_approver(actor, pk)
    form = forms.DecisionForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: care_plan_decide(
            actor=actor,
            plan=care_plan,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        _("Decision recorded."),
    ):
        return redirect("cases:detail", pk=care_plan.case_id)
    return action_page(
        request,
        form=form,
        title=_("Approve the care plan"),
        submit=_("Record decision"),
        case=care_plan.case,
        extra={"plan": care_plan, "plan_items": care_plan.items.all()},
    )
