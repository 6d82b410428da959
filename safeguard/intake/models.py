"""Reports from the public, partners and operators, and the work done on them.

Personal data (free text, descriptions, contact details, identifiers) is encrypted at rest.
Country, subdivision, channel, urgency, status and times are plain indexed columns: the triage
queue and the analytics app count by them. Identifiers live in ``ReportIdentifier`` with a
blind index per kind, so other apps can find every report that mentions the same phone number.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.core.fields import EncryptedJSONField, EncryptedTextField
from safeguard.core.flags import FlagReason
from safeguard.intake.choices import (
    OPEN_HANDOVERS,
    Channel,
    Danger,
    EscalationOutcome,
    HandoverOutcome,
    HandoverStatus,
    IdentifierKind,
    NotificationKind,
    Occurred,
    Outcome,
    PublicStatus,
    Relation,
    Status,
    Urgency,
)


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        return self.exclude(status=Status.CLOSED)

    def in_queue_order(self) -> ReportQuerySet:
        """Most urgent first, then oldest first."""
        return self.order_by("-urgency", "created_at", "id")

    def sorted_by(self, sort: str) -> ReportQuerySet:
        """Ordered by a QUEUE_SORTS column ("-" first for descending), then by id the same way, so
        equal values keep one order from page to page; the queue's own order when ``sort`` is empty."""
        if not sort:
            return self.in_queue_order()
        descending = sort.startswith("-")
        columns = [
            column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
            for column in QUEUE_SORTS[sort.removeprefix("-")]()
        ]
        return self.order_by(*columns, OrderBy(F("id"), descending=descending))

    def overdue(self, now: Any = None) -> ReportQuerySet:
        """Not yet triaged, and past the target for their level."""
        return self.filter(triaged_at__isnull=True, due_at__lt=now or timezone.now()).open()

    def visible_to_organisation(self, organisation: Any) -> ReportQuerySet:
        """Its own reports, and those handed over to it that it has not declined."""
        routed = ReportRoute.objects.filter(report=OuterRef("pk"), organisation=organisation).exclude(
            status=HandoverStatus.DECLINED
        )
        return self.filter(Q(organisation=organisation) | Exists(routed))

    def work_in_halves(self, organisation: Any) -> tuple[ReportQuerySet, ReportQuerySet]:
        """``work_of`` as two parts that do not overlap: the organisation's own open reports, and
        hand-overs it still handles. Each is answered from an index; the two in one ``OR`` make
        PostgreSQL read every report (decision 186). Counts of the two add up to ``work_of``'s."""
        routed = ReportRoute.objects.filter(organisation=organisation, status__in=OPEN_HANDOVERS)
        own = self.filter(organisation=organisation).exclude(status=Status.CLOSED)
        return own, self.filter(pk__in=routed.values("report_id")).exclude(organisation=organisation)

    def work_of(self, organisation: Any) -> ReportQuerySet:
        """The organisation's open work: its own open reports and hand-overs it still handles."""
        routed = ReportRoute.objects.filter(
            report=OuterRef("pk"), organisation=organisation, status__in=OPEN_HANDOVERS
        )
        return self.filter((Q(organisation=organisation) & ~Q(status=Status.CLOSED)) | Exists(routed))


def _workflow_order() -> list[Any]:
    """A report's status as its place in the workflow (new first, closed last), not its code."""
    return [Case(*(When(status=status, then=Value(i)) for i, status in enumerate(Status.values)))]


# The triage queue's sortable columns: key → the expressions it orders by.
QUEUE_SORTS: dict[str, Any] = {
    "urgency": lambda: [F("urgency")],
    "reference": lambda: [F("reference")],
    "received": lambda: [F("created_at")],
    "target": lambda: [F("due_at")],
    "status": _workflow_order,
    "region": lambda: [F("country"), F("subdivision")],
    "channel": lambda: [F("channel")],
    "assignee": lambda: [F("assigned_to__name")],
}


