"""Referrals to a provider's service, and the provider's answer and services delivered."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, Referral, ReferralStatus, ServiceRecord, TaskKind
from safeguard.cases.services.closure import require_open
from safeguard.cases.services.consents import consent_or_override
from safeguard.cases.services.tasks import task_add, tasks_finish
from safeguard.directory.models import Service


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    case: Case,
    service: Service,
    summary: str,
    respond_by: date,
    share_first_name: bool = False,
    override_reason: str = "",
) -> Referral:
    """Refer the case's need to ``service``. Refused without consent covering the provider,
    unless a supervisor overrides with a reason (recorded on the referral and audited)."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    if not service.is_active:
        raise ValidationError({"service": _("This service is no longer offered.")})
    consent = consent_or_override(
        actor=actor, case=case, organisation=service.provider, override_reason=override_reason
    )
    referral = Referral(
        case=case,
        service=service,
        provider=service.provider,
        need=service.kind,
        summary=summary,
        share_first_name=share_first_name,
        consent=consent,
        override_reason="" if consent else override_reason.strip(),
        respond_by=respond_by,
        created_by=actor.user,
    )
    referral.full_clean()
    referral.save()
    detail = {"referral_id": referral.pk, "provider_id": service.provider_id, "service_id": service.pk}
    if consent is None:
        case_event(case=case, kind=CaseEventKind.REFERRAL_OVERRIDE, actor=actor, detail=detail)
    else:
        case_event(
            case=case,
            kind=CaseEventKind.REFERRAL_SENT,
            actor=actor,
            detail={**detail, "consent_id": consent.pk},
        )
    task_add(
        case=case,
        kind=TaskKind.REFERRAL_RESPONSE,
        title=_("Referral to %(provider)s awaits an answer") % {"provider": service.provider.name},
        assignee=case.owner,
        due_on=respond_by,
        source_id=referral.pk,
    )
    return referral


def _require_provider(actor: Actor, referral: Referral) -> None:
    actor.require("referral.respond")
    if actor.organisation is None or referral.provider_id != actor.organisation.pk:
        raise PermissionDenied("referral of another organisation")


@transaction.atomic
def referral_respond(*, actor: Actor, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The provider accepts or declines a pending referral."""
    _require_provider(actor, referral)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError(_("This referral has already been answered."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.responded_by, referral.responded_at, referral.decline_reason = actor.user, timezone.now(), reason
    referral.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
    tasks_finish(referral.case, TaskKind.REFERRAL_RESPONSE, referral.pk)
    kind = CaseEventKind.REFERRAL_ACCEPTED if accept else CaseEventKind.REFERRAL_DECLINED
    case_event(case=referral.case, kind=kind, actor=actor, detail={"referral_id": referral.pk})
    return referral


@transaction.atomic
def service_record_add(*, actor: Actor, referral: Referral, delivered_on: date, note: str) -> ServiceRecord:
    _require_provider(actor, referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Services can be recorded only on an accepted referral."))
    record = ServiceRecord(referral=referral, delivered_on=delivered_on, note=note, recorded_by=actor.user)
    record.full_clean()
    record.save()
    case_event(
        case=referral.case,
        kind=CaseEventKind.SERVICE_DELIVERED,
        actor=actor,
        detail={"referral_id": referral.pk, "service_record_id": record.pk},
    )
    return record


@transaction.atomic
def referral_complete(*, actor: Actor, referral: Referral) -> Referral:
    _require_provider(actor, referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be completed."))
    referral.status, referral.completed_at = ReferralStatus.COMPLETED, timezone.now()
    referral.save(update_fields=["status", "completed_at"])
    case_event(
        case=referral.case,
        kind=CaseEventKind.REFERRAL_COMPLETED,
        actor=actor,
        detail={"referral_id": referral.pk},
    )
    return referral
