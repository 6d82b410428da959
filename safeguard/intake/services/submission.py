"""Receiving reports: from the public form and API, partner channels, and operators.

The public path is the hot one (hundreds of reports a second): one transaction and one commit
per report, no query that is not needed (see docs/decisions/011-intake-throughput.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import OrganisationKind
from safeguard.core.audit import audit_record
from safeguard.core.fields import blind_index_for
from safeguard.intake import receipts
from safeguard.intake.choices import NotificationKind, Urgency
from safeguard.intake.events import report_event
from safeguard.intake.identifiers import parse_identifier
from safeguard.intake.models import PartnerChannel, Report, ReportEventKind, ReportIdentifier
from safeguard.intake.services.assessment import report_assess
from safeguard.intake.services.routing import routing_apply
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


COARSE_STEP = Decimal("0.1")  # about 11 km of latitude: a district, never a house (decision 134)


def coarse(degrees: Decimal | None) -> Decimal | None:
    """A map coordinate rounded to 0.1 degree before it is stored; None stays None."""
    return None if degrees is None else Decimal(degrees).quantize(COARSE_STEP, rounding=ROUND_HALF_EVEN)


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


def report_submit(
    *,
    data: ReportInput,
    channel: str,
    organisation: Organisation | None = None,
    partner_channel: PartnerChannel | None = None,
    reference: str | None = None,
    created_at: datetime | None = None,
) -> Submission:
    """Store a report, assess its urgency, apply routing rules and hand out a receipt.

    Takes no actor: the reporter is anonymous (the public form and API), a partner channel
    (authenticated by its key), or the system (demo data, imports). Operators use
    ``report_enter``. The receiving organisation is the partner channel's or the given one,
    else the one ``receiving_organisation`` picks. Routing is applied in the transaction, so
    routed organisations see the report as soon as it is stored. Notifications and
    ``report_received`` run in one background task, enqueued with the report (see
    ``_enqueue_follow_up``).
    """
    return _submit_with_retries(
        data=data,
        channel=channel,
        organisation=organisation,
        partner_channel=partner_channel,
        actor=None,
        reference=reference,
        created_at=created_at,
    )


def report_enter(*, data: ReportInput, channel: str, actor: Actor) -> Submission:
    """An operator records a report told by phone, in person or by letter, for their organisation.

    Needs ``report.intake``; the report is received by the actor's organisation and remembers
    who entered it. Otherwise as ``report_submit``.
    """
    actor.require("report.intake")
    if actor.organisation is None:
        raise PermissionDenied("report.intake")
    return _submit_with_retries(
        data=data,
        channel=channel,
        organisation=actor.organisation,
        partner_channel=None,
        actor=actor,
        reference=None,
        created_at=None,
    )


def _submit_with_retries(
    *,
    data: ReportInput,
    channel: str,
    organisation: Organisation | None,
    partner_channel: PartnerChannel | None,
    actor: Actor | None,
    reference: str | None,
    created_at: datetime | None,
) -> Submission:
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
        latitude=coarse(data.latitude),
        longitude=coarse(data.longitude),
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
    report_assess(report)
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
    destinations = routing_apply(report, new=True)
    # One event for the new report, naming where the rules sent it: the public path stays at
    # one INSERT more (routing_apply records no events of its own for a new report).
    report_event(
        report=report,
        kind=ReportEventKind.RECEIVED,
        actor=actor,
        detail={"channel": channel, "routed_to": destinations},
        at=report.created_at,
    )
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

    A background task (no actor). The signal goes first: its receivers only enqueue, and a
    failing e-mail must not keep analytics from seeing the report. Returns the number of
    notifications created.
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
