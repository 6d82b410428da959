"""Every change to reports, routes, escalations, channels and hotlines goes through here.

Each service is keyword-only, runs in one transaction, validates before it saves and writes an
audit event for what it changed (ids and field names only, never the personal data itself).
``actor`` is the ``safeguard.accounts.access.Actor`` doing the work, or None for an anonymous
public reporter. Permission checks happen before a service is called (``intake.access``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind
from safeguard.core.audit import audit_record
from safeguard.core.fields import blind_index_for
from safeguard.intake import receipts, urgency
from safeguard.intake.choices import (
    TRANSITIONS,
    EscalationOutcome,
    NotificationKind,
    Outcome,
    Status,
    Urgency,
)
from safeguard.intake.identifiers import parse_identifier
from safeguard.intake.models import (
    Escalation,
    PartnerChannel,
    Report,
    ReportIdentifier,
    ReportMessage,
    ReportNote,
    ReportRoute,
    RetentionRun,
    RoutingRule,
    UrgencyRaise,
)
from safeguard.intake.signals import report_received


@dataclass
class ReportInput:
    """A report as told by the public form, the API or an operator, already validated."""

    narrative: str
    country: str = ""
    subdivision: str = ""
    place: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    occurred: str = ""
    children: list[dict[str, Any]] = field(default_factory=list)  # {"age", "gender", "description"}
    children_count: int | None = None
    suspects: list[dict[str, Any]] = field(default_factory=list)  # {"description", "names"}
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (kind, as typed)
    indicators: list[str] = field(default_factory=list)
    exploitation_types: list[str] = field(default_factory=list)
    child_in_danger: str = ""
    relation: str = ""
    contact: dict[str, str] = field(default_factory=dict)  # {"name", "phone", "email"}
    contact_consent: bool = False
    language: str = ""


@dataclass(frozen=True)
class Submission:
    report: Report
    receipt: str  # shown once to the reporter; only its hash is kept


def _new_reference() -> str:
    return "SG-" + receipts.new_lookup()


# Public reports arrive many times a second while hotlines change a few times a year: each
# process remembers the receiver per country briefly instead of asking the database every time.
RECEIVER_CACHE_SECONDS = 30.0
_receivers: dict[str, tuple[float, Organisation | None]] = {}


def receiving_organisation(country: str) -> Organisation | None:
    """Who receives a public report: an active hotline of its country, else the oldest hotline.

    The answer may be up to ``RECEIVER_CACHE_SECONDS`` old in other processes; a change to an
    organisation clears this process's memory at once (``forget_receivers``).
    """
    country = country.upper()
    remembered = _receivers.get(country)
    if remembered is not None and time.monotonic() - remembered[0] < RECEIVER_CACHE_SECONDS:
        return remembered[1]
    first = Case(When(country=country, then=Value(0)), default=Value(1), output_field=IntegerField())
    receiver = (
        Organisation.objects.filter(is_active=True, kind=OrganisationKind.HOTLINE)
        .order_by(first, "created_at", "id")
        .first()
    )
    _receivers[country] = (time.monotonic(), receiver)
    return receiver


def forget_receivers(**kwargs: Any) -> None:
    _receivers.clear()


def _assess(report: Report) -> None:
    """Apply the urgency rules and any raises; set level, reasons and triage target."""
    facts = urgency.Facts(
        child_in_danger=report.child_in_danger,
        children_count=report.children_count,
        youngest_age=report.youngest_age,
        indicators=frozenset(report.indicators),
        exploitation_types=frozenset(report.exploitation_types),
        occurred=report.occurred,
    )
    assessment = urgency.assess(facts)
    raised = list(report.urgency_raises.values_list("level", flat=True)) if report.pk else []
    report.assessed_urgency = int(assessment.level)
    report.urgency = int(urgency.combined_level(assessment.level, raised))
    report.urgency_reasons = [reason.as_dict() for reason in assessment.reasons]
    report.due_at = report.created_at + urgency.TARGETS[urgency.Level(report.urgency)]


def _notify(report: Report, kind: str, organisation_ids: list[int], *, email: bool = False) -> None:
    from safeguard.intake.tasks import send_report_notifications

    if not organisation_ids:
        return
    transaction.on_commit(
        lambda: send_report_notifications.enqueue(
            report_id=report.pk, kind=kind, organisation_ids=sorted(set(organisation_ids)), email=email
        )
    )


def report_submit(
    *,
    data: ReportInput,
    channel: str,
    organisation: Organisation | None = None,
    partner_channel: PartnerChannel | None = None,
    actor: Actor | None = None,
    reference: str | None = None,
    created_at: datetime | None = None,
) -> Submission:
    """Store a report, assess its urgency, apply routing rules and hand out a receipt.

    The receiving organisation is the partner channel's or operator's, else the one
    ``receiving_organisation`` picks. Routing is applied in the transaction, so routed
    organisations see the report as soon as it is stored. Notifications and
    ``report_received`` run in one background task, enqueued with the report (see
    ``_enqueue_follow_up``).
    """
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _report_submit(
                    data=data,
                    channel=channel,
                    organisation=organisation,
                    partner_channel=partner_channel,
                    actor=actor,
                    reference=reference,
                    created_at=created_at,
                )
        except IntegrityError:
            # A 40-bit reference or lookup id collided (or an explicit reference exists): redraw.
            if attempt == 2 or reference is not None:
                raise
    raise AssertionError("unreachable")


def _report_submit(
    *,
    data: ReportInput,
    channel: str,
    organisation: Organisation | None,
    partner_channel: PartnerChannel | None,
    actor: Actor | None,
    reference: str | None,
    created_at: datetime | None,
) -> Submission:
    if partner_channel is not None:
        organisation = partner_channel.organisation
    elif organisation is None:
        organisation = receiving_organisation(data.country)
    children = [child for child in data.children if any(child.values())]
    ages = [int(child["age"]) for child in children if child.get("age") not in (None, "")]
    secret = receipts.new_secret()
    report = Report(
        reference=reference or _new_reference(),
        organisation=organisation,
        channel=channel,
        partner_channel=partner_channel,
        entered_by=actor.user if actor else None,
        language=data.language[:8],
        narrative=data.narrative,
        country=data.country,
        subdivision=data.subdivision,
        place=data.place,
        latitude=data.latitude,
        longitude=data.longitude,
        occurred=data.occurred,
        children=children,
        children_count=max(data.children_count or 0, len(children)),
        youngest_age=min(ages) if ages else None,
        suspects=[suspect for suspect in data.suspects if any(suspect.values())],
        indicators=sorted(set(data.indicators)),
        exploitation_types=sorted(set(data.exploitation_types)),
        child_in_danger=data.child_in_danger,
        relation=data.relation,
        contact={key: value for key, value in data.contact.items() if value not in ("", None)},
        contact_consent=data.contact_consent,
        receipt_lookup=receipts.new_lookup(),
        receipt_hash=receipts.hash_secret(secret),
        created_at=created_at or timezone.now(),
    )
    _assess(report)
    # The foreign keys come from the database already; checking them again costs a query each.
    report.full_clean(
        exclude=["organisation", "partner_channel", "entered_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    report.save(force_insert=True)
    _store_identifiers(report, data.identifiers)
    audit_record(
        action="report.received",
        actor=actor.user if actor else None,
        organisation=organisation,
        target=report,
        detail={
            "channel": channel,
            "urgency": report.urgency,
            "partner_channel": partner_channel.pk if partner_channel else None,
        },
    )
    destinations = _apply_routing(report, new=True)
    notices: list[dict[str, Any]] = []
    if report.urgency == Urgency.CRITICAL:
        owner = [organisation.pk] if organisation else []
        notices.append(
            {"kind": NotificationKind.CRITICAL, "organisation_ids": owner + destinations, "email": True}
        )
    elif destinations:
        notices.append({"kind": NotificationKind.ROUTED, "organisation_ids": destinations, "email": False})
    _enqueue_follow_up(report.pk, notices)
    return Submission(report=report, receipt=receipts.format_receipt(report.receipt_lookup, secret))


def _tasks_join_transaction(task: Any) -> bool:
    """True when ``task.enqueue`` writes a row in this database, so it can join our transaction."""
    from django.db import router
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(task.get_backend(), DatabaseBackend) and router.db_for_write(DBTaskResult) == "default"


def _enqueue_follow_up(report_id: int, notices: list[dict[str, Any]]) -> None:
    """Hand what follows a new report (notifications, ``report_received``) to one background task.

    With the database task backend the task row is written in the report's transaction: it
    exists if and only if the report does, and the request commits once. Other backends (the
    immediate one in tests) enqueue after commit, so the work still starts from a stored report.
    """
    from safeguard.intake.tasks import report_follow_up

    for notice in notices:
        notice["organisation_ids"] = sorted(set(notice["organisation_ids"]))
    if _tasks_join_transaction(report_follow_up):
        report_follow_up.enqueue(report_id=report_id, notices=notices)
    else:
        transaction.on_commit(lambda: report_follow_up.enqueue(report_id=report_id, notices=notices))


def report_follow_up_run(*, report_id: int, notices: list[dict[str, Any]]) -> int:
    """Run after a new report committed: send ``report_received``, then notify organisations.

    The signal goes first: its receivers only enqueue, and a failing e-mail must not keep
    analytics from seeing the report. Returns the number of notifications created.
    """
    from safeguard.intake import notifications

    report_received.send(sender=Report, report_id=report_id)
    return sum(notifications.notify_report(report_id=report_id, **notice) for notice in notices)


def _store_identifiers(report: Report, identifiers: list[tuple[str, str]]) -> list[ReportIdentifier]:
    rows = []
    seen: set[tuple[str, str]] = set()
    for kind, typed in identifiers:
        if not typed.strip():
            continue
        parsed = parse_identifier(kind, typed.strip(), region=report.country)
        index = blind_index_for(parsed.normalised, purpose=kind)
        if (kind, index) in seen:
            continue
        seen.add((kind, index))
        rows.append(
            ReportIdentifier(
                report=report,
                kind=kind,
                value=typed.strip(),
                normalised=parsed.normalised,
                value_index=index,
                is_valid=parsed.is_valid,
            )
        )
    return ReportIdentifier.objects.bulk_create(rows)


def _apply_routing(report: Report, *, new: bool = False) -> list[int]:
    """Route the report by its organisation's active rules; returns newly added destinations."""
    if report.organisation_id is None:
        return []
    rules = RoutingRule.objects.filter(
        organisation_id=report.organisation_id, is_active=True
    ).prefetch_related("destinations")
    added: list[int] = []
    existing = set() if new else set(report.routes.values_list("organisation_id", flat=True))
    for rule in rules:
        if not rule.matches(report):
            continue
        for destination in rule.destinations.all():
            if (
                destination.pk == report.organisation_id
                or destination.pk in existing
                or not destination.is_active
            ):
                continue
            ReportRoute.objects.create(report=report, organisation=destination, rule=rule)
            existing.add(destination.pk)
            added.append(destination.pk)
            audit_record(
                action="report.routed",
                organisation=report.organisation,
                target=report,
                detail={"to_organisation": destination.pk, "rule": rule.pk},
            )
    return added


