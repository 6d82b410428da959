"""The case page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import case_view_for
from safeguard.cases.selectors import timeline_entries
from safeguard.cases.services.notes import note_can_edit


@staff_view("case.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_view_for(actor, pk)
    today = timezone.localdate()
    context = {
        "case": case,
        "person": case.person,
        "age": case.person.age_on(today),
        "timeline": timeline_entries(case),
        "consents": case.consents.select_related("organisation"),
        "assessment": case.assessments.first(),
        "plans": case.care_plans.prefetch_related("items").select_related("submitted_by", "decided_by"),
        "referrals": case.referrals.select_related("service", "provider").prefetch_related("service_records"),
        "follow_ups": case.follow_ups.select_related("scheduled_by", "recorded_by"),
        "milestones": case.milestones.select_related("recorded_by"),
        "notes": [
            (note, note_can_edit(note, actor))
            for note in case.notes.select_related("author").prefetch_related("revisions")[:200]
        ],
        "documents": case.documents.defer("content").select_related("uploaded_by", "note"),
        "closures": case.closure_requests.select_related("requested_by", "decided_by", "reopened_by"),
        "flags": case.flags.select_related("raised_by", "resolved_by"),
        "tasks": case.tasks.pending().select_related("assignee"),
        "transfers": case.transfers.select_related("to_organisation"),
        "perpetrators": case.perpetrators.all(),
        "merged_cases": case.merged_cases.all(),
        "can_edit": actor.can("case.edit"),
        "can_approve": actor.can("case.approve"),
        "can_merge": actor.can("case.merge"),
        "today": today,
    }
    return render(request, "cases/detail.html", context)
