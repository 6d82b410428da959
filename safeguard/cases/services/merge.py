"""Merging a duplicate case into the primary one (never automatic)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, CaseStatus, Task


@transaction.atomic
def case_merge(*, actor: Actor, primary: Case, duplicate: Case, reason: str) -> Case:
    """Merge ``duplicate`` into ``primary``: both keep their records and timelines; the duplicate
    is marked merged and points to the primary, whose timeline shows both. Never automatic."""
    require_case_in_reach(actor, primary, "case.merge")
    if primary.pk == duplicate.pk:
        raise ValidationError(_("Choose two different cases."))
    if primary.organisation_id != duplicate.organisation_id:
        raise ValidationError(_("Only cases of the same organisation can be merged."))
    require_case_in_reach(actor, duplicate, "case.merge")
    if duplicate.status == CaseStatus.MERGED or primary.status == CaseStatus.MERGED:
        raise ValidationError(_("A merged case cannot be merged again."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the merge.")})
    duplicate.status, duplicate.merged_into = CaseStatus.MERGED, primary
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    Task.objects.pending().filter(case=duplicate).update(case=primary)
    detail = {"primary_case_id": primary.pk, "duplicate_case_id": duplicate.pk}
    case_event(case=primary, kind=CaseEventKind.MERGED, actor=actor, detail=detail)
    case_event(case=duplicate, kind=CaseEventKind.MERGED, actor=actor, detail=detail)
    return primary