@transaction.atomic
def report_raise_urgency(*, report: Report, level: int | str, reason: str, detail: dict[str, Any]) -> Report:
    """Raise a report's urgency for a reason outside the rules (for example: it touches a known
    network). Never lowers it. The reason is shown in the triage view beside the rules' reasons;
    routing rules are applied again at the new level."""
    if isinstance(level, str):
        level = Urgency[level.upper()].value
    level = Urgency(int(level))
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why the urgency is raised.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    before = report.urgency
    UrgencyRaise.objects.create(report=report, level=level, reason=reason, detail=detail)
    _assess(report)
    report.save(update_fields=["urgency", "assessed_urgency", "urgency_reasons", "due_at", "updated_at"])
    audit_record(
        action="report.urgency_raised",
        organisation=report.organisation,
        target=report,
        detail={"from": before, "to": report.urgency, "requested": int(level), "detail_keys": sorted(detail)},
    )
    destinations = _apply_routing(report)
    if report.urgency == Urgency.CRITICAL and before != Urgency.CRITICAL:
        owner = [report.organisation_id] if report.organisation_id else []
        routed = list(report.routes.values_list("organisation_id", flat=True))
        _notify(report, NotificationKind.CRITICAL, owner + routed, email=True)
    elif destinations:
        _notify(report, NotificationKind.ROUTED, destinations)
    return report


