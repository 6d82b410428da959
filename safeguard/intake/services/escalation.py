"""Escalation to law enforcement: the frozen package, and the outcome the liaison returns."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind
from safeguard.core.audit import audit_record
from safeguard.intake.access import require_in_organisation
from safeguard.intake.choices import EscalationOutcome, NotificationKind, Status, Urgency
from safeguard.intake.events import report_event
from safeguard.intake.models import Escalation, Report, ReportEventKind
from safeguard.intake.services.notices import notify_escalation_after_commit
from safeguard.intake.services.workflow import clean_text, mark_triaged, record_triage_start, status_move


def escalation_package(
    report: Report, *, escalated_by: User, organisation: Organisation, summary: str
) -> dict[str, Any]:
    """What the law-enforcement liaison receives: the report, notes, messages and linked reports."""
    from safeguard.core.geography import country_name, subdivision_name
    from safeguard.intake.labels import exploitation_labels, indicator_labels, reason_text
    from safeguard.legal.selectors import package_provisions

    same_identifier = (
        Report.objects.filter(
            organisation=report.organisation,
            identifiers__value_index__in=report.identifiers.values("value_index"),
        )
        .exclude(pk=report.pk)
        .distinct()
        .values_list("reference", flat=True)
    )
    return {
        "format": "safeguard.escalation/1",
        "reference": report.reference,
        "received_at": report.created_at.isoformat(),
        "channel": report.channel,
        "from_organisation": report.organisation.name if report.organisation else "",
        "to_organisation": organisation.name,
        "escalated_by": escalated_by.name or escalated_by.email,
        "escalated_at": timezone.now().isoformat(),
        # The sender's zone, in which the PDF shows every time (the ISO values keep their offset).
        "time_zone": report.organisation.time_zone if report.organisation else settings.TIME_ZONE,
        "summary": summary,
        "urgency": Urgency(report.urgency).name.lower(),
        "urgency_reasons": [reason_text(reason) for reason in report.urgency_reasons]
        + [raised.reason for raised in report.urgency_raises.all()],
        "child_in_danger": report.child_in_danger,
        "country": report.country,
        "country_name": country_name(report.country) if report.country else "",
        "subdivision": report.subdivision,
        "subdivision_name": subdivision_name(report.subdivision) if report.subdivision else "",
        "place": report.place,
        "latitude": str(report.latitude) if report.latitude is not None else None,
        "longitude": str(report.longitude) if report.longitude is not None else None,
        "occurred": report.occurred,
        "narrative": report.narrative,
        "children": report.children,
        "suspects": report.suspects,
        "indicators": indicator_labels(report.indicators),
        "exploitation_types": report.exploitation_types,
        "exploitation_type_labels": exploitation_labels(report.exploitation_types),
        "identifiers": [
            {
                "kind": row.kind,
                "value": row.value,
                # An identifier that could not be verified is never presented as normalised.
                "normalised": row.normalised if row.is_valid else "",
                "parsed": row.is_valid,
                "verified": row.is_valid,
            }
            for row in report.identifiers.all()
        ],
        "notes": [
            {"at": note.created_at.isoformat(), "author": note.author.name, "body": note.body}
            for note in report.notes.select_related("author")
        ],
        "messages": [
            {"at": message.created_at.isoformat(), "direction": message.direction, "body": message.body}
            for message in report.messages.all()
        ],
        "linked_reports": {
            "duplicates": list(report.duplicates.values_list("reference", flat=True)),
            "sharing_identifiers": sorted(same_identifier),
        },
        # The legal frame the operator chose from the jurisdiction's offences (legal app).
        "legal_provisions": package_provisions(report),
        # The reporter's contact travels only if they agreed to be contacted.
        "reporter_contact": report.contact if report.contact_consent else None,
    }


@transaction.atomic
def report_escalate(*, report: Report, organisation: Organisation, summary: str, actor: Actor) -> Escalation:
    """Escalate to a law-enforcement organisation with a package frozen now.

    Needs ``report.escalate`` in the report's receiving organisation.
    """
    from_organisation = require_in_organisation(actor, "report.escalate", report.organisation_id)
    if organisation.kind != OrganisationKind.LAW_ENFORCEMENT or not organisation.is_active:
        raise ValidationError({"organisation": _("Choose an active law-enforcement organisation.")})
    summary = clean_text(summary, "summary")
    escalation = Escalation(
        report=report,
        organisation=organisation,
        from_organisation=from_organisation,
        escalated_by=actor.user,
        summary=summary,
        package=escalation_package(
            report, escalated_by=actor.user, organisation=organisation, summary=summary
        ),
    )
    escalation.full_clean()
    escalation.save()
    fields = ["updated_at"]
    before = report.status
    if report.status != Status.ESCALATED:
        report.status = Status.ESCALATED
        fields.append("status")
    started = mark_triaged(report, fields)
    report.save(update_fields=fields)
    record_triage_start(report, actor, started)
    report_event(
        report=report,
        kind=ReportEventKind.ESCALATED,
        actor=actor,
        detail={
            "escalation": escalation.pk,
            "to_organisation": organisation.pk,
            **status_move(before, report),
        },
    )
    audit_record(
        action="report.escalated",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"escalation": escalation.pk, "to_organisation": organisation.pk},
    )
    notify_escalation_after_commit(escalation.pk, NotificationKind.ESCALATED)
    return escalation


@transaction.atomic
def escalation_record_outcome(*, escalation: Escalation, outcome: str, note: str, actor: Actor) -> Escalation:
    """The liaison returns what law enforcement did with the escalation.

    Needs ``escalation.receive`` in the law-enforcement organisation it was sent to.
    """
    require_in_organisation(actor, "escalation.receive", escalation.organisation_id)
    if outcome not in EscalationOutcome.values or outcome == EscalationOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose what happened.")})
    escalation.outcome = outcome
    escalation.outcome_note = clean_text(note, "note") if note.strip() else ""
    escalation.outcome_by = actor.user
    escalation.outcome_at = timezone.now()
    escalation.save(update_fields=["outcome", "outcome_note", "outcome_by", "outcome_at"])
    report_event(
        report=escalation.report,
        kind=ReportEventKind.ESCALATION_OUTCOME,
        actor=actor,
        detail={"escalation": escalation.pk, "outcome": outcome},
    )
    audit_record(
        action="escalation.outcome",
        actor=actor.user,
        organisation=actor.organisation,
        target=escalation,
        detail={"outcome": outcome, "report": escalation.report_id},
    )
    notify_escalation_after_commit(escalation.pk, NotificationKind.ESCALATION_OUTCOME)
    return escalation
