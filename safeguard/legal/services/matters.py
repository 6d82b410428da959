"""Legal aid in case management: legal matters, hearings, protection measures, compensation.

Every service checks its actor against the matter's case: the case team (``case.edit`` on a
case in reach) may do everything; the legal-aid provider the matter names through an accepted
referral may update the matter it represents. Each change is one ``MatterEvent`` and one audit
event, in the change's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.models import Case, Referral, TaskKind
from safeguard.cases.services.tasks import task_add, tasks_finish
from safeguard.directory.models import ServiceKind
from safeguard.legal.access import require_matter_in_reach
from safeguard.legal.events import matter_event
from safeguard.legal.models import (
    Hearing,
    Jurisdiction,
    LegalMatter,
    MatterEventKind,
    MatterOutcome,
    MatterStage,
    MeasureStatus,
    ProtectionMeasure,
    stages_for,
)


@dataclass(frozen=True)
class MatterDetails:
    kind: str
    stage: str
    jurisdiction: Jurisdiction | None = None
    court: str = ""
    reference_number: str = ""
    referral: Referral | None = None
    lawyer: str = ""
    complaint_on: date | None = None
    notes: str = ""


def _check_referral(case: Case, referral: Referral | None) -> None:
    if referral is not None and (referral.case_id != case.pk or referral.need != ServiceKind.LEGAL_AID):
        raise ValidationError({"referral": _("Choose a legal-aid referral of this case.")})


@transaction.atomic
def matter_open(*, actor: Actor, case: Case, details: MatterDetails) -> LegalMatter:
    """Open a legal matter on a case; needs ``case.edit`` on a case in the actor's reach."""
    require_case_in_reach(actor, case, "case.edit")
    _check_referral(case, details.referral)
    matter = LegalMatter(
        case=case,
        kind=details.kind,
        stage=details.stage or stages_for(details.kind)[0],
        jurisdiction=details.jurisdiction,
        court=details.court,
        reference_number=details.reference_number,
        referral=details.referral,
        lawyer=details.lawyer,
        complaint_on=details.complaint_on,
        notes=details.notes,
        opened_by=actor.user,
    )
    matter.full_clean()
    matter.save()
    matter_event(
        matter=matter,
        kind=MatterEventKind.OPENED,
        actor=actor,
        detail={"kind": matter.kind, "stage": matter.stage},
    )
    return matter


@transaction.atomic
def matter_update(
    *,
    actor: Actor,
    matter: LegalMatter,
    stage: str,
    outcome: str,
    court: str,
    reference_number: str,
    lawyer: str,
    complaint_on: date | None,
    verdict_on: date | None,
    notes: str,
) -> LegalMatter:
    """Move a matter on: its stage, court, reference, dates and outcome."""
    require_matter_in_reach(actor, matter)
    # The stored row, not the caller's copy (a refused change may have altered that one).
    matter = LegalMatter.objects.select_for_update().get(pk=matter.pk)
    before = matter.stage
    if outcome not in MatterOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    matter.stage, matter.outcome, matter.court = stage, outcome, court
    matter.reference_number, matter.lawyer, matter.notes = reference_number, lawyer, notes
    matter.complaint_on, matter.verdict_on = complaint_on, verdict_on
    if stage == MatterStage.VERDICT and verdict_on is None:
        raise ValidationError({"verdict_on": _("Give the date of the verdict.")})
    matter.full_clean()
    matter.save()
    if before != stage:
        matter_event(
            matter=matter,
            kind=MatterEventKind.STAGE_CHANGED,
            actor=actor,
            detail={"from": before, "to": stage},
        )
    else:
        matter_event(matter=matter, kind=MatterEventKind.UPDATED, actor=actor, detail={"outcome": outcome})
    return matter


