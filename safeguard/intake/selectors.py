"""Reads: the triage queue, follow-up by receipt, what a report page shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Choices, Count, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.core.fields import blind_index_for
from safeguard.core.flags import flag_filter
from safeguard.intake import receipts
from safeguard.intake.access import reports_visible_to
from safeguard.intake.choices import (
    WORKING_HANDOVERS,
    Channel,
    EscalationOutcome,
    HandoverOutcome,
    HandoverStatus,
    IdentifierKind,
    Outcome,
    Status,
    Urgency,
)
from safeguard.intake.identifiers import parse_identifier
from safeguard.intake.labels import level_name, reason_text
from safeguard.intake.models import (
    Notification,
    PartnerChannel,
    Report,
    ReportEvent,
    ReportEventKind,
    ReportFlag,
    ReportIdentifier,
    ReportMessage,
    ReportQuerySet,
    ReportRoute,
    RoutingRule,
)


def report_by_receipt(typed: str) -> Report | None:
    """The report a receipt opens, or None; one indexed query and one argon2 verification."""
    parts = receipts.split(typed)
    lookup, secret = parts if parts else ("", "0" * receipts.SECRET_LENGTH)
    report = (
        Report.objects.select_related("duplicate_of").filter(receipt_lookup=lookup).first()
        if lookup
        else None
    )
    if not receipts.verify_secret(report.receipt_hash if report else None, secret):
        return None
    return report


def triage_queue(
    actor: Actor,
    *,
    status: str = "open",
    urgency: int | None = None,
    mine: bool = False,
    flag: str = "",
    assignee: User | str | None = None,
    channel: str = "",
    place: str = "",
    language: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
    q: str = "",
    sort: str = "",
) -> Any:
    """The reports the actor may see, in queue order (most urgent, then oldest) unless ``sort``
    (a QUEUE_SORTS key, "-" first for descending) says otherwise. Every filter narrows what
    ``reports_visible_to`` gives, never widens it; values are the queue form's cleaned ones.

    ``assignee`` is "me" (as ``mine``), "none" (nobody yet: the organisation's unassigned
    reports and hand-overs still offered to it) or a user. ``q`` finds a reference (any part
    of it) or an identifier through its blind index, so nothing is decrypted to search.
    """
    organisation = actor.organisation
    # Each organisation sees and filters by its own flags only, as with its internal notes.
    open_flags = ReportFlag.objects.filter(organisation=organisation, resolved_at__isnull=True)
    reports: ReportQuerySet = (
        reports_visible_to(actor)
        .select_related("assigned_to", "organisation")
        .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags"))
    )
    if flag:
        reports = reports.filter(flag_filter(flag, open_flags.filter(report=OuterRef("pk"))))
    if status == "open":
        reports = reports.work_of(organisation)
    elif status == "overdue":
        reports = reports.filter(_overdue_work(organisation))
    elif status == "offered":
        reports = reports.filter(pk__in=_routes(organisation, [HandoverStatus.OFFERED]).values("report_id"))
    elif status in Status.values:
        reports = reports.filter(status=status)
    if urgency:
        reports = reports.filter(urgency=urgency)
    if mine or assignee == "me":
        reports = reports.filter(_mine(actor))
    elif assignee == "none":
        reports = reports.filter(_unassigned(organisation))
    elif isinstance(assignee, User):
        reports = reports.filter(_assigned_to(organisation, assignee))
    if channel:
        reports = reports.filter(channel=channel)
    if place:
        reports = reports.filter(subdivision=place) if "-" in place else reports.filter(country=place)
    if language:
        reports = reports.filter(language=language)
    # Whole local days, as a range on the timestamp itself so the indexes on created_at serve it.
    if received_from:
        reports = reports.filter(created_at__gte=_day_start(received_from))
    if received_to and received_to < date.max:
        reports = reports.filter(created_at__lt=_day_start(received_to + timedelta(days=1)))
    if q.strip():
        reports = reports.filter(_search(q.strip(), organisation))
    return reports.sorted_by(sort)


def _day_start(day: date) -> datetime:
    """The first instant of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _search(typed: str, organisation: Any) -> Q:
    """A reference containing ``typed``, or a report naming it as an identifier of any kind
    (phone numbers read as in the organisation's country when they have no country code)."""
    region = getattr(organisation, "country", "") or ""
    named = Q()
    for kind in IdentifierKind.values:
        parsed = parse_identifier(kind, typed, region=region)
        named |= Q(kind=kind, value_index=blind_index_for(parsed.normalised, purpose=kind))
    return Q(reference__icontains=typed) | Q(
        pk__in=ReportIdentifier.objects.filter(named).values("report_id")
    )


