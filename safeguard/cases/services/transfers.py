"""Transferring a whole case to another organisation, once it accepts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, Task, Transfer, TransferStatus
from safeguard.cases.services.closure import require_open
from safeguard.cases.services.consents import consent_or_override


@transaction.atomic
def transfer_request(
    *, actor: Actor, case: Case, to_organisation: Organisation, reason: str, override_reason: str = ""
) -> Transfer:
    """Offer the whole case to another organisation; needs consent naming it, or a supervisor override."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    if to_organisation.pk == case.organisation_id:
        raise ValidationError({"to_organisation": _("Choose another organisation.")})
    if case.transfers.filter(status=TransferStatus.PENDING).exists():
        raise ValidationError(_("A transfer of this case is already awaiting an answer."))
    consent = consent_or_override(
        actor=actor, case=case, organisation=to_organisation, override_reason=override_reason
    )
    transfer = Transfer(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        reason=reason,
        consent=consent,
        override_reason="" if consent else override_reason.strip(),
        requested_by=actor.user,
    )
    transfer.full_clean()
    transfer.save()
    case_event(
        case=case,
        kind=CaseEventKind.TRANSFER_REQUESTED,
        actor=actor,
        detail={
            "transfer_id": transfer.pk,
            "to_organisation_id": to_organisation.pk,
            "override": consent is None,
        },
    )
    return transfer


@transaction.atomic
def transfer_respond(
    *, actor: Actor, transfer: Transfer, accept: bool, note: str = "", owner: User | None = None
) -> Transfer:
    """The receiving organisation accepts (the case, its history and open tasks move to it) or declines."""
    actor.require("case.approve")
    if actor.organisation is None or transfer.to_organisation_id != actor.organisation.pk:
        raise PermissionDenied("transfer to another organisation")
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("This transfer has already been answered."))
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.responded_by, transfer.responded_at, transfer.response_note = actor.user, timezone.now(), note
    transfer.save(update_fields=["status", "responded_by", "responded_at", "response_note"])
    case = transfer.case
    if accept:
        new_owner = owner or actor.user
        case.organisation, case.owner, case.team = actor.organisation, new_owner, None
        case.save(update_fields=["organisation", "owner", "team", "updated_at"])
        Task.objects.pending().filter(case=case).update(assignee=new_owner)
        Task.objects.filter(case=case).update(organisation=actor.organisation)
    kind = CaseEventKind.TRANSFERRED if accept else CaseEventKind.TRANSFER_DECLINED
    case_event(
        case=case,
        kind=kind,
        actor=actor,
        detail={"transfer_id": transfer.pk, "from_organisation_id": transfer.from_organisation_id},
    )
    return transfer
