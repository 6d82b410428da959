"""What collaboration stores: task forces, their members and agreements, shares, requests, notices.

Nothing here copies another app's record. A share names its item by type and id
(``item_type``, ``item_id``) and every member reads it through ``collaboration.selectors``,
which builds the shared view from the source record at the shared level each time it is read.
Access ends the moment an agreement's end date passes, a member leaves or a share is revoked or
expires, because it is computed from these rows at read time (``collaboration.access``).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.core.fields import EncryptedTextField


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class ShareLevel(models.TextChoices):
    SUMMARY = "summary", _("Summary (counts only)")
    DEIDENTIFIED = "deidentified", _("De-identified")
    FULL = "full", _("Full")


# Lower rank shows less; a member sees an item at the lowest rank its share, its agreement and
# its role in the task force allow.
LEVEL_RANK = {ShareLevel.SUMMARY: 0, ShareLevel.DEIDENTIFIED: 1, ShareLevel.FULL: 2}


def lower_level(*levels: str) -> str:
    return min(levels, key=lambda level: LEVEL_RANK[ShareLevel(level)])


class ItemType(models.TextChoices):
    REPORT = "report", _("Report")
    ESCALATION = "escalation", _("Escalation")
    CASE = "case", _("Case")
    NETWORK = "network", _("Network")
    AD_CLUSTER = "ad_cluster", _("Ad cluster")
    RISK_RUN = "risk_run", _("Vulnerability index run")


class Purpose(models.TextChoices):
    INVESTIGATION = "investigation", _("Criminal investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    PROTECTION = "protection", _("Protection of a child or survivor")
    PREVENTION = "prevention", _("Prevention and analysis")


class TaskForce(models.Model):
    """Organisations working on one trafficking situation, under one lead."""

    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    jurisdictions = models.JSONField(_("jurisdictions"), default=list)  # ISO 3166-1 / 3166-2 codes
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet["TaskForceMember"]):
    def current(self) -> MemberQuerySet:
        return self.filter(left_at__isnull=True, organisation__is_active=True)


class TaskForceMember(models.Model):
    """One organisation in a task force; leaving ends its access at once."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[MemberQuerySet] = MemberQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["task_force", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["task_force", "organisation"], name="collaboration_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.task_force}"


class AgreementQuerySet(models.QuerySet["SharingAgreement"]):
    def in_force(self, on: date | None = None) -> AgreementQuerySet:
        day = on or timezone.localdate()
        return self.filter(accepted_at__isnull=False, starts_on__lte=day, ends_on__gte=day)


class SharingAgreement(models.Model):
    """A member's data-sharing agreement: on what basis, for what, which records at what level.

    It binds the member only once that member's organisation admin accepted it, and only between
    its start and end dates; a new agreement replaces an older one from its start date.
    """

    member = models.ForeignKey(TaskForceMember, on_delete=models.CASCADE, related_name="agreements")
    legal_basis = models.TextField(_("legal basis"))
    purposes = models.JSONField(_("purposes"), default=list)  # Purpose values
    record_kinds = models.JSONField(_("kinds of records"), default=list)  # ItemType values
    max_level = models.CharField(
        _("most detailed level"), max_length=12, choices=ShareLevel.choices, default=ShareLevel.DEIDENTIFIED
    )
    retention_days = models.PositiveIntegerField(_("retention (days)"), default=365)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[AgreementQuerySet] = AgreementQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"agreement {self.pk} of {self.member_id}"

    def is_in_force(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.accepted_at is not None and self.starts_on <= day <= self.ends_on

    def covers(self, item_type: str, level: str, purpose: str) -> bool:
        return (
            item_type in self.record_kinds
            and purpose in self.purposes
            and LEVEL_RANK[ShareLevel(level)] <= LEVEL_RANK[ShareLevel(self.max_level)]
        )


class ParticipantQuerySet(models.QuerySet["TaskForceParticipant"]):
    def current(self) -> ParticipantQuerySet:
        return self.filter(removed_at__isnull=True, user__is_active=True)


class TaskForceParticipant(models.Model):
    """A user a member organisation chose to take part; their roles there decide what they may do."""

    member = models.ForeignKey(TaskForceMember, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ParticipantQuerySet] = ParticipantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "user"], name="collaboration_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.member}"


