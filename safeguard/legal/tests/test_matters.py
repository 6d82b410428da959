"""Legal matters: the workflow (stages, hearings as tasks, the child's preparation, protection
measures, compensation) and who may see and change them; a denied write leaves nothing behind."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from safeguard.cases.models import Task, TaskKind
from safeguard.cases.tests.conftest import register
from safeguard.core.models import AuditEvent
from safeguard.legal.access import hearing_for, matter_for
from safeguard.legal.models import (
    Hearing,
    LegalMatter,
    MatterEvent,
    MatterKind,
    MatterStage,
    MeasureKind,
    MeasureStatus,
)
from safeguard.legal.services import matters
from safeguard.legal.tests.conftest import refer_to_legal_aid
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def criminal() -> matters.MatterDetails:
    return matters.MatterDetails(
        kind=MatterKind.CRIMINAL, stage="", court="Test Crown Court", reference_number="T-1"
    )


@pytest.fixture
def matter(case_a, cara, org_a, gb) -> LegalMatter:
    return matters.matter_open(actor=actor_of(cara, org_a), case=case_a, details=criminal())


def test_a_criminal_matter_goes_from_complaint_to_verdict(matter, cara, org_a) -> None:
    actor = actor_of(cara, org_a)
    assert matter.stage == MatterStage.COMPLAINT
    assert matter.reference_number == "T-1"
    matters.matter_update(
        actor=actor, matter=matter, stage=MatterStage.TRIAL, outcome="pending", court="Test Crown Court",
        reference_number="T-1", lawyer="", complaint_on=date(2026, 1, 10), verdict_on=None, notes="",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        matters.matter_update(
            actor=actor, matter=matter, stage=MatterStage.VERDICT, outcome="conviction", court="", reference_number="",
            lawyer="", complaint_on=date(2026, 1, 10), verdict_on=date(2025, 12, 1), notes="",
        )  # fmt: skip
    assert "verdict_on" in error.value.message_dict
    matters.matter_update(
        actor=actor, matter=matter, stage=MatterStage.VERDICT, outcome="conviction", court="", reference_number="",
        lawyer="", complaint_on=date(2026, 1, 10), verdict_on=date(2026, 6, 1), notes="",
    )  # fmt: skip
    matter.refresh_from_db()
    assert (matter.stage, matter.outcome, matter.verdict_on) == ("verdict", "conviction", date(2026, 6, 1))
    kinds = list(
        MatterEvent.objects.filter(matter=matter).order_by("at", "id").values_list("kind", "detail__to")
    )
    assert kinds == [("opened", None), ("stage_changed", "trial"), ("stage_changed", "verdict")]
    assert (
        AuditEvent.objects.filter(action="legal.matter.stage_changed", object_id=str(matter.pk)).count() == 2
    )


def test_a_civil_stage_is_refused_on_a_criminal_matter(matter, cara, org_a) -> None:
    with pytest.raises(ValidationError) as error:
        matters.matter_update(
            actor=actor_of(cara, org_a), matter=matter, stage=MatterStage.FILED, outcome="pending", court="",
            reference_number="", lawyer="", complaint_on=None, verdict_on=None, notes="",
        )  # fmt: skip
    assert "stage" in error.value.message_dict


def test_a_hearing_is_a_task_and_a_child_must_be_prepared_first(matter, cara, org_a, case_a) -> None:
    actor = actor_of(cara, org_a)
    when = timezone.now() + timedelta(days=3)
    hearing = matters.hearing_schedule(
        actor=actor,
        matter=matter,
        scheduled_at=when,
        purpose="Trial day 1",
        place="Room 2",
        child_participates=True,
    )
    assert hearing.task_id is not None
    task = Task.objects.get(pk=hearing.task_id)
    assert (task.kind, task.title, task.assignee, task.due_on, task.done_at) == (
        TaskKind.HEARING, "Hearing: Trial day 1", cara, timezone.localdate(when), None,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="prepared"):
        matters.hearing_record(actor=actor, hearing=hearing, outcome_note="Adjourned")
    assert Hearing.objects.get(pk=hearing.pk).held_at is None
    matters.hearing_prepare_child(
        actor=actor,
        hearing=hearing,
        prepared_on=timezone.localdate(),
        note="Visited the court room with her.",
    )
    matters.hearing_record(
        actor=actor, hearing=hearing, outcome_note="Heard by video link", next_stage=MatterStage.TRIAL
    )
    hearing.refresh_from_db()
    task.refresh_from_db()
    matter.refresh_from_db()
    assert hearing.held_at is not None and task.done_at is not None and matter.stage == MatterStage.TRIAL


def test_a_hearing_in_the_past_cannot_be_scheduled(matter, cara, org_a) -> None:
    with pytest.raises(ValidationError) as error:
        matters.hearing_schedule(
            actor=actor_of(cara, org_a), matter=matter, scheduled_at=timezone.now() - timedelta(hours=1),
            purpose="Late", place="", child_participates=False,
        )  # fmt: skip
    assert "scheduled_at" in error.value.message_dict
    assert not Hearing.objects.exists() and not Task.objects.filter(kind=TaskKind.HEARING).exists()


def test_protection_measures_are_requested_then_decided(matter, cara, org_a) -> None:
    actor = actor_of(cara, org_a)
    measure = matters.measure_request(
        actor=actor,
        matter=matter,
        kind=MeasureKind.VIDEO_TESTIMONY,
        requested_on=timezone.localdate(),
        note="",
    )
    with pytest.raises(ValidationError):
        matters.measure_decide(
            actor=actor, measure=measure, status="requested", decided_on=timezone.localdate()
        )
    matters.measure_decide(
        actor=actor, measure=measure, status=MeasureStatus.GRANTED, decided_on=timezone.localdate()
    )
    measure.refresh_from_db()
    assert (measure.status, measure.decided_on) == ("granted", timezone.localdate())


def test_compensation_is_claimed_awarded_and_paid(matter, cara, org_a) -> None:
    actor = actor_of(cara, org_a)
    with pytest.raises(ValidationError) as error:
        matters.matter_record_compensation(
            actor=actor,
            matter=matter,
            currency="EUR",
            claimed=Decimal(5000),
            awarded=Decimal(3000),
            paid=Decimal(4000),
        )
    assert "compensation_paid" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        matters.matter_record_compensation(
            actor=actor, matter=matter, currency="E", claimed=Decimal(1), awarded=None, paid=None
        )
    assert "currency" in error.value.message_dict
    matters.matter_record_compensation(
        actor=actor,
        matter=matter,
        currency="eur",
        claimed=Decimal(5000),
        awarded=Decimal(3000),
        paid=Decimal(1000),
    )
    matter.refresh_from_db()
    assert (matter.currency, matter.compensation_claimed, matter.compensation_awarded, matter.compensation_paid) == (
        "EUR", Decimal("5000.00"), Decimal("3000.00"), Decimal("1000.00"),
    )  # fmt: skip


def test_a_referral_must_be_a_legal_aid_referral_of_the_case(
    case_a, cara, org_a, gb, legal_aid_service, lena
) -> None:
    referral = refer_to_legal_aid(case_a, cara, org_a, legal_aid_service, lena)
    other_case = register(actor_of(cara, org_a), first_name="Other")
    with pytest.raises(ValidationError) as error:
        matters.matter_open(
            actor=actor_of(cara, org_a),
            case=other_case,
            details=matters.MatterDetails(kind="criminal", stage="", referral=referral),
        )
    assert "referral" in error.value.message_dict


# --- who sees and changes a case's legal matters ---------------------------------------------

# who → may see the matter (and schedule a hearing on it)
MATRIX = [
    ("cara", True),  # owner of the case
    ("sue", True),  # supervisor of org A
    ("carl", False),  # caseworker of org A outside the case's team
    ("ana", False),  # analyst of org A
    ("beth", False),  # supervisor of org B
    ("bert", False),  # caseworker of org B
    ("lena", True),  # the legal-aid provider representing the child (accepted referral)
    ("olga", False),  # another provider
]


@pytest.fixture
def people(cara, sue, carl, ana, beth, bert, lena, olga):
    return {
        "cara": cara,
        "sue": sue,
        "carl": carl,
        "ana": ana,
        "beth": beth,
        "bert": bert,
        "lena": lena,
        "olga": olga,
    }


@pytest.fixture
def represented(case_a, cara, org_a, gb, legal_aid_service, lena) -> LegalMatter:
    referral = refer_to_legal_aid(case_a, cara, org_a, legal_aid_service, lena)
    return matters.matter_open(
        actor=actor_of(cara, org_a),
        case=case_a,
        details=matters.MatterDetails(kind="criminal", stage="", referral=referral),
    )


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_only_the_case_team_and_the_representing_provider_reach_a_matter(
    people, represented, who, allowed
) -> None:
    user = people[who]
    actor = actor_of(user, user.memberships.get().organisation)
    when = timezone.now() + timedelta(days=2)
    if allowed:
        assert matter_for(actor, represented.pk) == represented
        hearing = matters.hearing_schedule(
            actor=actor,
            matter=represented,
            scheduled_at=when,
            purpose="Hearing",
            place="",
            child_participates=False,
        )
        assert hearing_for(actor, hearing.pk) == hearing
        assert AuditEvent.objects.filter(action="legal.matter.hearing_scheduled", actor=user).count() == 1
        return
    with pytest.raises(Http404):
        matter_for(actor, represented.pk)
    with pytest.raises(PermissionDenied):
        matters.hearing_schedule(
            actor=actor,
            matter=represented,
            scheduled_at=when,
            purpose="Hearing",
            place="",
            child_participates=False,
        )
    assert not Hearing.objects.exists()
    assert not Task.objects.filter(kind=TaskKind.HEARING).exists()
    assert not MatterEvent.objects.filter(kind="hearing_scheduled").exists()
    assert not AuditEvent.objects.filter(action__startswith="legal.matter.hearing", actor=user).exists()


def test_a_provider_whose_referral_is_still_pending_does_not_see_the_matter(
    case_a, cara, org_a, gb, legal_aid_service, lena
) -> None:
    referral = refer_to_legal_aid(case_a, cara, org_a, legal_aid_service, None)
    matter = matters.matter_open(
        actor=actor_of(cara, org_a),
        case=case_a,
        details=matters.MatterDetails(kind="asylum", stage="", referral=referral),
    )
    with pytest.raises(Http404):
        matter_for(actor_of(lena, legal_aid_service.provider), matter.pk)


def test_opening_a_matter_on_another_organisations_case_is_refused(case_a, beth, org_b, gb) -> None:
    with pytest.raises(PermissionDenied):
        matters.matter_open(actor=actor_of(beth, org_b), case=case_a, details=criminal())
    assert not LegalMatter.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="legal.").exists()


def test_a_provider_cannot_open_matters_on_the_case_it_serves(
    case_a, cara, org_a, gb, legal_aid_service, lena
) -> None:
    refer_to_legal_aid(case_a, cara, org_a, legal_aid_service, lena)
    with pytest.raises(PermissionDenied):
        matters.matter_open(actor=actor_of(lena, legal_aid_service.provider), case=case_a, details=criminal())
    assert not LegalMatter.objects.exists()


def test_an_operator_of_the_same_organisation_reaches_no_matter(matter, org_a) -> None:
    operator = make_member(org_a, "operator", email="op@alpha.example")
    with pytest.raises(Http404):
        matter_for(actor_of(operator, org_a), matter.pk)
