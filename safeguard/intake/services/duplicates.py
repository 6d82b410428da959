"""Acting on a duplicate suggestion: merge the pair, or remember that it is not a duplicate.

The suggestions themselves are read by ``intake.duplicate_suggestions``; merging reuses
``triage.report_merge_duplicate`` (the newer report is closed into the older one).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.core.audit import audit_record
from safeguard.intake.access import require_in_organisation
from safeguard.intake.models import NotDuplicate, Report
from safeguard.intake.services.triage import report_merge_duplicate


def _pair(report: Report, other: Report, actor: Actor) -> tuple[Report, Report, Organisation]:
    organisation = require_in_organisation(actor, "report.triage", report.organisation_id)
    if other.organisation_id != report.organisation_id:
        raise PermissionDenied("report.triage")
    if other.pk == report.pk:
        raise ValidationError({"other": _("A report cannot be a duplicate of itself.")})
    low, high = (report, other) if report.pk < other.pk else (other, report)
    return low, high, organisation


@transaction.atomic
def report_not_duplicate(*, report: Report, other: Report, actor: Actor) -> NotDuplicate:
    """Remember that ``report`` and ``other`` are different reports, so the pair is never
    suggested again. Both must belong to the actor's organisation. Idempotent."""
    low, high, organisation = _pair(report, other, actor)
    decision, created = NotDuplicate.objects.get_or_create(
        report=low, other=high, defaults={"organisation": organisation, "decided_by": actor.user}
    )
    if created:
        audit_record(
            action="report.not_duplicate",
            actor=actor.user,
            organisation=actor.organisation,
            target=report,
            detail={"other": other.pk},
        )
    return decision


@transaction.atomic
def report_merge_suggested(*, report: Report, other: Report, actor: Actor) -> Report:
    """Merge a suggested pair: the newer report is closed as a duplicate of the older one (or of
    the one that is already an original). Returns the original."""
    low, high, _organisation = _pair(report, other, actor)
    original, duplicate = sorted((low, high), key=lambda r: (r.created_at, r.pk))
    if original.duplicate_of_id and not duplicate.duplicate_of_id:
        original, duplicate = duplicate, original
    return report_merge_duplicate(duplicate=duplicate, original=original, actor=actor)
