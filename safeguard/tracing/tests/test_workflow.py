"""The tracing workflow, step by step: request (encrypted, on the case timeline), actions and
their results, a match confirmed or rejected, the best-interest assessment required before a
reunification, and the visits after it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from safeguard.accounts.models import Organisation, User
from safeguard.cases.models import Case, CaseEvent
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of
from safeguard.tracing.models import (
    Enquiry,
    EnquiryState,
    MatchStatus,
    Reunification,
    TracingMatch,
    TracingRequest,
    TracingState,
)
from safeguard.tracing.services.matches import match_decide
from safeguard.tracing.services.requests import (
    tracing_action_record,
    tracing_request_close,
    tracing_request_open,
)
from safeguard.tracing.services.reunification import (
    best_interest_record,
    reunification_record,
    reunification_visit_record,
)
from safeguard.tracing.tests.conftest import sought

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed names)
        (value,) = cursor.fetchone()
    return str(value)


def test_a_tracing_request_is_encrypted_and_on_the_case_timeline(
    tracing_request: TracingRequest, child_case: Case, cara: User
) -> None:
    assert tracing_request.state == TracingState.OPEN
    for column in ("sought_name", "physical_description", "circumstances", "last_known_address"):
        stored = _stored("tracing_tracingrequest", column, tracing_request.pk)
        assert stored.startswith("sg1:") and "fictional" not in stored and "Hauwa" not in stored
    event = CaseEvent.objects.get(case=child_case, kind="tracing_opened")
    assert (event.actor, event.detail) == (cara, {"tracing_request_id": tracing_request.pk})
    audit = AuditEvent.objects.get(action="case.tracing_opened")
    assert "Hauwa" not in str(audit.detail)


def test_a_request_needs_a_valid_place_and_a_past_separation_date(
    child_case: Case, cara: User, org_a: Organisation
) -> None:
    actor = actor_of(cara, org_a)
    with pytest.raises(ValidationError) as error:
        tracing_request_open(actor=actor, case=child_case, sought=sought(last_known_place="XX-99"))
    assert "last_known_place" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        tracing_request_open(
            actor=actor, case=child_case, sought=sought(separated_on=TODAY() + timedelta(days=1))
        )
    assert "separated_on" in error.value.message_dict
    assert not TracingRequest.objects.exists()


def test_a_caseworker_of_another_team_or_organisation_cannot_open_one(
    child_case: Case, carl: User, bert: User, org_a: Organisation, org_b: Organisation
) -> None:
    for actor in (actor_of(carl, org_a), actor_of(bert, org_b)):
        with pytest.raises(PermissionDenied):
            tracing_request_open(actor=actor, case=child_case, sought=sought())
    assert not TracingRequest.objects.exists()


def test_actions_are_recorded_and_a_found_result_verifies_the_family(
    tracing_request: TracingRequest, cara: User, org_a: Organisation, child_case: Case
) -> None:
    actor = actor_of(cara, org_a)
    tracing_action_record(
        actor=actor, request=tracing_request, kind="radio_message", done_on=TODAY(), result="lead"
    )
    assert tracing_request.state == TracingState.OPEN
    action = tracing_action_record(
        actor=actor,
        request=tracing_request,
        kind="visit",
        done_on=TODAY(),
        result="found",
        notes="Met her (fictional).",
    )
    assert (action.done_by, action.result) == (cara, "found")
    tracing_request.refresh_from_db()
    assert tracing_request.state == TracingState.VERIFIED
    kinds = list(
        CaseEvent.objects.filter(case=child_case, kind="tracing_action").values_list("detail", flat=True)
    )
    assert {
        "action_id": action.pk,
        "kind": "visit",
        "result": "found",
        "tracing_request_id": tracing_request.pk,
    } in kinds
    assert _stored("tracing_tracingaction", "notes", action.pk).startswith("sg1:")


def test_confirming_a_match_verifies_the_family_and_answers_the_enquiry(
    tracing_request: TracingRequest, enquiry: Enquiry, cara: User, org_a: Organisation
) -> None:
    match = TracingMatch.objects.get()
    match_decide(
        actor=actor_of(cara, org_a), match=match, confirm=True, note="Mother described the birthmark."
    )
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (MatchStatus.CONFIRMED, cara)
    tracing_request.refresh_from_db()
    enquiry.refresh_from_db()
    assert (tracing_request.state, enquiry.state) == (TracingState.VERIFIED, EnquiryState.MATCHED)
    with pytest.raises(ValidationError, match="already decided"):
        match_decide(actor=actor_of(cara, org_a), match=match, confirm=False)


def test_rejecting_the_last_pending_match_reopens_the_request(
    tracing_request: TracingRequest, enquiry: Enquiry, cara: User, org_a: Organisation, child_case: Case
) -> None:
    tracing_request.refresh_from_db()
    assert tracing_request.state == TracingState.POTENTIAL_MATCH
    match_decide(
        actor=actor_of(cara, org_a), match=TracingMatch.objects.get(), confirm=False, note="Another girl."
    )
    tracing_request.refresh_from_db()
    enquiry.refresh_from_db()
    assert (tracing_request.state, enquiry.state) == (TracingState.OPEN, EnquiryState.OPEN)
    assert CaseEvent.objects.filter(case=child_case, kind="tracing_match_rejected").count() == 1


def test_another_team_cannot_decide_a_match(
    tracing_request: TracingRequest, enquiry: Enquiry, carl: User, org_a: Organisation
) -> None:
    # Carl recorded the enquiry but the child is in team North's caseload.
    with pytest.raises(PermissionDenied):
        match_decide(actor=actor_of(carl, org_a), match=TracingMatch.objects.get(), confirm=True)
    assert TracingMatch.objects.get().status == MatchStatus.PENDING


def _verified(request: TracingRequest, user: User, org: Organisation) -> None:
    tracing_action_record(
        actor=actor_of(user, org), request=request, kind="visit", done_on=TODAY(), result="found"
    )


def test_reunification_is_refused_without_a_best_interest_assessment_for_it(
    tracing_request: TracingRequest, cara: User, sue: User, org_a: Organisation
) -> None:
    actor = actor_of(cara, org_a)
    reunify: dict[str, Any] = {"reunified_on": TODAY(), "with_whom": "Hauwa Yusuf", "relationship": "mother"}
    with pytest.raises(ValidationError, match="verified"):
        reunification_record(actor=actor, request=tracing_request, **reunify)
    _verified(tracing_request, cara, org_a)
    tracing_request.refresh_from_db()
    with pytest.raises(ValidationError, match="best-interest assessment"):
        reunification_record(actor=actor, request=tracing_request, **reunify)
    best_interest_record(
        actor=actor_of(sue, org_a),
        request=tracing_request,
        considerations="Home visit found no safety concern (fictional).",
        decision="defer",
        decided_on=TODAY(),
    )
    with pytest.raises(ValidationError, match="best-interest assessment"):
        reunification_record(actor=actor, request=tracing_request, **reunify)
    assert not Reunification.objects.exists()
    tracing_request.refresh_from_db()
    assert tracing_request.state == TracingState.VERIFIED


def test_only_a_supervisor_records_the_best_interest_assessment(
    tracing_request: TracingRequest, cara: User, org_a: Organisation
) -> None:
    with pytest.raises(PermissionDenied):
        best_interest_record(
            actor=actor_of(cara, org_a),
            request=tracing_request,
            considerations="x",
            decision="reunify",
            decided_on=TODAY(),
        )
    assert not tracing_request.assessments.exists()


def test_reunification_after_the_assessment_then_follow_up_visits(
    tracing_request: TracingRequest, cara: User, sue: User, org_a: Organisation, child_case: Case
) -> None:
    _verified(tracing_request, cara, org_a)
    tracing_request.refresh_from_db()
    assessment = best_interest_record(
        actor=actor_of(sue, org_a),
        request=tracing_request,
        participants="Sue, Cara, the child (fictional)",
        considerations="The mother is safe and able to care (fictional).",
        child_views="Wants to go home.",
        decision="reunify",
        decided_on=TODAY(),
    )
    reunification = reunification_record(
        actor=actor_of(cara, org_a),
        request=tracing_request,
        reunified_on=TODAY(),
        with_whom="Hauwa Yusuf",
        relationship="mother",
        place="NG-KN",
    )
    tracing_request.refresh_from_db()
    assert (tracing_request.state, reunification.assessment) == (TracingState.REUNIFIED, assessment)
    assert _stored("tracing_reunification", "with_whom", reunification.pk).startswith("sg1:")
    visit = reunification_visit_record(
        actor=actor_of(cara, org_a), reunification=reunification, visited_on=TODAY(), outcome="settled"
    )
    assert visit.visited_by == cara
    with pytest.raises(ValidationError) as error:
        reunification_visit_record(
            actor=actor_of(cara, org_a),
            reunification=reunification,
            visited_on=TODAY() - timedelta(days=1),
            outcome="settled",
        )
    assert "visited_on" in error.value.message_dict
    kinds = set(CaseEvent.objects.filter(case=child_case).values_list("kind", flat=True))
    assert {
        "tracing_opened",
        "tracing_action",
        "tracing_assessed",
        "reunified",
        "reunification_visit",
    } <= kinds
    with pytest.raises(ValidationError, match="no longer active"):
        tracing_action_record(
            actor=actor_of(cara, org_a),
            request=tracing_request,
            kind="visit",
            done_on=TODAY(),
            result="found",
        )


def test_closing_needs_a_reason_and_a_note_for_other(
    tracing_request: TracingRequest, cara: User, org_a: Organisation
) -> None:
    with pytest.raises(ValidationError) as error:
        tracing_request_close(actor=actor_of(cara, org_a), request=tracing_request, reason="other")
    assert "note" in error.value.message_dict
    tracing_request_close(actor=actor_of(cara, org_a), request=tracing_request, reason="family_not_found")
    tracing_request.refresh_from_db()
    assert (tracing_request.state, tracing_request.closure_reason) == (
        TracingState.CLOSED,
        "family_not_found",
    )
    assert tracing_request.closed_at is not None