@transaction.atomic
def matter_record_compensation(
    *,
    actor: Actor,
    matter: LegalMatter,
    currency: str,
    claimed: Decimal | None,
    awarded: Decimal | None,
    paid: Decimal | None,
) -> LegalMatter:
    """Record the compensation claimed, awarded and paid (never more paid than awarded)."""
    require_matter_in_reach(actor, matter)
    matter.currency = currency.strip().upper()
    matter.compensation_claimed, matter.compensation_awarded, matter.compensation_paid = (
        claimed,
        awarded,
        paid,
    )
    matter.full_clean()
    matter.save(
        update_fields=[
            "currency",
            "compensation_claimed",
            "compensation_awarded",
            "compensation_paid",
            "updated_at",
        ]
    )
    matter_event(
        matter=matter,
        kind=MatterEventKind.COMPENSATION,
        actor=actor,
        detail={
            "currency": matter.currency,
            "claimed": str(claimed),
            "awarded": str(awarded),
            "paid": str(paid),
        },
    )
    return matter


@transaction.atomic
def hearing_schedule(
    *,
    actor: Actor,
    matter: LegalMatter,
    scheduled_at: datetime,
    purpose: str,
    place: str,
    child_participates: bool,
) -> Hearing:
    """Schedule a hearing; it appears as a task of the case owner on the day of the hearing."""
    require_matter_in_reach(actor, matter)
    if scheduled_at < timezone.now():
        raise ValidationError(
            {"scheduled_at": _("A hearing to schedule must be in the future; record a past one as held.")}
        )
    hearing = Hearing(
        matter=matter,
        scheduled_at=scheduled_at,
        purpose=purpose.strip(),
        place=place.strip(),
        child_participates=child_participates,
        created_by=actor.user,
    )
    hearing.full_clean()
    hearing.save()
    task = task_add(
        case=matter.case,
        kind=TaskKind.HEARING,
        title=_("Hearing: %(purpose)s") % {"purpose": hearing.purpose},
        assignee=matter.case.owner,
        due_on=timezone.localdate(scheduled_at),
        source_id=hearing.pk,
    )
    hearing.task_id = task.pk
    hearing.save(update_fields=["task_id"])
    matter_event(
        matter=matter,
        kind=MatterEventKind.HEARING_SCHEDULED,
        actor=actor,
        detail={
            "hearing": hearing.pk,
            "at": scheduled_at.isoformat(),
            "child_participates": child_participates,
        },
    )
    return hearing


@transaction.atomic
def hearing_prepare_child(*, actor: Actor, hearing: Hearing, prepared_on: date, note: str) -> Hearing:
    """Record how the child was prepared for a hearing they take part in."""
    require_matter_in_reach(actor, hearing.matter)
    if not hearing.child_participates:
        raise ValidationError(_("The child does not take part in this hearing."))
    if not note.strip():
        raise ValidationError({"note": _("Say how the child was prepared (who, what was explained).")})
    if prepared_on > timezone.localdate():
        raise ValidationError({"prepared_on": _("The date cannot be in the future.")})
    hearing.preparation_on, hearing.preparation_note, hearing.prepared_by = (
        prepared_on,
        note.strip(),
        actor.user,
    )
    hearing.save(update_fields=["preparation_on", "preparation_note", "prepared_by"])
    matter_event(
        matter=hearing.matter,
        kind=MatterEventKind.CHILD_PREPARED,
        actor=actor,
        detail={"hearing": hearing.pk},
    )
    return hearing


@transaction.atomic
def hearing_record(*, actor: Actor, hearing: Hearing, outcome_note: str, next_stage: str = "") -> Hearing:
    """Record that a hearing was held. A hearing the child took part in needs the preparation recorded first."""
    require_matter_in_reach(actor, hearing.matter)
    if hearing.held_at is not None:
        raise ValidationError(_("This hearing is already recorded."))
    if hearing.needs_preparation:
        raise ValidationError(
            _("Record how the child was prepared before recording a hearing the child took part in.")
        )
    hearing.held_at, hearing.outcome_note = timezone.now(), outcome_note.strip()
    hearing.save(update_fields=["held_at", "outcome_note"])
    tasks_finish(hearing.matter.case, TaskKind.HEARING, hearing.pk)
    matter_event(
        matter=hearing.matter, kind=MatterEventKind.HEARING_HELD, actor=actor, detail={"hearing": hearing.pk}
    )
    matter = hearing.matter
    if next_stage and next_stage != matter.stage:
        if next_stage not in stages_for(matter.kind):
            raise ValidationError({"next_stage": _("This stage does not belong to this kind of matter.")})
        before, matter.stage = matter.stage, next_stage
        matter.save(update_fields=["stage", "updated_at"])
        matter_event(
            matter=matter,
            kind=MatterEventKind.STAGE_CHANGED,
            actor=actor,
            detail={"from": before, "to": next_stage},
        )
    return hearing


