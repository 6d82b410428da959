"""The case page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import case_view_for
from safeguard.cases.selectors import case_timeline


@staff_view("case.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_view_for(actor, pk)
    today = timezone.localdate()
    context = {
        "case": case,
        "person": case.person,
        "age": case.person.age_on(today),
        "timeline": case_timeline(case)[:100],
        "consents": case.consents.select_related("organisation"),
        "assessment": case.assessments.first(),
        "plans": case.care_plans.prefetch_related("items").select_related("submitted_by", "decided_by"),
        "referrals": case.referrals.select_related("service", "provider").prefetch_related("service_records"),
        "follow_ups": case.follow_ups.all(),
        "milestones": case.milestones.all(),
        "tasks": case.tasks.pending().select_related("assignee"),
        "transfers": case.transfers.select_related("to_organisation"),
        "perpetrators": case.perpetrators.all(),
        "merged_cases": case.merged_cases.all(),
        "can_approve": actor.can("case.approve"),
        "can_merge": actor.can("case.merge"),
        "today": today,
    }
    return render(request, "cases/detail.html", context)