class Report(models.Model):
    """One report of suspected trafficking or exploitation of a child."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, db_index=True)
    partner_channel = models.ForeignKey(
        "intake.PartnerChannel", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8, blank=True)

    # What happened, where and when
    narrative = EncryptedTextField(_("what happened"))
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    subdivision = models.CharField(_("region"), max_length=6, blank=True, db_index=True)
    place = EncryptedTextField(_("town or place"), blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    occurred = models.CharField(_("when"), max_length=16, choices=Occurred.choices, blank=True)

    # Who was involved
    children = EncryptedJSONField(_("children"), default=list, blank=True)
    children_count = models.PositiveSmallIntegerField(_("number of children"), default=0)
    youngest_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    suspects = EncryptedJSONField(_("suspected people"), default=list, blank=True)
    indicators = models.JSONField(_("signs observed"), default=list, blank=True)
    exploitation_types = models.JSONField(_("kinds of exploitation"), default=list, blank=True)
    child_in_danger = models.CharField(
        _("child in danger now"), max_length=8, choices=Danger.choices, blank=True
    )

    # The reporter
    relation = models.CharField(
        _("relation to the situation"), max_length=16, choices=Relation.choices, blank=True
    )
    contact = EncryptedJSONField(_("contact details"), default=dict, blank=True)
    contact_consent = models.BooleanField(_("may be contacted"), default=False)
    receipt_lookup = models.CharField(max_length=8, unique=True)
    receipt_hash = models.CharField(max_length=128)

    # Triage
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.LOW)
    assessed_urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.LOW)
    urgency_reasons = models.JSONField(default=list, blank=True)
    due_at = models.DateTimeField(_("triage target"))
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ReportQuerySet] = ReportQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-urgency", "created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "-urgency", "created_at"], name="report_queue"),
            # The queue's own order: a page of 50 is read in order, visibility checked row by
            # row, instead of sorting every visible report (decision 186).
            models.Index(fields=["-urgency", "created_at", "id"], name="report_queue_order"),
            models.Index(fields=["country", "created_at"], name="report_country_created"),
            models.Index(fields=["status", "closed_at"], name="report_status_closed"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def public_status(self) -> str:
        report = self.duplicate_of if self.duplicate_of_id and self.duplicate_of else self
        if report.status == Status.CLOSED:
            return PublicStatus.CLOSED
        # Only a hand-over to a non-police organisation is named to the reporter: whoever holds
        # the receipt (perhaps not the reporter) must not learn that the police are involved.
        if (
            report.routes.exclude(organisation__kind="law_enforcement")
            .filter(status__in=[HandoverStatus.ACCEPTED, HandoverStatus.CASE_OPENED, HandoverStatus.CLOSED])
            .exists()
        ):
            return PublicStatus.HANDED_OVER
        if report.status == Status.NEW:
            return PublicStatus.RECEIVED
        return PublicStatus.IN_REVIEW

    @property
    def is_overdue(self) -> bool:
        return self.triaged_at is None and self.status != Status.CLOSED and self.due_at < timezone.now()


class ReportEventKind(models.TextChoices):
    RECEIVED = "received", _("Report received")
    TRIAGED = "triaged", _("Triage started")
    ASSIGNED = "assigned", _("Assigned")
    ROUTED = "routed", _("Shared with another organisation")
    ESCALATED = "escalated", _("Escalated to law enforcement")
    ESCALATION_OUTCOME = "escalation_outcome", _("Law enforcement answered")
    STATUS_CHANGED = "status_changed", _("Status changed")
    URGENCY_RAISED = "urgency_raised", _("Urgency raised")
    MERGED = "merged", _("Closed as a duplicate and merged")
    MERGED_INTO = "merged_into", _("A duplicate was merged into this report")
    HANDOVER_ACCEPTED = "handover_accepted", _("Hand-over accepted")
    HANDOVER_DECLINED = "handover_declined", _("Hand-over declined")
    CASE_OPENED = "case_opened", _("Case opened")
    HANDOVER_CLOSED = "handover_closed", _("Hand-over closed")
    NOTE_ADDED = "note_added", _("Internal note added")
    REPORTER_ASKED = "reporter_asked", _("Question sent to the reporter")
    REPORTER_ANSWERED = "reporter_answered", _("The reporter wrote")
    FLAG_RAISED = "flag_raised", _("Report flagged")
    FLAG_RESOLVED = "flag_resolved", _("Report flag resolved")


class ReportEvent(models.Model):
    """One row per state change of a report, written in the same transaction as the change.

    The report page's history. ``detail`` holds ids, codes and field names only, never personal
    data (no free text, no contact details, nothing about the reporter's device or address).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=24, choices=ReportEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"], name="report_event_report_at")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class ReportIdentifier(models.Model):
    """A phone number, e-mail, handle, web address or plate named in a report.

    ``value`` is what was typed (encrypted); ``value_index`` is the blind index of the
    normalised form with the kind as purpose, for equality look-ups across reports.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=8, choices=IdentifierKind.choices)
    value = EncryptedTextField(_("as reported"))
    normalised = EncryptedTextField(_("normalised"), blank=True)
    value_index = models.CharField(max_length=40, db_index=True)
    is_valid = models.BooleanField(_("parsed"), default=True)

    class Meta:
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["kind", "value_index"], name="report_identifier_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.report_id}"


class UrgencyRaise(models.Model):
    """A reason from outside the rules (for example analytics) to treat a report as more urgent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="urgency_raises")
    level = models.PositiveSmallIntegerField(choices=Urgency.choices)
    reason = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.reason}"