def _routes(organisation: Any, statuses: list[HandoverStatus]) -> Any:
    return ReportRoute.objects.filter(organisation=organisation, status__in=statuses)


def _overdue_work(organisation: Any, now: Any = None) -> Q:
    """Overdue work: own reports past their triage target untriaged, hand-overs offered past it."""
    now = now or timezone.now()
    offered = _routes(organisation, [HandoverStatus.OFFERED]).filter(report__due_at__lt=now)
    own = Q(organisation=organisation, triaged_at__isnull=True, due_at__lt=now) & ~Q(status=Status.CLOSED)
    return own | Q(pk__in=offered.values("report_id"))


def _mine(actor: Actor) -> Q:
    return _assigned_to(actor.organisation, actor.user)


def _assigned_to(organisation: Any, user: User) -> Q:
    """The user's work: own reports assigned to them, hand-overs they accepted for the organisation."""
    accepted = _routes(organisation, WORKING_HANDOVERS).filter(responded_by=user)
    return Q(assigned_to=user, organisation=organisation) | Q(pk__in=accepted.values("report_id"))


def _unassigned(organisation: Any) -> Q:
    """Nobody's work yet: own reports with no assignee, hand-overs still offered to the organisation."""
    offered = _routes(organisation, [HandoverStatus.OFFERED]).values("report_id")
    return Q(organisation=organisation, assigned_to__isnull=True) | Q(pk__in=offered)


def queue_counts(actor: Actor) -> dict[str, Any]:
    """The queue's counters over the organisation's open work, hand-overs to it included: one pass
    over each half of the work (each counter is a filtered count of the same rows)."""
    organisation = actor.organisation
    offered = _routes(organisation, [HandoverStatus.OFFERED]).values("report_id")
    counters = {f"level_{level}": Q(urgency=level) for level in (4, 3, 2, 1)} | {
        "overdue": _overdue_work(organisation),
        "unassigned": _unassigned(organisation),
        "mine": _mine(actor),
        "offered": Q(pk__in=offered),
    }
    # Both halves are the organisation's to see (its own reports, hand-overs it has not declined).
    may_view = organisation is not None and actor.can("report.view")
    halves = Report.objects.work_in_halves(organisation) if may_view else (Report.objects.none(),)
    counts: Counter[str] = Counter()
    for half in halves:
        counts.update(
            half.order_by().aggregate(**{name: Count("id", filter=q) for name, q in counters.items()})
        )
    levels = (4, 3, 2, 1)
    return {
        "open": sum(counts[f"level_{level}"] for level in levels),
        "by_level": [(level_name(level), counts[f"level_{level}"]) for level in levels],
        # The same counts for the badges: the level's CSS name, its name in the reader's language.
        "badges": [(level_name(level), Urgency(level).label, counts[f"level_{level}"]) for level in levels],
        **{name: counts[name] for name in ("overdue", "unassigned", "mine", "offered")},
    }


def urgency_explanation(report: Report) -> list[dict[str, Any]]:
    """Every reason for the report's level, the rules' and the raises, for the triage view."""
    reasons: list[dict[str, Any]] = [
        {"text": reason_text(reason), "level": level_name(reason["level"]), "source": "rules"}
        for reason in report.urgency_reasons
    ]
    reasons += [
        {
            "text": raised.reason,
            "level": level_name(raised.level),
            "source": "raised",
            "at": raised.created_at,
        }
        for raised in report.urgency_raises.all()
    ]
    return reasons


def assignable_users(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=[Role.OPERATOR, Role.SUPERVISOR],
        )
        .distinct()
        .order_by("name")
    )