@transaction.atomic
def measure_request(
    *, actor: Actor, matter: LegalMatter, kind: str, requested_on: date, note: str
) -> ProtectionMeasure:
    """Record a protection measure asked for the child (video link, anonymity, protection order, …)."""
    require_matter_in_reach(actor, matter)
    measure = ProtectionMeasure(
        matter=matter, kind=kind, requested_on=requested_on, note=note.strip(), recorded_by=actor.user
    )
    measure.full_clean()
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": _("The date cannot be in the future.")})
    measure.save()
    matter_event(
        matter=matter,
        kind=MatterEventKind.MEASURE_REQUESTED,
        actor=actor,
        detail={"measure": measure.pk, "kind": kind},
    )
    return measure


@transaction.atomic
def measure_decide(
    *, actor: Actor, measure: ProtectionMeasure, status: str, decided_on: date
) -> ProtectionMeasure:
    """Record the decision on a requested measure: granted or refused, with its date."""
    require_matter_in_reach(actor, measure.matter)
    if status not in (MeasureStatus.GRANTED, MeasureStatus.REFUSED):
        raise ValidationError({"status": _("Choose granted or refused.")})
    if measure.status != MeasureStatus.REQUESTED:
        raise ValidationError(_("This measure is already decided."))
    measure.status, measure.decided_on = status, decided_on
    measure.full_clean()
    measure.save(update_fields=["status", "decided_on"])
    matter_event(
        matter=measure.matter,
        kind=MatterEventKind.MEASURE_DECIDED,
        actor=actor,
        detail={"measure": measure.pk, "status": status},
    )
    return measure


def hearings_remind(*, now: datetime | None = None, hours: int = 48) -> int:
    """E-mail the case owner, and the representing provider's staff, before each hearing.

    Run by ``manage.py legal_reminders`` (the system; no actor). Each hearing is reminded once;
    the mail names the case reference, the date and the hearing's purpose, nothing about the child.
    """
    from datetime import timedelta

    from django.core.mail import send_mail

    from safeguard.accounts.models import Membership
    from safeguard.accounts.roles import Role
    from safeguard.core.audit import audit_record

    now = now or timezone.now()
    due = Hearing.objects.upcoming(now).filter(
        reminder_sent_at__isnull=True, scheduled_at__lte=now + timedelta(hours=hours)
    )
    sent = 0
    for hearing in due.select_related("matter__case__owner", "matter__referral"):
        with transaction.atomic():
            if not Hearing.objects.filter(pk=hearing.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            case = hearing.matter.case
            recipients = {case.owner.email}
            referral = hearing.matter.referral
            if referral is not None:
                recipients |= set(
                    Membership.objects.active()
                    .filter(organisation_id=referral.provider_id, role__in=[Role.CASEWORKER, Role.SUPERVISOR])
                    .values_list("user__email", flat=True)
                )
            body = _('Case %(reference)s: hearing "%(purpose)s" on %(at)s.') % {
                "reference": case.reference,
                "purpose": hearing.purpose,
                "at": timezone.localtime(hearing.scheduled_at).strftime("%Y-%m-%d %H:%M"),
            }
            if hearing.needs_preparation:
                body += " " + _("The child takes part: record the child's preparation first.")
            audit_record(
                action="legal.hearing.reminded", organisation=case.organisation, target=hearing.matter,
                detail={"hearing": hearing.pk, "recipients": len(recipients)},
            )  # fmt: skip
            transaction.on_commit(
                partial(send_mail, _("Safeguard: a hearing is coming"), body, None, sorted(recipients))
            )
            sent += 1
    return sent