class ReportNote(models.Model):
    """An internal note; never shown to the reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.report_id}"


class ReportFlag(models.Model):
    """A flag raised on a report for attention, open until someone resolves it with a note.

    Like internal notes, a flag belongs to the organisation that raised it: the receiver of a
    hand-over flags the report for itself, and its sender never sees that flag.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="flags")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = EncryptedTextField(_("note"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = EncryptedTextField(_("resolution note"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["report", "organisation", "resolved_at"], name="report_flag_open")]

    def __str__(self) -> str:
        return f"report flag {self.pk}"


class ReportMessage(models.Model):
    """A question from an operator to the anonymous reporter, or something the reporter wrote."""

    class Direction(models.TextChoices):
        QUESTION = "question", _("Question to the reporter")
        REPORTER = "reporter", _("From the reporter")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=12, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.direction} {self.pk} on {self.report_id}"


class RoutingRule(models.Model):
    """Send matching reports of an organisation to one or more other organisations.

    Blank criteria match anything; a report matches when every criterion set matches.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, blank=True)
    subdivision = models.CharField(_("region"), max_length=6, blank=True)
    exploitation_type = models.CharField(_("kind of exploitation"), max_length=40, blank=True)
    min_urgency = models.PositiveSmallIntegerField(
        _("minimum urgency"), choices=Urgency.choices, default=Urgency.LOW
    )
    destinations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("send to"), related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def matches(self, report: Report) -> bool:
        return (
            (not self.country or self.country == report.country)
            and (not self.subdivision or self.subdivision == report.subdivision)
            and (not self.exploitation_type or self.exploitation_type in report.exploitation_types)
            and report.urgency >= self.min_urgency
        )


class ReportRouteQuerySet(models.QuerySet["ReportRoute"]):
    def open(self) -> ReportRouteQuerySet:
        return self.filter(status__in=OPEN_HANDOVERS)


class ReportRoute(models.Model):
    """A report handed over to another organisation, by a rule or by hand.

    One hand-over: offered → accepted or declined (with a reason) → outcome (a case opened,
    closed with an outcome). The receiving organisation works on it; the sending organisation
    sees the steps, never what the receiver recorded (its case, its people, its notes).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="routes")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(RoutingRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("hand-over"), max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.OFFERED
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(_("why it was declined"), blank=True)
    case_opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=HandoverOutcome.choices, blank=True)

    objects: ClassVar[ReportRouteQuerySet] = ReportRouteQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "organisation"], name="report_route_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="report_route_handover")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.organisation_id}"