def queue_filter_users(organisation: Organisation | None) -> list[User]:
    """Whom the queue can be filtered by: every member, so past assignees stay findable."""
    if organisation is None:
        return []
    return list(User.objects.filter(memberships__organisation=organisation).distinct().order_by("name", "id"))


def route_destinations(actor: Actor) -> QuerySet[Organisation]:
    """Where the actor's organisation may route reports or send them by rule: any other active one."""
    organisations = Organisation.objects.filter(is_active=True)
    return organisations.exclude(pk=actor.organisation.pk) if actor.organisation else organisations


def law_enforcement_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True, kind=OrganisationKind.LAW_ENFORCEMENT)


def routing_rules_of(actor: Actor) -> QuerySet[RoutingRule]:
    return RoutingRule.objects.filter(organisation=actor.organisation).prefetch_related("destinations")


def partner_channels_of(actor: Actor) -> QuerySet[PartnerChannel]:
    return PartnerChannel.objects.filter(organisation=actor.organisation)


def notifications_of(user: User) -> list[Notification]:
    """The user's latest hundred notifications, newest first."""
    return list(
        Notification.objects.filter(recipient=user).select_related("report", "escalation", "organisation")[
            :100
        ]
    )


def reports_sharing_identifiers(report: Report, actor: Actor) -> list[dict[str, Any]]:
    """Other reports the actor can see that name one of this report's identifiers."""
    indexes = list(report.identifiers.values_list("kind", "value_index"))
    if not indexes:
        return []
    query = Q()
    for kind, index in indexes:
        query |= Q(kind=kind, value_index=index)
    visible = reports_visible_to(actor).exclude(pk=report.pk)
    rows = (
        ReportIdentifier.objects.filter(query, report__in=visible)
        .values("report_id", "report__reference", "kind")
        .order_by("report_id")
    )
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(
            row["report_id"], {"id": row["report_id"], "reference": row["report__reference"], "kinds": set()}
        )
        entry["kinds"].add(row["kind"])
    return list(found.values())


def report_thread(report: Report, viewer: Organisation | None) -> list[ReportMessage]:
    """The one conversation with the reporter; each question names its author only to the
    author's own organisation (another organisation's people are not named)."""
    messages = list(report.messages.select_related("author"))
    authors = {message.author_id for message in messages if message.author_id}
    colleagues = set(
        User.objects.filter(pk__in=authors, memberships__organisation=viewer).values_list("pk", flat=True)
        if authors and viewer is not None
        else []
    )
    for message in messages:
        author = message.author
        message.shown_author = (author.name or author.email) if author and author.pk in colleagues else ""  # type: ignore[attr-defined]
    return messages