def _mark_triaged(report: Report, fields: list[str]) -> None:
    if report.triaged_at is None:
        report.triaged_at = timezone.now()
        fields.append("triaged_at")


@transaction.atomic
def report_change_status(*, report: Report, status: str, outcome: str = "", actor: Actor) -> Report:
    """Move a report along the workflow; closing needs an outcome (duplicates close by merging)."""
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
    _mark_triaged(report, fields)
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save(update_fields=fields)
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
    report.assigned_to = assignee
    fields = ["assigned_to", "updated_at"]
    if report.status == Status.NEW:
        report.status = Status.IN_TRIAGE
        fields.append("status")
    _mark_triaged(report, fields)
    report.save(update_fields=fields)
    audit_record(
        action="report.assigned",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"assignee": assignee.pk if assignee else None},
    )
    return report


def _clean_text(text: str, field_name: str) -> str:
    from safeguard.core.validation import TEXT_MAX, no_control_characters

    text = text.strip()
    if not text:
        raise ValidationError({field_name: _("Write something first.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({field_name: _("Keep it under %(max)d characters.") % {"max": TEXT_MAX}})
    try:
        no_control_characters(text)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from None
    return text


@transaction.atomic
def report_add_note(*, report: Report, body: str, actor: Actor) -> ReportNote:
    note = ReportNote(
        report=report, author=actor.user, organisation=actor.organisation, body=_clean_text(body, "body")
    )
    note.full_clean()
    note.save()
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
    """Leave a question the reporter sees when they follow up; the report then needs information."""
    message = ReportMessage(
        report=report,
        direction=ReportMessage.Direction.QUESTION,
        author=actor.user,
        body=_clean_text(body, "body"),
    )
    message.full_clean()
    message.save()
    fields = ["updated_at"]
    if report.status in {Status.NEW, Status.IN_TRIAGE}:
        report.status = Status.NEEDS_INFORMATION
        fields.append("status")
    _mark_triaged(report, fields)
    report.save(update_fields=fields)
    audit_record(
        action="report.question_asked",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"message": message.pk},
    )
    return message


@transaction.atomic
def report_reporter_message(*, report: Report, body: str) -> ReportMessage:
    """The anonymous reporter answers or adds information through follow-up."""
    if report.status == Status.CLOSED and report.duplicate_of_id is None:
        raise ValidationError(
            {"message": _("This report is closed. If something new happened, please make a new report.")}
        )
    message = ReportMessage(
        report=report, direction=ReportMessage.Direction.REPORTER, body=_clean_text(body, "message")
    )
    message.full_clean()
    message.save()
    fields = ["updated_at"]
    if report.status == Status.NEEDS_INFORMATION:
        report.status = Status.IN_TRIAGE
        fields.append("status")
    report.save(update_fields=fields)
    audit_record(
        action="report.reporter_message",
        organisation=report.organisation,
        target=report,
        detail={"message": message.pk},
    )
    if report.organisation_id:
        _notify(report, NotificationKind.REPORTER_REPLIED, [report.organisation_id])
    return message


@transaction.atomic
def report_route(*, report: Report, organisation: Organisation, actor: Actor) -> ReportRoute:
    """Share a report with another organisation by hand; it becomes visible to them."""
    if organisation.pk == report.organisation_id:
        raise ValidationError({"organisation": _("The report already belongs to this organisation.")})
    if report.routes.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("The report was already routed to this organisation.")})
    route = ReportRoute.objects.create(report=report, organisation=organisation, routed_by=actor.user)
    fields = ["updated_at"]
    if report.status in {Status.NEW, Status.IN_TRIAGE, Status.NEEDS_INFORMATION}:
        report.status = Status.REFERRED
        fields.append("status")
    _mark_triaged(report, fields)
    report.save(update_fields=fields)
    audit_record(
        action="report.routed",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"to_organisation": organisation.pk, "rule": None},
    )
    _notify(report, NotificationKind.ROUTED, [organisation.pk], email=report.urgency == Urgency.CRITICAL)
    return route


