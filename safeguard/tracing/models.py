"""Family tracing and reunification of separated children (issue 19, item 4).

A *tracing request* is opened on a child's case for the family member the child is separated
from; an *enquiry* is a family member asking for a child. Potential matches between the two are
scored (``matching``) and confirmed or rejected by the case team; a best-interest assessment
comes before any reunification, and follow-up visits after it. Names, descriptions, places in
words and circumstances are encrypted; no photograph is ever stored (describe, do not upload).
Phonetic name keys of enquiries are stored only as blind indexes, as for cases (decision 040).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.core.fields import EncryptedJSONField, EncryptedTextField
from safeguard.core.picklists import Gender


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    GUARDIAN = "guardian", _("Legal guardian or carer")
    OTHER = "other", _("Other")


class TracingState(models.TextChoices):
    OPEN = "open", _("Open")
    POTENTIAL_MATCH = "potential_match", _("Potential match")
    VERIFIED = "verified", _("Family verified")
    REUNIFIED = "reunified", _("Reunified")
    CLOSED = "closed", _("Closed")


class TracingClosureReason(models.TextChoices):
    FAMILY_NOT_FOUND = "family_not_found", _("Family not found after tracing")
    NOT_IN_BEST_INTEREST = "not_in_best_interest", _("Reunification not in the child's best interest")
    CHILD_DECLINED = "child_declined", _("The child does not wish to be reunified")
    FAMILY_DECLINED = "family_declined", _("The family declined")
    ALTERNATIVE_CARE = "alternative_care", _("Placed in alternative care")
    OTHER = "other", _("Other")


class TracingRequest(models.Model):
    """The search for one family member of a separated child, on the child's case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tracing_requests")
    sought_name = EncryptedTextField(_("name of the person sought"))
    sought_aliases = EncryptedJSONField(_("other names"), default=list, blank=True)
    relationship = models.CharField(
        _("relationship to the child"), max_length=16, choices=Relationship.choices
    )
    sought_age = models.PositiveSmallIntegerField(_("approximate age"), null=True, blank=True)
    sought_sex = models.CharField(
        _("sex"), max_length=32, choices=Gender.choices, default=Gender.NON_SPECIFIED_UNKNOWN
    )
    physical_description = EncryptedTextField(_("physical description"), blank=True)
    last_known_place = models.CharField(_("last known place (ISO 3166)"), max_length=6, blank=True)
    last_known_address = EncryptedTextField(_("last known address or locality"), blank=True)
    separated_on = models.DateField(_("date of separation"), null=True, blank=True)
    circumstances = EncryptedTextField(_("circumstances of separation"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=TracingState.choices, default=TracingState.OPEN
    )
    closure_reason = models.CharField(
        _("reason for closing"), max_length=24, choices=TracingClosureReason.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closing note"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["case", "state"], name="tracing_request_case_state")]

    def __str__(self) -> str:
        return f"tracing request {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in (TracingState.OPEN, TracingState.POTENTIAL_MATCH, TracingState.VERIFIED)


class EnquiryState(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Child found")
    CLOSED = "closed", _("Closed")


class Enquiry(models.Model):
    """A family member asking for a separated child, recorded by a caseworker."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("cases.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    enquirer_name = EncryptedTextField(_("name of the person asking"))
    enquirer_relationship = models.CharField(
        _("their relationship to the child"), max_length=16, choices=Relationship.choices
    )
    enquirer_contact = EncryptedTextField(_("how to reach them"), blank=True)
    child_name = EncryptedTextField(_("name of the child sought"))
    child_aliases = EncryptedJSONField(_("other names of the child"), default=list, blank=True)
    child_age = models.PositiveSmallIntegerField(_("approximate age of the child now"), null=True, blank=True)
    child_sex = models.CharField(
        _("sex of the child"), max_length=32, choices=Gender.choices, default=Gender.NON_SPECIFIED_UNKNOWN
    )
    physical_description = EncryptedTextField(_("physical description of the child"), blank=True)
    last_known_place = models.CharField(_("last known place (ISO 3166)"), max_length=6, blank=True)
    separated_on = models.DateField(_("date of separation"), null=True, blank=True)
    circumstances = EncryptedTextField(_("circumstances of separation"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=EnquiryState.choices, default=EnquiryState.OPEN
    )
    closure_note = EncryptedTextField(_("closing note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state"], name="enquiry_org_state")]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return f"enquiry {self.pk}"

    def age_on(self, day: date) -> int | None:
        """The child's approximate age on ``day``, counted from the age given when the enquiry was made."""
        if self.child_age is None:
            return None
        return self.child_age + max(0, day.year - self.recorded_at.year)


class EnquiryNameKey(models.Model):
    """Blind index of one phonetic code of the sought child's names (same purpose as case names)."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return f"name key of enquiry {self.enquiry_id}"


class ActionKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    RADIO_MESSAGE = "radio_message", _("Radio or message broadcast")
    RECORDS_CHECK = "records_check", _("Records check")
    OTHER = "other", _("Other")


class ActionResult(models.TextChoices):
    FOUND = "found", _("Found")
    NOT_FOUND = "not_found", _("Not found")
    LEAD = "lead", _("Lead to follow")


class TracingAction(models.Model):
    """One step taken to trace the family, with its result."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind of action"), max_length=16, choices=ActionKind.choices)
    done_on = models.DateField(_("date"))
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=16, choices=ActionResult.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_on", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"tracing action {self.pk}"


class MatchStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class TracingMatch(models.Model):
    """A potential match between a child's tracing request and an enquiry, with its score and reasons."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="matches")
    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    reasons = models.JSONField(default=list)  # reason codes of ``matching.score``
    status = models.CharField(max_length=16, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-score", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "enquiry"], name="tracing_match_unique_pair")
        ]

    def __str__(self) -> str:
        return f"match {self.request_id}–{self.enquiry_id}"


class BestInterestDecision(models.TextChoices):
    REUNIFY = "reunify", _("Reunification is in the child's best interest")
    DO_NOT_REUNIFY = "do_not_reunify", _("Reunification is not in the child's best interest")
    DEFER = "defer", _("Decision deferred: more information needed")


class BestInterestAssessment(models.Model):
    """The assessment, decided by a supervisor, that must come before a reunification."""

    request = models.ForeignKey(TracingRequest, on_delete=models.CASCADE, related_name="assessments")
    participants = EncryptedTextField(_("who took part"), blank=True)
    considerations = EncryptedTextField(_("considerations"))
    child_views = EncryptedTextField(_("the child's views"), blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=BestInterestDecision.choices)
    decided_on = models.DateField(_("date of the decision"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"best-interest assessment {self.pk}"


class Reunification(models.Model):
    """The child's return to their family, after a best-interest assessment that decided for it."""

    request = models.OneToOneField(TracingRequest, on_delete=models.CASCADE, related_name="reunification")
    assessment = models.ForeignKey(BestInterestAssessment, on_delete=models.PROTECT, related_name="+")
    reunified_on = models.DateField(_("date of reunification"))
    place = models.CharField(_("place (ISO 3166)"), max_length=6, blank=True)
    address = EncryptedTextField(_("address or locality"), blank=True)
    with_whom = EncryptedTextField(_("reunified with"))
    relationship = models.CharField(
        _("their relationship to the child"), max_length=16, choices=Relationship.choices
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"reunification {self.pk}"


class VisitOutcome(models.TextChoices):
    SETTLED = "settled", _("Child settled and safe")
    CONCERNS = "concerns", _("Seen, with concerns")
    NOT_REACHED = "not_reached", _("Not reached")


class ReunificationVisit(models.Model):
    """A follow-up visit after a reunification."""

    reunification = models.ForeignKey(Reunification, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("date of the visit"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=VisitOutcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"reunification visit {self.pk}"
