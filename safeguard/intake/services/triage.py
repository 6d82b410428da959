"""Triage: moving a report along the workflow, assigning it, notes, questions, merging duplicates.

Every service here needs ``report.triage`` in the report's receiving organisation; an
organisation that accepted a hand-over of the report may also add its notes and ask the reporter.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import User
from safeguard.core.audit import audit_record
from safeguard.intake.access import require_in_organisation
from safeguard.intake.choices import TRANSITIONS, Outcome, Status
from safeguard.intake.events import report_event
from safeguard.intake.models import Report, ReportEventKind, ReportIdentifier, ReportMessage, ReportNote
from safeguard.intake.selectors import assignable_users
from safeguard.intake.services.assessment import report_assess
from safeguard.intake.services.handover import require_handler
from safeguard.intake.services.workflow import clean_text, mark_triaged, record_triage_start, status_move


@transaction.atomic
def report_change_status(*, report: Report, status: str, outcome: str = "", actor: Actor) -> Report:
    """Move a report along the workflow; closing needs an outcome (duplicates close by merging)."""
    require_in_organisation(actor, "report.triage", report.organisation_id)
    if status not in TRANSITIONS.get(report.status, frozenset()):
        raise ValidationError(
            {
                "status": _("A report that is %(now)s cannot become %(next)s.")
                % {
                    "now": Status(report.status).label,
                    "next": Status(status).label if status in Status.values else status,
                }
            }
        )
    if status == Status.CLOSED:
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose an outcome to close the report.")})
        if outcome == Outcome.DUPLICATE:
            raise ValidationError({"outcome": _("Use “mark as duplicate” to close a report as a duplicate.")})
    before = report.status
    report.status = status
    fields = ["status", "outcome", "closed_at", "updated_at"]
    report.outcome = outcome if status == Status.CLOSED else ""
    report.closed_at = timezone.now() if status == Status.CLOSED else None
    started = mark_triaged(report, fields)
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save(update_fields=fields)
    record_triage_start(report, actor, started)
    report_event(
        report=report,
        kind=ReportEventKind.STATUS_CHANGED,
        actor=actor,
        detail={"from": before, "to": status, "outcome": report.outcome},
    )
    audit_record(
        action="report.status_changed",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"from": before, "to": status, "outcome": report.outcome},
    )
    return report


@transaction.atomic
def report_assign(*, report: Report, assignee: User | None, actor: Actor) -> Report:
    """Give the report to one of its organisation's operators or supervisors (or to nobody)."""
    organisation = require_in_organisation(actor, "report.triage", report.organisation_id)
    if assignee is not None and assignee.pk not in {user.pk for user in assignable_users(organisation)}:
        raise ValidationError({"assignee": _("Choose an operator or supervisor of your organisation.")})
    report.assigned_to = assignee
    fields = ["assigned_to", "updated_at"]
    before = report.status
    if report.status == Status.NEW:
        report.status = Status.IN_TRIAGE
        fields.append("status")
    started = mark_triaged(report, fields)
    report.save(update_fields=fields)
    record_triage_start(report, actor, started)
    report_event(
        report=report,
        kind=ReportEventKind.ASSIGNED,
        actor=actor,
        detail={"assignee": assignee.pk if assignee else None, **status_move(before, report)},
    )
    audit_record(
        action="report.assigned",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"assignee": assignee.pk if assignee else None},
    )
    return report


@transaction.atomic
def report_add_note(*, report: Report, body: str, actor: Actor) -> ReportNote:
    """An internal note, never shown to the reporter; the receiving organisation of an accepted
    hand-over writes its own notes, which its sender never sees."""
    require_handler(actor, "report.triage", report)
    assert actor.organisation is not None
    note = ReportNote(
        report=report, author=actor.user, organisation=actor.organisation, body=clean_text(body, "body")
    )
    note.full_clean()
    note.save()
    report_event(report=report, kind=ReportEventKind.NOTE_ADDED, actor=actor, detail={"note": note.pk})
    audit_record(
        action="report.note_added",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"note": note.pk},
    )
    return note