@transaction.atomic
def report_merge_duplicate(*, duplicate: Report, original: Report, actor: Actor) -> Report:
    """Close ``duplicate`` as a duplicate of ``original`` and merge into the original what it adds:
    identifiers, signs and kinds of exploitation. The original's urgency is re-assessed."""
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
    _assess(original)
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
    duplicate.duplicate_of = original
    duplicate.status = Status.CLOSED
    duplicate.outcome = Outcome.DUPLICATE
    duplicate.closed_at = timezone.now()
    fields = ["duplicate_of", "status", "outcome", "closed_at", "updated_at"]
    _mark_triaged(duplicate, fields)
    duplicate.save(update_fields=fields)
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


def escalation_package(
    report: Report, *, escalated_by: User, organisation: Organisation, summary: str
) -> dict[str, Any]:
    """What the law-enforcement liaison receives: the report, notes, messages and linked reports."""
    from safeguard.core.geography import country_name, subdivision_name
    from safeguard.intake.labels import exploitation_labels, indicator_labels, reason_text

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
            {"kind": row.kind, "value": row.value, "normalised": row.normalised, "parsed": row.is_valid}
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
        # The reporter's contact travels only if they agreed to be contacted.
        "reporter_contact": report.contact if report.contact_consent else None,
    }


@transaction.atomic
def report_escalate(*, report: Report, organisation: Organisation, summary: str, actor: Actor) -> Escalation:
    """Escalate to a law-enforcement organisation with a package frozen now."""
    if organisation.kind != OrganisationKind.LAW_ENFORCEMENT or not organisation.is_active:
        raise ValidationError({"organisation": _("Choose an active law-enforcement organisation.")})
    summary = _clean_text(summary, "summary")
    escalation = Escalation(
        report=report,
        organisation=organisation,
        from_organisation=actor.organisation,
        escalated_by=actor.user,
        summary=summary,
        package=escalation_package(
            report, escalated_by=actor.user, organisation=organisation, summary=summary
        ),
    )
    escalation.full_clean()
    escalation.save()
    fields = ["updated_at"]
    if report.status != Status.ESCALATED:
        report.status = Status.ESCALATED
        fields.append("status")
    _mark_triaged(report, fields)
    report.save(update_fields=fields)
    audit_record(
        action="report.escalated",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"escalation": escalation.pk, "to_organisation": organisation.pk},
    )
    transaction.on_commit(lambda: _enqueue_escalation_notice(escalation.pk, NotificationKind.ESCALATED))
    return escalation


