"""The initial (or a repeat) assessment; it sets the case's risk level."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import (
    ASSESSMENT_DOMAINS,
    Assessment,
    Case,
    CaseEventKind,
    CaseStage,
    RiskLevel,
    TaskKind,
)
from safeguard.cases.services.closure import require_open
from safeguard.cases.services.plans import CARE_PLAN_DUE_DAYS
from safeguard.cases.services.tasks import task_add, tasks_finish


def _risk_from(rating: int) -> str:
    return {4: RiskLevel.CRITICAL, 3: RiskLevel.HIGH, 2: RiskLevel.MEDIUM}.get(rating, RiskLevel.LOW)


@transaction.atomic
def assessment_record(
    *, actor: Actor, case: Case, ratings: dict[str, int], notes: dict[str, str]
) -> Assessment:
    """Record the initial (or a repeat) assessment; the case's risk level follows the highest rating."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    missing = [name for name, _label in ASSESSMENT_DOMAINS if name not in ratings]
    if missing:
        raise ValidationError({name: _("Give a rating.") for name in missing})
    assessment = Assessment(
        case=case,
        assessed_by=actor.user,
        notes={name: text for name, text in notes.items() if text},
        **{name: ratings[name] for name, _label in ASSESSMENT_DOMAINS},
    )
    assessment.full_clean()
    assessment.save()
    case.risk_level = _risk_from(assessment.highest_rating)
    fields = ["risk_level", "updated_at"]
    if case.stage == CaseStage.REGISTERED:
        case.stage = CaseStage.ASSESSED
        fields.append("stage")
        task_add(
            case=case,
            kind=TaskKind.CARE_PLAN,
            title=_("Care plan for %(reference)s") % {"reference": case.reference},
            assignee=case.owner,
            due_on=timezone.localdate() + timedelta(days=CARE_PLAN_DUE_DAYS),
        )
    case.save(update_fields=fields)
    tasks_finish(case, TaskKind.ASSESSMENT)
    case_event(
        case=case,
        kind=CaseEventKind.ASSESSED,
        actor=actor,
        detail={"assessment_id": assessment.pk, "risk_level": case.risk_level},
    )
    return assessment
