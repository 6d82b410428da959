"""Flags on a case: raised with a reason and a note, resolved with a note; on the timeline and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, CaseFlag


@transaction.atomic
def flag_raise(*, actor: Actor, case: Case, reason: str, note: str = "") -> CaseFlag:
    require_case_in_reach(actor, case, "case.edit")
    flag = CaseFlag(case=case, reason=reason, note=note.strip(), raised_by=actor.user)
    flag.full_clean()
    flag.save()
    case_event(
        case=case, kind=CaseEventKind.FLAG_RAISED, actor=actor, detail={"flag_id": flag.pk, "reason": reason}
    )
    return flag


@transaction.atomic
def flag_resolve(*, actor: Actor, flag: CaseFlag, note: str) -> CaseFlag:
    require_case_in_reach(actor, flag.case, "case.edit")
    if flag.resolved_at is not None:
        raise ValidationError(_("This flag is already resolved."))
    if not note.strip():
        raise ValidationError({"note": _("Say how the flag was resolved.")})
    flag.resolved_by, flag.resolved_at, flag.resolution_note = actor.user, timezone.now(), note.strip()
    flag.save(update_fields=["resolved_by", "resolved_at", "resolution_note"])
    case_event(
        case=flag.case,
        kind=CaseEventKind.FLAG_RESOLVED,
        actor=actor,
        detail={"flag_id": flag.pk, "reason": flag.reason},
    )
    return flag