def _enqueue_escalation_notice(escalation_id: int, kind: str) -> None:
    from safeguard.intake.tasks import send_escalation_notifications

    send_escalation_notifications.enqueue(escalation_id=escalation_id, kind=kind)


@transaction.atomic
def escalation_record_outcome(*, escalation: Escalation, outcome: str, note: str, actor: Actor) -> Escalation:
    """The liaison returns what law enforcement did with the escalation."""
    if outcome not in EscalationOutcome.values or outcome == EscalationOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose what happened.")})
    escalation.outcome = outcome
    escalation.outcome_note = _clean_text(note, "note") if note.strip() else ""
    escalation.outcome_by = actor.user
    escalation.outcome_at = timezone.now()
    escalation.save(update_fields=["outcome", "outcome_note", "outcome_by", "outcome_at"])
    audit_record(
        action="escalation.outcome",
        actor=actor.user,
        organisation=actor.organisation,
        target=escalation,
        detail={"outcome": outcome, "report": escalation.report_id},
    )
    transaction.on_commit(
        lambda: _enqueue_escalation_notice(escalation.pk, NotificationKind.ESCALATION_OUTCOME)
    )
    return escalation


@transaction.atomic
def routing_rule_save(*, rule: RoutingRule, destinations: list[Organisation], actor: Actor) -> RoutingRule:
    created = rule.pk is None
    rule.organisation = actor.organisation
    if not destinations:
        raise ValidationError({"destinations": _("Choose at least one organisation to send reports to.")})
    if any(destination.pk == rule.organisation_id for destination in destinations):
        raise ValidationError(
            {"destinations": _("Reports already belong to your organisation; choose others.")}
        )
    rule.full_clean()
    rule.save()
    rule.destinations.set(destinations)
    audit_record(
        action="routing_rule.created" if created else "routing_rule.changed",
        actor=actor.user,
        organisation=actor.organisation,
        target=rule,
        detail={"destinations": sorted(destination.pk for destination in destinations)},
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, actor: Actor) -> None:
    audit_record(
        action="routing_rule.deleted", actor=actor.user, organisation=actor.organisation, target=rule
    )
    rule.delete()