def unread_notifications(user: User) -> Any:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a report's history, in the reader's language."""

    at: datetime
    who: str
    what: str
    details: str


def _label(choices: type[Choices], value: Any) -> str:
    return str(dict(choices.choices).get(value, value))


def report_timeline(report: Report, viewer: Organisation | None = None) -> list[TimelineEntry]:
    """The report's history: what happened, who did it and when, oldest first (five queries).

    One timeline for both sides of a hand-over. For a ``viewer`` organisation, what another
    organisation did is shown under that organisation's name only, never its people's names.
    """
    events = list(report.events.select_related("actor", "organisation"))
    declined = {
        route.pk: route.decline_reason
        for route in report.routes.filter(status=HandoverStatus.DECLINED).only("pk", "decline_reason")
    }
    user_ids = {event.detail["assignee"] for event in events if event.detail.get("assignee")}
    organisation_ids = {
        event.detail["to_organisation"] for event in events if "to_organisation" in event.detail
    }
    for event in events:
        organisation_ids.update(event.detail.get("routed_to", []))
    report_ids = {event.detail["into"] for event in events if event.kind == ReportEventKind.MERGED}
    report_ids |= {event.detail["from"] for event in events if event.kind == ReportEventKind.MERGED_INTO}
    users = (
        {user.pk: user.name or user.email for user in User.objects.filter(pk__in=user_ids)}
        if user_ids
        else {}
    )
    organisations = (
        dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
        if organisation_ids
        else {}
    )
    references = (
        dict(Report.objects.filter(pk__in=report_ids).values_list("pk", "reference")) if report_ids else {}
    )
    return [
        TimelineEntry(
            at=event.at,
            who=_event_author(event, report, viewer),
            what=event.get_kind_display(),
            details=_event_details(event, users, organisations, references, declined),
        )
        for event in events
    ]


def _event_author(event: ReportEvent, report: Report, viewer: Organisation | None) -> str:
    other = viewer is not None and event.organisation is not None and event.organisation_id != viewer.pk
    if (
        other
        and event.organisation is not None
        and (event.actor is not None or event.kind in HANDOVER_EVENTS)
    ):
        return event.organisation.name
    if event.actor is not None:
        name = event.actor.name or event.actor.email
        if event.organisation is not None and event.organisation_id != report.organisation_id:
            return f"{name} ({event.organisation.name})"
        return name
    if event.kind in {ReportEventKind.RECEIVED, ReportEventKind.REPORTER_ANSWERED}:
        return _("Reporter")
    return _("Automatic")


HANDOVER_EVENTS = frozenset(
    {
        ReportEventKind.HANDOVER_ACCEPTED,
        ReportEventKind.HANDOVER_DECLINED,
        ReportEventKind.CASE_OPENED,
        ReportEventKind.HANDOVER_CLOSED,
    }
)


def _event_details(
    event: ReportEvent,
    users: dict[int, str],
    organisations: dict[int, str],
    references: dict[int, str],
    declined: dict[int, str],
) -> str:
    detail = event.detail
    kind = event.kind
    parts: list[str] = []
    if kind == ReportEventKind.RECEIVED:
        parts.append(_label(Channel, detail.get("channel")))
        if detail.get("routed_to"):
            names = ", ".join(organisations.get(pk, "?") for pk in detail["routed_to"])
            parts.append(_("shared by a routing rule with %(organisations)s") % {"organisations": names})
    elif kind == ReportEventKind.ASSIGNED:
        parts.append(users.get(detail.get("assignee") or 0, _("nobody")))
    elif kind == ReportEventKind.ROUTED:
        parts.append(organisations.get(detail.get("to_organisation", 0), "?"))
        if detail.get("rule"):
            parts.append(_("by a routing rule"))
    elif kind == ReportEventKind.ESCALATED:
        parts.append(organisations.get(detail.get("to_organisation", 0), "?"))
    elif kind == ReportEventKind.ESCALATION_OUTCOME:
        parts.append(_label(EscalationOutcome, detail.get("outcome")))
    elif kind == ReportEventKind.STATUS_CHANGED:
        parts.append(f"{_label(Status, detail.get('from'))} → {_label(Status, detail.get('to'))}")
        if detail.get("outcome"):
            parts.append(_label(Outcome, detail["outcome"]))
    elif kind == ReportEventKind.URGENCY_RAISED:
        parts.append(f"{_label(Urgency, detail.get('from'))} → {_label(Urgency, detail.get('to'))}")
    elif kind == ReportEventKind.CASE_OPENED:
        parts.append(
            _("by %(organisation)s")
            % {"organisation": organisations.get(detail.get("to_organisation", 0), "?")}
        )
    elif kind == ReportEventKind.HANDOVER_DECLINED and declined.get(detail.get("route", 0)):
        parts.append(declined[detail["route"]])
    elif kind == ReportEventKind.HANDOVER_CLOSED:
        parts.append(_label(HandoverOutcome, detail.get("outcome")))
    elif kind == ReportEventKind.MERGED:
        parts.append(references.get(detail.get("into", 0), "?"))
    elif kind == ReportEventKind.MERGED_INTO:
        parts.append(references.get(detail.get("from", 0), "?"))
    if "to_status" in detail:
        parts.append(_("now %(status)s") % {"status": _label(Status, detail["to_status"])})
    return "; ".join(parts)


def reports_purgeable(*, cutoff: datetime) -> ReportQuerySet:
    """Closed, not actionable, closed before ``cutoff``, and never escalated (escalations are evidence)."""
    return (
        Report.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff)
        .exclude(outcome=Outcome.ACTIONABLE)
        .exclude(escalations__isnull=False)
        .exclude(Q(duplicates__isnull=False) & ~Q(duplicates__status=Status.CLOSED))
    )


def now() -> Any:
    return timezone.now()