class ShareQuerySet(models.QuerySet["Share"]):
    def active(self, on: date | None = None) -> ShareQuerySet:
        day = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, expires_on__gte=day)


class Share(models.Model):
    """One item one organisation shares, into a task force or with one other organisation."""

    task_force = models.ForeignKey(
        TaskForce, on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    # A bilateral share (from a match notice, outside any task force) names its recipient.
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    item_type = models.CharField(_("kind of item"), max_length=12, choices=ItemType.choices)
    item_id = models.BigIntegerField()
    item_label = models.CharField(max_length=60, blank=True)  # a reference, never personal data
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    level = models.CharField(_("level"), max_length=12, choices=ShareLevel.choices)
    expires_on = models.DateField(_("expires on"))
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_reason = models.TextField(_("reason for sharing in full without consent"), blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects: ClassVar[ShareQuerySet] = ShareQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task_force__isnull=False) | Q(recipient_organisation__isnull=False),
                name="collaboration_share_has_recipient",
            )
        ]
        indexes = [
            models.Index(fields=["task_force", "revoked_at", "expires_on"], name="collab_share_active"),
            # The workspace lists a task force's shares newest first, a page at a time.
            models.Index(fields=["task_force", "-created_at", "-id"], name="collab_share_recent"),
        ]

    def __str__(self) -> str:
        return f"share {self.pk} ({self.item_type} {self.item_id})"

    def is_active(self, on: date | None = None) -> bool:
        return self.revoked_at is None and self.expires_on >= (on or timezone.localdate())


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskForceAction(models.Model):
    """Work assigned to one member organisation, with a due date."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)  # never personal data
    assignee = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned to")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )


class TaskForceDecision(models.Model):
    """One entry of the decision log."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"decision {self.pk}"


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")


class JointOperation(models.Model):
    """An operation several members carry out together, and its outcome in numbers."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="operations")
    name = models.CharField(_("name"), max_length=200)
    planned_on = models.DateField(_("planned for"))
    participants = models.ManyToManyField(
        "accounts.Organisation", related_name="+", verbose_name=_("participating organisations")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OperationStatus.choices, default=OperationStatus.PLANNED
    )
    children_safeguarded = models.PositiveIntegerField(_("children safeguarded"), default=0)
    people_arrested = models.PositiveIntegerField(_("people arrested"), default=0)
    referrals_made = models.PositiveIntegerField(_("referrals made"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.name


class RequestKind(models.TextChoices):
    MLA = "mla", _("Mutual legal assistance")
    INFORMATION = "information", _("Information request")


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class CrossBorderRequest(models.Model):
    """A law-enforcement member's request to another member, often in another country."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("kind of request"), max_length=12, choices=RequestKind.choices)
    from_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    legal_basis = models.TextField(_("legal basis"))
    subject = EncryptedTextField(_("what is requested"))
    shares = models.ManyToManyField(Share, blank=True, related_name="+", verbose_name=_("items attached"))
    deadline = models.DateField(_("answer by"))
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.SENT)
    response = EncryptedTextField(_("answer"), blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return f"request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (RequestStatus.SENT, RequestStatus.ACKNOWLEDGED)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()


class TaskForceEventKind(models.TextChoices):
    CREATED = "created", _("Task force created")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_LEFT = "member_left", _("Member left")
    AGREEMENT_PROPOSED = "agreement_proposed", _("Agreement proposed")
    AGREEMENT_ACCEPTED = "agreement_accepted", _("Agreement accepted")
    PARTICIPANT_ADDED = "participant_added", _("Participant added")
    PARTICIPANT_REMOVED = "participant_removed", _("Participant removed")
    ITEM_SHARED = "item_shared", _("Item shared")
    SHARE_REVOKED = "share_revoked", _("Share revoked")
    ACTION_ASSIGNED = "action_assigned", _("Action assigned")
    ACTION_UPDATED = "action_updated", _("Action updated")
    DECISION_RECORDED = "decision_recorded", _("Decision recorded")
    OPERATION_PLANNED = "operation_planned", _("Joint operation planned")
    OPERATION_OUTCOME = "operation_outcome", _("Joint operation outcome")
    REQUEST_SENT = "request_sent", _("Request sent")
    REQUEST_ACKNOWLEDGED = "request_acknowledged", _("Request acknowledged")
    REQUEST_ANSWERED = "request_answered", _("Request answered")
    REQUEST_DECLINED = "request_declined", _("Request declined")


class TaskForceEvent(models.Model):
    """One state change of a task force: its timeline. ``detail`` holds ids, never personal data."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=TaskForceEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["task_force", "at"], name="collab_event_timeline")]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.task_force_id}"


class NotificationKind(models.TextChoices):
    AGREEMENT_TO_ACCEPT = "agreement_to_accept", _("An agreement waits for your acceptance")
    ITEM_SHARED = "item_shared", _("An item was shared with you")
    ACTION_ASSIGNED = "action_assigned", _("An action was assigned to you")
    REQUEST_RECEIVED = "request_received", _("A request was sent to you")
    REQUEST_UPDATED = "request_updated", _("Your request was updated")
    MATCH_NOTICE = "match_notice", _("A match with another organisation")
    ACCESS_REQUESTED = "access_requested", _("Access to matching records requested")
    ACCESS_DECIDED = "access_decided", _("Your access request was decided")


class Notification(models.Model):
    """An in-app notice to an organisation, shown to its users who may take ``action``."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)  # the permission a user needs to see it
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    task_force = models.ForeignKey(
        TaskForce, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="collab_notification_org")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.organisation_id}"