@transaction.atomic
def partner_channel_create(*, name: str, actor: Actor) -> tuple[PartnerChannel, str]:
    """A new partner API key; returns the key, shown once. Only its SHA-256 is kept (it has 256 bits)."""
    key = "sgc_" + secrets.token_urlsafe(32)
    channel = PartnerChannel(
        organisation=actor.organisation,
        name=_clean_text(name, "name")[:100],
        prefix=key[:10],
        key_hash=partner_key_hash(key),
        created_by=actor.user,
    )
    channel.full_clean()
    channel.save()
    audit_record(
        action="partner_channel.created", actor=actor.user, organisation=actor.organisation, target=channel
    )
    return channel, key


def partner_key_hash(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def partner_channel_revoke(*, channel: PartnerChannel, actor: Actor) -> PartnerChannel:
    if channel.revoked_at is None:
        channel.revoked_at = timezone.now()
        channel.save(update_fields=["revoked_at"])
        audit_record(
            action="partner_channel.revoked",
            actor=actor.user,
            organisation=actor.organisation,
            target=channel,
        )
    return channel


def reports_purgeable(*, cutoff: datetime) -> Any:
    """Closed, not actionable, closed before ``cutoff``, and never escalated (escalations are evidence)."""
    return (
        Report.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff)
        .exclude(outcome=Outcome.ACTIONABLE)
        .exclude(escalations__isnull=False)
        .exclude(Q(duplicates__isnull=False) & ~Q(duplicates__status=Status.CLOSED))
    )


def reports_purge(*, days: int, now: datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Delete closed, non-actionable reports older than ``days`` and keep only aggregate counts."""
    from django.db.models import Count
    from django.db.models.deletion import ProtectedError

    cutoff = (now or timezone.now()) - timedelta(days=days)
    purgeable = reports_purgeable(cutoff=cutoff).distinct()
    counts: dict[str, dict[str, int]] = {}
    for column in ("country", "channel", "outcome", "urgency"):
        rows = purgeable.order_by().values(column).annotate(n=Count("id", distinct=True))
        counts[f"by_{column}"] = {str(row[column] or "unknown"): row["n"] for row in rows}
    run = RetentionRun(cutoff=cutoff, counts=counts)
    if dry_run:
        run.purged = sum(counts["by_channel"].values())
        return run
    purged = 0
    skipped = 0
    for report_id in list(purgeable.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                Report.objects.filter(pk=report_id).delete()
            purged += 1
        except ProtectedError:
            # Another app (a case, for example) still refers to it: keep it.
            skipped += 1
    with transaction.atomic():
        run.purged = purged
        run.counts = {**counts, "skipped_in_use": skipped}
        run.save()
        audit_record(
            action="report.retention_purge",
            target=run,
            detail={"purged": purged, "skipped": skipped, "days": days, "cutoff": cutoff.isoformat()},
        )
    return run
