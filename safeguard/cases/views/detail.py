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
from safeguard.customfields.models import FormKind
from safeguard.customfields.selectors import values_by_form


@staff_view("case.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_view_for(actor, pk)
    today = timezone.localdate()
    # Organisation-defined fields, only those the reader's roles may see.
    custom = values_by_form(actor, case)
    assessment = case.assessments.first()
    follow_ups = list(case.follow_ups.select_related("scheduled_by", "recorded_by"))
    for follow_up in follow_ups:
        follow_up.custom_shown = custom[FormKind.FOLLOW_UP].get(follow_up.pk, [])  # type: ignore[attr-defined]
    context = {
        "case": case,
        "person": case.person,
        "age": case.person.age_on(today),
        "timeline": timeline_entries(case),
        "consents": case.consents.select_related("organisation"),
        "assessment": assessment,
        "custom": custom,
        "custom_assessment": custom[FormKind.ASSESSMENT].get(assessment.pk, []) if assessment else [],
        "plans": case.care_plans.prefetch_related("items").select_related("submitted_by", "decided_by"),
        "referrals": case.referrals.select_related("service", "provider").prefetch_related("service_records"),
        "follow_ups": follow_ups,
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