class CollaborationSettings(models.Model):
    """An organisation's collaboration choices; match notices are off until its admin opts in."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="collaboration_settings"
    )
    match_notices = models.BooleanField(_("take part in match notices"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "collaboration settings"

    def __str__(self) -> str:
        return f"collaboration settings of {self.organisation_id}"


class RecordType(models.TextChoices):
    REPORT = "report", _("report")
    CASE = "case", _("case")
    AD = "ad", _("online ad")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("New")
    REQUESTED = "requested", _("Access requested")
    GRANTED = "granted", _("Access granted")
    DECLINED = "declined", _("Access declined")
    DISMISSED = "dismissed", _("Dismissed")


class MatchNotice(models.Model):
    """One side of a cross-organisation identifier match: which of *its own* records matched,
    what kinds of identifier, and how many records of the other organisation — never which.

    Every match writes two notices, one per organisation, linked as counterparts.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    # None when the other side is another installation (``other_installation`` names it; the
    # ``sharing`` federation links the two sides' notices and carries access requests).
    other_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_installation = models.CharField(max_length=200, blank=True)
    trigger_type = models.CharField(max_length=8, choices=RecordType.choices)
    trigger_id = models.BigIntegerField()
    is_trigger_side = models.BooleanField(default=True)
    own_records = models.JSONField(default=list)  # [{"type": "report", "id": 12}] of ``organisation``
    other_counts = models.JSONField(default=dict)  # {"report": 2, "case": 1} of ``other_organisation``
    kinds = models.JSONField(default=list)  # identifier kinds: ["phone"]
    counterpart = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "other_organisation", "trigger_type", "trigger_id"],
                name="collaboration_notice_once",
            )
        ]

    def __str__(self) -> str:
        return f"match notice {self.pk}"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class AccessRequest(models.Model):
    """A request, from a match notice, for the other organisation to share its matching records."""

    notice = models.OneToOneField(MatchNotice, on_delete=models.CASCADE, related_name="access_request")
    from_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    note = models.CharField(_("why you need it"), max_length=500)  # never personal data
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    shares = models.ManyToManyField(Share, blank=True, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"access request {self.pk}"