@transaction.atomic
def report_ask_reporter(*, report: Report, body: str, actor: Actor) -> ReportMessage:
    """Leave a question the reporter sees when they follow up; the report then needs information.

    The receiving organisation of an accepted hand-over asks in the same conversation (the
    reporter sees one thread); the sender's workflow status is left to the sender."""
    as_receiver = require_handler(actor, "report.triage", report)
    message = ReportMessage(
        report=report,
        direction=ReportMessage.Direction.QUESTION,
        author=actor.user,
        body=clean_text(body, "body"),
    )
    message.full_clean()
    message.save()
    fields = ["updated_at"]
    before = report.status
    if report.status in {Status.NEW, Status.IN_TRIAGE} and not as_receiver:
        report.status = Status.NEEDS_INFORMATION
        fields.append("status")
    started = mark_triaged(report, fields) if not as_receiver else False
    report.save(update_fields=fields)
    record_triage_start(report, actor, started)
    report_event(
        report=report,
        kind=ReportEventKind.REPORTER_ASKED,
        actor=actor,
        detail={"message": message.pk, **status_move(before, report)},
    )
    audit_record(
        action="report.question_asked",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"message": message.pk},
    )
    return message


@transaction.atomic
def report_merge_duplicate(*, duplicate: Report, original: Report, actor: Actor) -> Report:
    """Close ``duplicate`` as a duplicate of ``original`` and merge into the original what it adds:
    identifiers, signs and kinds of exploitation. The original's urgency is re-assessed.

    Both reports must belong to the actor's organisation."""
    require_in_organisation(actor, "report.triage", duplicate.organisation_id)
    if original.organisation_id != duplicate.organisation_id:
        raise PermissionDenied("report.triage")
    if duplicate.pk == original.pk:
        raise ValidationError({"original": _("A report cannot be a duplicate of itself.")})
    if original.duplicate_of_id:
        raise ValidationError({"original": _("That report is itself a duplicate; choose the original.")})
    original = Report.objects.select_for_update().get(pk=original.pk)
    known = set(original.identifiers.values_list("kind", "value_index"))
    copies = [
        ReportIdentifier(
            report=original,
            kind=row.kind,
            value=row.value,
            normalised=row.normalised,
            value_index=row.value_index,
            is_valid=row.is_valid,
        )
        for row in duplicate.identifiers.all()
        if (row.kind, row.value_index) not in known
    ]
    ReportIdentifier.objects.bulk_create(copies)
    original.indicators = sorted(set(original.indicators) | set(duplicate.indicators))
    original.exploitation_types = sorted(set(original.exploitation_types) | set(duplicate.exploitation_types))
    original.children_count = max(original.children_count, duplicate.children_count)
    ages = [age for age in (original.youngest_age, duplicate.youngest_age) if age is not None]
    original.youngest_age = min(ages) if ages else None
    if duplicate.child_in_danger == "yes":
        original.child_in_danger = "yes"
    report_assess(original)
    original.save(
        update_fields=[
            "indicators",
            "exploitation_types",
            "children_count",
            "youngest_age",
            "child_in_danger",
            "urgency",
            "assessed_urgency",
            "urgency_reasons",
            "due_at",
            "updated_at",
        ]
    )
    before = duplicate.status
    duplicate.duplicate_of = original
    duplicate.status = Status.CLOSED
    duplicate.outcome = Outcome.DUPLICATE
    duplicate.closed_at = timezone.now()
    fields = ["duplicate_of", "status", "outcome", "closed_at", "updated_at"]
    started = mark_triaged(duplicate, fields)
    duplicate.save(update_fields=fields)
    record_triage_start(duplicate, actor, started)
    report_event(
        report=duplicate,
        kind=ReportEventKind.MERGED,
        actor=actor,
        detail={"into": original.pk, "identifiers_copied": len(copies), **status_move(before, duplicate)},
    )
    report_event(
        report=original, kind=ReportEventKind.MERGED_INTO, actor=actor, detail={"from": duplicate.pk}
    )
    audit_record(
        action="report.merged",
        actor=actor.user,
        organisation=actor.organisation,
        target=duplicate,
        detail={"into": original.pk, "identifiers_copied": len(copies)},
    )
    audit_record(
        action="report.merged_into",
        actor=actor.user,
        organisation=actor.organisation,
        target=original,
        detail={"from": duplicate.pk},
    )
    return original