class Escalation(models.Model):
    """A report handed to a law-enforcement organisation, with a package frozen at that moment."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="escalations")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("law-enforcement organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = EncryptedTextField(_("why it is escalated"))
    package = EncryptedJSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(
        _("outcome"), max_length=24, choices=EscalationOutcome.choices, default=EscalationOutcome.PENDING
    )
    outcome_note = EncryptedTextField(_("outcome note"), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"escalation {self.pk} of {self.report_id}"


class PartnerChannelQuerySet(models.QuerySet["PartnerChannel"]):
    def usable(self) -> PartnerChannelQuerySet:
        return self.filter(revoked_at__isnull=True, organisation__is_active=True)


class PartnerChannel(models.Model):
    """An API key with which a partner (an SMS gateway, a web form) submits reports to an organisation."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[PartnerChannelQuerySet] = PartnerChannelQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """An in-app notice to one user."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class HandoverSettings(models.Model):
    """An organisation's choice to be e-mailed at each hand-over step (at its contact address).

    Off until an administrator or supervisor turns it on; critical reports are e-mailed anyway.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="handover_settings"
    )
    email_steps = models.BooleanField(_("e-mail each hand-over step"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "hand-over settings"

    def __str__(self) -> str:
        return f"hand-over settings of {self.organisation_id}"


class RetentionRun(models.Model):
    """What one retention purge removed, as aggregate counts only."""

    at = models.DateTimeField(default=timezone.now)
    cutoff = models.DateTimeField()
    purged = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"retention {self.at:%Y-%m-%d}: {self.purged}"


class RateCounter(models.Model):
    """Requests counted in one rate-limit window, under a hashed key that changes every window.

    Written only by ``intake.throttling`` with one ``INSERT … ON CONFLICT`` per request. On
    PostgreSQL the table is UNLOGGED: counters never reach the write-ahead log, backups or
    replicas, a crash empties the table, and counting needs no disk flush. Expired rows are
    deleted now and then by ``throttling.hit``.
    """

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.count} until {self.expires_at:%H:%M:%S}"


class NotDuplicate(models.Model):
    """Two reports an operator said are not duplicates: never suggested as such again.

    Stored once per pair, lower id first, for the organisation that received both.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "other"], name="intake_not_duplicate_pair"),
            models.CheckConstraint(
                condition=models.Q(report__lt=models.F("other")), name="intake_not_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} ≠ {self.other_id}"


class PublicSubmission(models.Model):
    """One sending of the public web form, keyed by its one-time submission token (decision 120).

    ``key_hash`` is the SHA-256 of the receipt page's key, itself an HMAC of the token in the
    form: a replayed POST finds this row and goes to the same receipt page, and nobody reading
    the database can open that page. ``sealed_receipt`` is the receipt encrypted under another
    key derived from the page's key; it is emptied when the page has shown it once (or after
    ``SUBMISSION_RECEIPT_HOURS``). Nothing about the reporter's connection or device is kept.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+", null=True)
    sealed_receipt = models.BinaryField(default=b"")
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    shown_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("public submission")

    def __str__(self) -> str:
        return f"submission {self.pk}"


# The messaging channels' tables belong to this app; their module lives with the channels package.
from safeguard.intake.channels.models import (  # noqa: E402, F401
    ChannelMessage,
    Conversation,
    MessagingChannel,
)


class SavedQueueView(models.Model):
    """A triage-queue search, filter and sort saved under a name by one user, for themselves
    only. ``query`` holds the queue's validated GET parameters as strings."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "owner", "name"], name="saved_queue_view_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
