"""What sharing stores: releases (k-anonymous microdata or DP counts), privacy budgets and their ledger.

A release is computed once, in the background, from the organisation's case records; its
output is kept with the release (de-identified rows or noisy counts — never the source rows)
so that what was approved is exactly what is downloaded or published. Nothing is ever deleted:
a rejected release stays, with who rejected it and why.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.collaboration.models import Purpose
from safeguard.core.fields import EncryptedTextField


class ReleaseKind(models.TextChoices):
    MICRODATA = "microdata", _("De-identified records (k-anonymous)")
    COUNTS = "counts", _("Counts with differential privacy")


class ReleaseStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Computing")
    READY = "ready", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class PrivacyBudget(models.Model):
    """An organisation's total ε for differentially private releases, and its suppression threshold."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="privacy_budget"
    )
    total_epsilon = models.FloatField(_("total privacy budget (ε)"), default=10.0)
    threshold = models.PositiveIntegerField(
        _("suppress published counts below"),
        default=10,
        help_text=_("Noisy counts below this are not published."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"budget of {self.organisation_id}"


class PublicMap(models.Model):
    """Whether an organisation publishes its public map of report and case counts by region and month.

    Off until an organisation admin turns it on; the counts are suppressed below the threshold of
    the organisation's privacy budget (``PrivacyBudget.threshold``), see ``sharing.public_map``.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="public_map"
    )
    enabled = models.BooleanField(_("publish the public map"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"public map of {self.organisation_id}"


class ReleaseQuerySet(models.QuerySet["Release"]):
    def published(self) -> ReleaseQuerySet:
        return self.filter(status=ReleaseStatus.APPROVED, is_public=True)


class Release(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ReleaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Microdata: quasi_identifiers, k, sensitive, l, max_suppression. Counts: by, epsilon, threshold.
    parameters = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    columns = models.JSONField(default=list, blank=True)
    rows = models.JSONField(
        default=list, blank=True
    )  # the released rows (lists of strings), never source rows
    error = models.TextField(blank=True)
    is_public = models.BooleanField(_("publish on the public statistics page"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    objects: ClassVar[ReleaseQuerySet] = ReleaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="sharing_release_org_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status not in (ReleaseStatus.QUEUED, ReleaseStatus.RUNNING)

    @property
    def is_downloadable(self) -> bool:
        return self.status == ReleaseStatus.APPROVED


class BudgetEntry(models.Model):
    """One line of the budget ledger: the ε a release spent, when its noise was drawn. Never edited."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="budget_entry")
    epsilon = models.FloatField()
    spent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    spent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-spent_at", "-id"]

    def __str__(self) -> str:
        return f"ε {self.epsilon} for release {self.release_id}"


class InstallationIdentity(models.Model):
    """This installation's signing key and address, made when its first pairing is asked for."""

    url = models.URLField(_("address of this installation"))
    name = models.CharField(_("name of this installation"), max_length=200)
    private_key = EncryptedTextField()
    public_key = models.CharField(max_length=64)
    box_private_key = EncryptedTextField(blank=True)  # X25519, what others seal hand-overs for
    box_public_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    keys_since = models.DateTimeField(null=True, blank=True)  # the last rotation (None: never rotated)

    def __str__(self) -> str:
        return self.url


class PeerStatus(models.TextChoices):
    OUTGOING = "outgoing", _("Asked, waiting for the other installation")
    INCOMING = "incoming", _("Asks to pair, waiting for you")
    PAIRED = "paired", _("Paired")
    UNPAIRED = "unpaired", _("Unpaired")


class Peer(models.Model):
    """Another installation, and how far pairing with it went; unpairing ends every exchange at once."""

    url = models.URLField(_("address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    public_key = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PeerStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    paired_at = models.DateTimeField(null=True, blank=True)
    unpaired_at = models.DateTimeField(null=True, blank=True)
    box_public_key = models.CharField(max_length=64, blank=True)  # as told in its last rotation
    keys_since = models.DateTimeField(null=True, blank=True)  # its last rotation (None: never rotated)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.name or self.url


class PastKey(models.Model):
    """A public key that was replaced, with when it was in force, so past records stay verifiable.

    ``peer`` None: one of this installation's own keys. Only public halves are kept."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, null=True, blank=True, related_name="past_keys")
    public_key = models.CharField(max_length=64)  # Ed25519
    box_public_key = models.CharField(max_length=64, blank=True)  # X25519
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField()

    class Meta:
        ordering = ["-valid_until", "-id"]

    def __str__(self) -> str:
        return f"key until {self.valid_until:%Y-%m-%d}"


class FederatedMatch(models.Model):
    """A private set intersection result for one organisation: kinds and counts, and its own records.

    No identifier value of either side is stored: the organisation's own matching records are
    named (it reaches them through its own apps), the other installation only by name.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="matches")
    asked_here = models.BooleanField(default=True)
    kinds = models.JSONField(default=dict, blank=True)  # kind → number of matching identifiers
    records = models.JSONField(default=list, blank=True)  # [[record_type, record_id], …] of this organisation
    # Both installations store the same random reference for the two sides of one match; the
    # match notice is this side's collaboration notice (access requests start from it).
    reference = models.CharField(max_length=36, blank=True, db_index=True)
    notice = models.OneToOneField(
        "collaboration.MatchNotice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="federated_match",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"match {self.pk} with {self.peer_id}"


class RemoteAccessStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class RemoteAccessRequest(models.Model):
    """An access request from a federated match notice, on the asking or the asked installation.

    The asking side (``outgoing``) keeps, once granted, the de-identified views of the other
    side's matching records it received (encrypted); they are shown only while the two
    installations are paired. The asked side keeps the request and who decided it.
    """

    match = models.OneToOneField(FederatedMatch, on_delete=models.CASCADE, related_name="access_request")
    outgoing = models.BooleanField()
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    note = models.CharField(_("why you need it"), max_length=500)  # never personal data
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=RemoteAccessStatus.choices, default=RemoteAccessStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    received = EncryptedTextField(blank=True)  # JSON list of shared views (asking side, once granted)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"remote access request {self.pk}"


class HandoverStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class HandoverKind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    TRANSFER = "transfer", _("Transfer")


class Handover(models.Model):
    """A referral or transfer of a case to an organisation of a paired installation, on either side.

    The sending side keeps the case and the consent it relied on; the receiving side keeps the
    HTCDS record it was sent (encrypted at rest) for its organisation. Both share ``reference``.
    A transfer, once accepted, is a case on the receiving side (``case``) and the sending side's
    case is closed as transferred, pointing at it (``other_case_reference``).
    """

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="handovers")
    outgoing = models.BooleanField()
    kind = models.CharField(
        _("kind"), max_length=10, choices=HandoverKind.choices, default=HandoverKind.REFERRAL
    )
    reference = models.CharField(max_length=64)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    other_organisation = models.CharField(_("other organisation"), max_length=200)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    consent = models.ForeignKey(
        "cases.Consent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    # A transfer sent without consent: the supervisor's reason (sending side only).
    override_reason = EncryptedTextField(_("reason for transferring without consent"), blank=True)
    record = EncryptedTextField(blank=True)  # JSON HTCDS row (receiving side only)
    other_case_reference = models.CharField(max_length=24, blank=True)  # the receiving side's case
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["peer", "outgoing", "reference"], name="handover_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"hand-over {self.reference}"


class PersonMatchSettings(models.Model):
    """Whether an organisation takes part in person matching with paired installations.

    Off until its organisation admin turns it on. On, its caseworkers and supervisors may ask
    paired installations about the people of their cases and tracing requests, and the people of
    its cases with a consent in force to share with another installation are compared with the
    questions other installations ask.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="person_match_settings"
    )
    enabled = models.BooleanField(_("take part in person matching with paired installations"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "person match settings"

    def __str__(self) -> str:
        return f"person match settings of {self.organisation_id}"


class PersonQuestion(models.Model):
    """One "do you know this person?" question, on the asking (outgoing) or the asked side.

    Neither side keeps the encodings: only the SHA-256 of the question as it travelled (so a
    dispute can be settled by whoever kept the message) and the result, how many of its names
    matched. The asking side names the case (and tracing request) it asked for; the asked side
    knows nothing of the person but that a question came.
    """

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="person_questions")
    outgoing = models.BooleanField()
    reference = models.CharField(max_length=36)
    digest = models.CharField(max_length=64)  # SHA-256 of the question's body
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    tracing_request = models.ForeignKey(
        "tracing.TracingRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    names = models.PositiveSmallIntegerField(default=0)  # how many encodings the question carried
    matched = models.PositiveSmallIntegerField(default=0)  # how many organisations matched
    asked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["peer", "outgoing", "reference"], name="person_question_reference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"person question {self.reference}"
