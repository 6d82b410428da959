"""Everything recorded is shown: follow-up outcomes and notes, milestones, plan versions and
decisions, closure reasons and approvals, reopening — in the case's sections and on its
timeline, with who and when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.cases.models import CaseEventKind, CaseStatus, ClosureReason, ClosureRequest
from safeguard.cases.selectors import timeline_entries
from safeguard.cases.services.assessment import assessment_record
from safeguard.cases.services.closure import case_decide_closure, case_reopen, case_request_closure
from safeguard.cases.services.followups import follow_up_record, follow_up_schedule, milestone_record
from safeguard.cases.services.plans import PlanItemInput, care_plan_decide, care_plan_submit
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

RATINGS = {
    "immediate_safety": 2, "medical": 1, "psychological": 2, "legal": 0, "shelter": 3, "education": 1,
    "family_tracing": 0,
}  # fmt: skip


def test_follow_up_outcome_and_notes_on_the_page_and_timeline(case_a, cara, org_a, client_for) -> None:
    caseworker = actor_of(cara, org_a)
    follow_up = follow_up_schedule(
        actor=caseworker, case=case_a, due_on=timezone.localdate(), purpose="Home visit"
    )
    follow_up_record(
        actor=caseworker,
        follow_up=follow_up,
        done_on=timezone.localdate(),
        notes="Sleeping well, back at school.",
        outcome="seen_well",
    )
    milestone_record(
        actor=caseworker,
        case=case_a,
        kind="school_enrolment",
        reached_on=timezone.localdate(),
        notes="Enrolled in year 7.",
    )
    entries = timeline_entries(case_a)
    done = next(entry for entry in entries if entry.event.kind == CaseEventKind.FOLLOW_UP_DONE)
    assert done.summary == "Home visit — Child seen, doing well — Sleeping well, back at school."
    milestone = next(entry for entry in entries if entry.event.kind == CaseEventKind.MILESTONE)
    assert milestone.summary == "School enrolment — Enrolled in year 7."
    page = client_for(cara).get(f"/cases/{case_a.pk}/").content.decode()
    assert page.count("Sleeping well, back at school.") == 2  # the section and the timeline
    assert "Child seen, doing well" in page
    assert "Enrolled in year 7." in page
    assert "recorded by Cara Caseworker" in page


def test_follow_up_record_form_requires_an_outcome(case_a, cara, org_a, client_for) -> None:
    follow_up = follow_up_schedule(
        actor=actor_of(cara, org_a), case=case_a, due_on=timezone.localdate(), purpose="Call"
    )
    url, client = f"/cases/follow-ups/{follow_up.pk}/", client_for(cara)
    response = client.post(url, {"done_on": timezone.localdate().isoformat(), "notes": "Rang"})
    assert response.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.done_on is None
    response = client.post(
        url, {"done_on": timezone.localdate().isoformat(), "notes": "Rang", "outcome": "not_reached"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.recorded_by) == ("not_reached", cara)


def test_plan_versions_with_who_decided_and_the_note(case_a, cara, sue, org_a, client_for) -> None:
    caseworker, supervisor = actor_of(cara, org_a), actor_of(sue, org_a)
    assessment_record(actor=caseworker, case=case_a, ratings=RATINGS, notes={})
    due = timezone.localdate() + timedelta(days=10)
    first = care_plan_submit(
        actor=caseworker, case=case_a, goals="Safe bed", items=[PlanItemInput("shelter", "Find a bed", due)]
    )
    care_plan_decide(actor=supervisor, plan=first, approve=False, note="Add schooling.")
    second = care_plan_submit(
        actor=caseworker,
        case=case_a,
        goals="Safe bed and school",
        items=[PlanItemInput("education", "Enrol", due)],
    )
    care_plan_decide(actor=supervisor, plan=second, approve=True, note="Good.")
    page = client_for(cara).get(f"/cases/{case_a.pk}/").content.decode()
    assert "Version 1: Returned for changes" in page
    assert "Version 2: Approved" in page
    assert "returned by Sue Supervisor" in page and "approved by Sue Supervisor" in page
    returned = next(e for e in timeline_entries(case_a) if e.event.kind == CaseEventKind.PLAN_REJECTED)
    assert (returned.summary, returned.event.actor) == ("Add schooling.", sue)


def test_closure_reasons_decisions_and_reopening_kept_for_every_cycle(
    case_a, cara, sue, sid, org_a, client_for
) -> None:
    caseworker, sue_actor, sid_actor = actor_of(cara, org_a), actor_of(sue, org_a), actor_of(sid, org_a)
    case_request_closure(
        actor=caseworker, case=case_a, reason_code="lost_contact", reason="No answer for 3 months"
    )
    case_decide_closure(actor=sue_actor, case=case_a, approve=False, note="Try the school first.")
    case_a.refresh_from_db()
    assert (case_a.status, case_a.closure_reason_code) == (CaseStatus.OPEN, "")
    case_request_closure(actor=caseworker, case=case_a, reason_code=ClosureReason.REINTEGRATED)
    case_decide_closure(actor=sid_actor, case=case_a, approve=True, note="Well documented.")
    case_a.refresh_from_db()
    assert (case_a.status, case_a.closure_reason_code) == (CaseStatus.CLOSED, "reintegrated")
    case_reopen(actor=caseworker, case=case_a, reason="Ran away from home")

    cycles = list(
        ClosureRequest.objects.filter(case=case_a).values_list("reason_code", "approved", "decided_by")
    )
    assert cycles == [("lost_contact", False, sue.pk), ("reintegrated", True, sid.pk)]
    summaries = {e.event.kind: e.summary for e in timeline_entries(case_a)}
    assert summaries[CaseEventKind.CLOSED] == "Well documented."
    assert summaries[CaseEventKind.CLOSURE_REJECTED] == "Try the school first."
    assert summaries[CaseEventKind.REOPENED] == "Ran away from home"
    page = client_for(cara).get(f"/cases/{case_a.pk}/").content.decode()
    assert "Not approved by Sue Supervisor" in page
    assert "Approved by Sid Supervisor" in page
    assert "Reopened by Cara Caseworker" in page
    assert "No answer for 3 months" in page


def test_closure_needs_a_listed_reason_and_details_for_other(case_a, cara, org_a, client_for) -> None:
    caseworker = actor_of(cara, org_a)
    with pytest.raises(ValidationError, match="from the list"):
        case_request_closure(actor=caseworker, case=case_a, reason_code="bored")
    with pytest.raises(ValidationError, match="Say why"):
        case_request_closure(actor=caseworker, case=case_a, reason_code="other", reason=" ")
    client = client_for(cara)
    response = client.post(f"/cases/{case_a.pk}/close/", {"reason_code": "", "reason": "x"})
    assert response.status_code == 400
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.OPEN
    response = client.post(f"/cases/{case_a.pk}/close/", {"reason_code": "aged_out"})
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert (case_a.status, case_a.closure_reason_code) == (CaseStatus.CLOSURE_REQUESTED, "aged_out")
