"""Cases of children and survivors, following HTCDS v2.0 where the standard has a field.

Personal data (names, aliases, birth date, contact, guardian, identity numbers, free-text notes)
is in encrypted fields. What analytics and the duplicate check need to group or block on —
birth year, estimated age, gender, citizenship, languages and places — is in clear columns;
see docs/case-management.md ("Data for analytics").
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.cases import choices
from safeguard.core.fields import EncryptedJSONField, EncryptedTextField
from safeguard.core.flags import FlagReason
from safeguard.directory.models import ServiceKind


class Team(models.Model):
    """A group of caseworkers in one organisation; a caseworker sees the cases of their teams."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="case_teams", blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """The child or survivor a case is about (HTCDS ``prs_``)."""

    first_name = EncryptedTextField(_("first name"), blank=True)
    middle_name = EncryptedTextField(_("middle name"), blank=True)
    second_name = EncryptedTextField(_("second name"), blank=True)
    aliases = EncryptedJSONField(_("aliases"), default=list, blank=True)
    birth_date = EncryptedTextField(_("date of birth"), blank=True)  # ISO date
    # Clear columns for blocking, statistics and analytics; an estimate is flagged as such.
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True, db_index=True)
    birth_year_estimated = models.BooleanField(default=False)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age at registration"), null=True, blank=True
    )
    gender = models.CharField(
        _("gender"),
        max_length=32,
        choices=choices.Gender.choices,
        default=choices.Gender.NON_SPECIFIED_UNKNOWN,
    )
    citizenships = models.JSONField(_("citizenship"), default=list, blank=True)  # ISO 3166-1 alpha-2
    primary_language = models.CharField(_("primary language"), max_length=3, blank=True)  # ISO 639
    secondary_language = models.CharField(_("secondary language"), max_length=3, blank=True)
    country = models.CharField(_("country of residence"), max_length=2, blank=True, db_index=True)
    subdivision = models.CharField(_("region"), max_length=6, blank=True, db_index=True)
    identity_number = EncryptedTextField(_("identity document number"), blank=True)
    identity_index = models.CharField(max_length=40, blank=True, db_index=True)
    contact = EncryptedJSONField(
        _("contact details"), default=dict, blank=True
    )  # phone, email, street, city, postal_code
    phone_index = models.CharField(max_length=40, blank=True, db_index=True)
    guardian = EncryptedJSONField(_("guardian"), default=dict, blank=True)  # name, relationship, phone

    class Meta:
        verbose_name = _("person")

    def __str__(self) -> str:
        return f"person {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.second_name) if part)

    def age_on(self, day: date) -> int | None:
        if self.birth_date:
            born = date.fromisoformat(self.birth_date)
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.birth_year:
            return day.year - self.birth_year
        return None


# Blind-index purpose of name keys; changing it orphans every stored key.
NAME_KEY_PURPOSE = "case-name"


class PersonNameKey(models.Model):
    """Blind index of one phonetic name code of a person, for the duplicate check."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return f"name key of person {self.person_id}"


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")
    MERGED = "merged", _("Merged into another case")


class CaseStage(models.TextChoices):
    """Where an open case is in the workflow."""

    REGISTERED = "registered", _("Registered")
    ASSESSED = "assessed", _("Assessed")
    PLAN_SUBMITTED = "plan_submitted", _("Care plan awaiting approval")
    IN_SERVICES = "in_services", _("Receiving services")
    FOLLOW_UP = "follow_up", _("Follow-up")


class ClosureReason(models.TextChoices):
    """Why a case is closed (issue 19's list); reports count closures by it."""

    REINTEGRATED = "reintegrated", _("Reintegrated with family")
    ALTERNATIVE_CARE = "alternative_care", _("Placed in alternative care")
    AGED_OUT = "aged_out", _("Aged out")
    TRANSFERRED = "transferred", _("Transferred")
    MOVED_ABROAD = "moved_abroad", _("Moved abroad")
    DIED = "died", _("Died")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    OTHER = "other", _("Other")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=[CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED])


class Case(models.Model):
    """The case of one child or survivor, owned by one organisation (HTCDS ``cas_`` and ``vic_``)."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="case")
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    stage = models.CharField(
        _("stage"), max_length=24, choices=CaseStage.choices, default=CaseStage.REGISTERED
    )
    risk_level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    # The report this case was opened from; the intake app owns reports, cases only point at them.
    source_report = models.ForeignKey(
        "intake.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("report"),
    )
    registered_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = EncryptedTextField(_("reason for closure"), blank=True)
    # The listed reason of the closure in force or asked for (clear: reports count by it).
    closure_reason_code = models.CharField(
        _("reason for closure"), max_length=24, choices=ClosureReason.choices, blank=True
    )
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )
    # Victim context (HTCDS vic_); picklist values are stored exactly as in the standard.
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=40,
        choices=choices.TraffickingStatus.choices,
        default=choices.TraffickingStatus.POSSIBLE_VICTIM_OF_TRAFFICKING,
    )
    status_decided_by = models.CharField(
        _("status decided by"), max_length=40, choices=choices.StatusDecisionOrg.choices, blank=True
    )
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    sex_exploitation_types = models.JSONField(_("types of sexual exploitation"), default=list, blank=True)
    labour_industry = models.CharField(
        _("forced-labour industry (ISIC)"), max_length=60, choices=choices.LabourIndustry.choices, blank=True
    )
    methods_of_control = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment_methods = models.JSONField(_("methods of recruitment"), default=list, blank=True)
    recruitment_apps = models.JSONField(_("recruitment websites and apps"), default=list, blank=True)
    exploitation_apps = models.JSONField(_("exploitation websites and apps"), default=list, blank=True)
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"),
        max_length=16,
        choices=choices.RelationshipToTrafficker.choices,
        blank=True,
    )
    recruitment_place = models.CharField(_("place of recruitment"), max_length=6, blank=True)  # ISO 3166
    exploitation_place = models.CharField(_("place of exploitation"), max_length=6, blank=True)
    age_when_trafficked = models.PositiveSmallIntegerField(_("age when trafficked"), null=True, blank=True)

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "-registered_at"], name="case_org_status"),
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            models.Index(fields=["organisation", "status", "owner"], name="case_org_status_owner"),
            models.Index(fields=["team", "status"], name="case_team_status"),
            # Filters and sorts of the case list.
            models.Index(fields=["organisation", "risk_level", "-registered_at"], name="case_org_risk"),
            models.Index(fields=["organisation", "stage"], name="case_org_stage"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED)

    @property
    def exploitation_labels(self) -> list[str]:
        return [str(choices.ExploitationType(value).label) for value in self.exploitation_types]

    @property
    def control_labels(self) -> list[str]:
        return [str(choices.MethodOfControl(value).label) for value in self.methods_of_control]

    @property
    def htcds_status(self) -> str:
        if self.status == CaseStatus.TRANSFERRED:
            return choices.HtcdsCaseStatus.CLOSED_REFERRED
        if self.status in (CaseStatus.CLOSED, CaseStatus.MERGED):
            return choices.HtcdsCaseStatus.CLOSED
        if self.stage == CaseStage.FOLLOW_UP:
            return choices.HtcdsCaseStatus.FOLLOW_UP
        return choices.HtcdsCaseStatus.ACTIVE


class CaseEventKind(models.TextChoices):
    REGISTERED = "registered", _("Case registered")
    UPDATED = "updated", _("Case details changed")
    ASSESSED = "assessed", _("Initial assessment recorded")
    PLAN_SUBMITTED = "plan_submitted", _("Care plan submitted for approval")
    PLAN_APPROVED = "plan_approved", _("Care plan approved")
    PLAN_REJECTED = "plan_rejected", _("Care plan returned")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_OVERRIDE = "referral_override", _("Referral sent without consent (supervisor override)")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    SERVICE_DELIVERED = "service_delivered", _("Service delivered")
    REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled", _("Follow-up scheduled")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
    MILESTONE = "milestone", _("Reintegration milestone reached")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSED = "closed", _("Case closed")
    CLOSURE_REJECTED = "closure_rejected", _("Closure not approved")
    REOPENED = "reopened", _("Case reopened")
    TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
    TRANSFERRED = "transferred", _("Case transferred")
    TRANSFER_DECLINED = "transfer_declined", _("Transfer declined")
    MERGED = "merged", _("Case merged")
    PERPETRATOR_ADDED = "perpetrator_added", _("Perpetrator recorded")
    TASK_DONE = "task_done", _("Task done")
    NOTE_ADDED = "note_added", _("Case note written")
    NOTE_EDITED = "note_edited", _("Case note corrected")
    DOCUMENT_ADDED = "document_added", _("Document attached")
    FLAG_RAISED = "flag_raised", _("Case flagged")
    FLAG_RESOLVED = "flag_resolved", _("Case flag resolved")
    # Family tracing and reunification (the ``tracing`` app writes these on the child's case).
    TRACING_OPENED = "tracing_opened", _("Tracing request opened")
    TRACING_ACTION = "tracing_action", _("Tracing action recorded")
    TRACING_MATCH_FOUND = "tracing_match_found", _("Potential family match found")
    TRACING_MATCH_CONFIRMED = "tracing_match_confirmed", _("Family match confirmed")
    TRACING_MATCH_REJECTED = "tracing_match_rejected", _("Family match rejected")
    TRACING_ASSESSED = "tracing_assessed", _("Best-interest assessment recorded")
    REUNIFIED = "reunified", _("Child reunified with family")
    REUNIFICATION_VISIT = "reunification_visit", _("Visit after reunification")
    TRACING_CLOSED = "tracing_closed", _("Tracing request closed")


class CaseEvent(models.Model):
    """One row per state change of a case, written in the same transaction as the change.

    ``detail`` holds ids and field names only, never personal data.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=CaseEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Perpetrator(models.Model):
    """A person suspected of trafficking the child (HTCDS ``per_``); identifiers encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    name = EncryptedTextField(_("name"), blank=True)
    identifiers = EncryptedJSONField(_("identifiers (phones, handles)"), default=list, blank=True)
    roles = models.JSONField(_("role in the process"), default=list, blank=True)
    role_details = EncryptedTextField(_("role details"), blank=True)
    gender = models.CharField(_("gender"), max_length=32, choices=choices.Gender.choices, blank=True)
    citizenships = models.JSONField(_("citizenship"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"perpetrator {self.pk}"

    @property
    def role_labels(self) -> list[str]:
        return [str(choices.PerpetratorRole(value).label) for value in self.roles]


class ConsentGiver(models.TextChoices):
    CHILD = "child", _("The child")
    GUARDIAN = "guardian", _("Parent or guardian")
    COURT = "court", _("Court order")


class ConsentScope(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    SHARE_ORGANISATION = "share_organisation", _("Sharing with a named organisation")
    LAW_ENFORCEMENT = "law_enforcement", _("Sharing with law enforcement")
    STATISTICS = "statistics", _("Use of data for statistics")
    SHARE_INSTALLATION = "share_installation", _("Sharing with an organisation of another installation")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """Consent to one scope; sharing consent names the organisation it covers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    scope = models.CharField(_("scope"), max_length=24, choices=ConsentScope.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation it covers"),
    )
    given_on = models.DateField(_("date given"))
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[ConsentQuerySet] = ConsentQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"consent {self.pk} ({self.scope})"

    def clean(self) -> None:
        if self.scope == ConsentScope.SHARE_ORGANISATION and self.organisation_id is None:
            raise ValidationError({"organisation": _("Name the organisation this consent covers.")})
        if self.given_on and self.given_on > timezone.localdate():
            raise ValidationError({"given_on": _("The date cannot be in the future.")})


class Rating(models.IntegerChoices):
    NONE = 0, _("No concern")
    LOW = 1, _("Low need")
    MODERATE = 2, _("Moderate need")
    HIGH = 3, _("High need")
    URGENT = 4, _("Urgent")


ASSESSMENT_DOMAINS = [
    ("immediate_safety", _("Immediate safety")),
    ("medical", _("Medical")),
    ("psychological", _("Psychological")),
    ("legal", _("Legal")),
    ("shelter", _("Shelter")),
    ("education", _("Education")),
    ("family_tracing", _("Family tracing")),
]


class Assessment(models.Model):
    """The initial assessment: one structured rating per domain, with encrypted notes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    immediate_safety = models.PositiveSmallIntegerField(_("immediate safety"), choices=Rating.choices)
    medical = models.PositiveSmallIntegerField(_("medical"), choices=Rating.choices)
    psychological = models.PositiveSmallIntegerField(_("psychological"), choices=Rating.choices)
    legal = models.PositiveSmallIntegerField(_("legal"), choices=Rating.choices)
    shelter = models.PositiveSmallIntegerField(_("shelter"), choices=Rating.choices)
    education = models.PositiveSmallIntegerField(_("education"), choices=Rating.choices)
    family_tracing = models.PositiveSmallIntegerField(_("family tracing"), choices=Rating.choices)
    notes = EncryptedJSONField(_("notes"), default=dict, blank=True)  # domain → text
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        # Time to assessment (caseload reports): a case's first assessment, without a sort.
        indexes = [models.Index(fields=["case", "assessed_at"], name="assessment_case_first")]

    def __str__(self) -> str:
        return f"assessment {self.pk}"

    def ratings(self) -> list[tuple[str, str, int, str]]:
        return [
            (name, str(label), getattr(self, name), (self.notes or {}).get(name, ""))
            for name, label in ASSESSMENT_DOMAINS
        ]

    @property
    def highest_rating(self) -> int:
        return max(getattr(self, name) for name, _label in ASSESSMENT_DOMAINS)


class PlanStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class CarePlan(models.Model):
    """Goals and the services needed to reach them; takes effect once a supervisor approves."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="care_plans")
    goals = EncryptedTextField(_("goals"))
    support_type = models.CharField(
        _("type of support (HTCDS)"), max_length=40, choices=choices.SupportPlanType.choices, blank=True
    )
    planned_end = models.DateField(_("planned end date"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Time to an approved care plan (caseload reports): a case's first approved plan, read
            # from the index alone.
            models.Index(
                fields=["case", "decided_at"],
                condition=models.Q(status="approved"),
                name="care_plan_approved_case",
            ),
        ]

    def __str__(self) -> str:
        return f"care plan {self.pk}"


class CarePlanItem(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="items")
    need = models.CharField(_("service needed"), max_length=32, choices=ServiceKind.choices)
    action = models.CharField(_("action"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    due_on = models.DateField(_("due"))

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"plan item {self.pk}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting response")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Referral(models.Model):
    """A need of a case sent to a provider's service. The provider sees only what it shares."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="referrals")
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="incoming_referrals"
    )
    need = models.CharField(_("need"), max_length=32, choices=ServiceKind.choices)
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING)
    # What the provider sees: a summary written for them, and optionally the first name.
    summary = EncryptedTextField(_("summary for the provider"))
    share_first_name = models.BooleanField(_("share the child's first name"), default=False)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    override_reason = models.TextField(_("reason for sending without consent"), blank=True)
    respond_by = models.DateField(_("respond by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["provider", "status"], name="referral_provider_status")]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class ServiceRecord(models.Model):
    """A service the provider delivered under a referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="service_records")
    delivered_on = models.DateField(_("delivered on"))
    note = EncryptedTextField(_("what was done"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivered_on", "id"]
        # Time to first service (caseload reports): a referral's first delivery, without a sort.
        indexes = [models.Index(fields=["referral", "delivered_on"], name="service_record_first")]

    def __str__(self) -> str:
        return f"service record {self.pk}"


class FollowUpOutcome(models.TextChoices):
    SEEN_WELL = "seen_well", _("Child seen, doing well")
    SEEN_CONCERNS = "seen_concerns", _("Child seen, concerns raised")
    NOT_REACHED = "not_reached", _("Child not reached")


class FollowUp(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due"))
    purpose = models.CharField(_("purpose"), max_length=200)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=FollowUpOutcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # Overdue follow-ups (caseload reports): the few not done, by due date.
            models.Index(
                fields=["due_on", "case"], condition=models.Q(done_on__isnull=True), name="follow_up_open_due"
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"


class MilestoneKind(models.TextChoices):
    SAFE_PLACEMENT = "safe_placement", _("Safe placement")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    SCHOOL_ENROLMENT = "school_enrolment", _("School enrolment")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPLOYMENT = "employment", _("Employment")
    LEGAL_PROCEEDINGS = "legal_proceedings", _("Legal proceedings")


class Milestone(models.Model):
    """A reintegration milestone reached."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=32, choices=MilestoneKind.choices)
    reached_on = models.DateField(_("reached on"))
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reached_on", "id"]

    def __str__(self) -> str:
        return f"milestone {self.pk}"


class ClosureChecklistItem(models.Model):
    """One thing an organisation requires confirmed before a case is put forward for closure."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="closure_checklist"
    )
    text = models.CharField(_("what must be confirmed"), max_length=200)  # never personal data
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class ClosureRequest(models.Model):
    """One request to close a case, its decision and, if the case was reopened, why.

    Every cycle is kept, so the case page shows each reason and each approval or refusal.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    reason_code = models.CharField(_("reason for closure"), max_length=24, choices=ClosureReason.choices)
    details = EncryptedTextField(_("details"), blank=True)
    checklist = models.JSONField(default=list, blank=True)  # the checklist items confirmed, as text
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved = models.BooleanField(null=True)  # None while awaiting the decision
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("decision note"), blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = EncryptedTextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"closure request {self.pk}"


class CaseNoteKind(models.TextChoices):
    CONTACT = "contact", _("Contact")
    VISIT = "visit", _("Visit")
    PHONE_CALL = "phone_call", _("Phone call")
    OBSERVATION = "observation", _("Observation")
    SUPERVISION = "supervision", _("Supervision")


class CaseNote(models.Model):
    """A typed note of the case team's work; its author may correct it for a short while, then it
    is locked. Each correction keeps the text it replaced (``CaseNoteRevision``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind of note"), max_length=16, choices=CaseNoteKind.choices)
    occurred_on = models.DateField(_("date of the contact or event"))
    text = EncryptedTextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_on"], name="case_note_case_date")]

    def __str__(self) -> str:
        return f"case note {self.pk}"


class CaseNoteRevision(models.Model):
    """The text of a note before one correction, kept for the audit trail."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=16, choices=CaseNoteKind.choices)
    text = EncryptedTextField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"revision of case note {self.note_id}"


class ScanStatus(models.TextChoices):
    CLEAN = "clean", _("Scanned, no malware found")
    NOT_SCANNED = "not_scanned", _("Not scanned (no virus scanner configured)")


# filetypes.py names document types without Django, in English; these are the names a reader
# sees (the others, PDF, Word and the like, are the same in every language).
DOCUMENT_TYPE_LABELS = {
    "Text": _("Plain text"),
    "OpenDocument text": _("OpenDocument text"),
    "OpenDocument spreadsheet": _("OpenDocument spreadsheet"),
    "OpenDocument presentation": _("OpenDocument presentation"),
}


def document_type_label(label: str) -> str:
    """A stored document type's name in the active language."""
    return str(DOCUMENT_TYPE_LABELS.get(label, label))


class CaseDocument(models.Model):
    """A document on a case or one of its notes (PDF, office document or text — never an image or
    media); the name and the content are encrypted at rest."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    note = models.ForeignKey(
        CaseNote, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=120)
    type_label = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    content = EncryptedTextField()  # base64 of the file, so key rotation re-encrypts it like any field
    scan_status = models.CharField(max_length=16, choices=ScanStatus.choices)
    scanned_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"case document {self.pk}"

    def type_label_shown(self) -> str:
        return document_type_label(self.type_label)


class TaskKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Do the initial assessment")
    CARE_PLAN = "care_plan", _("Write the care plan")
    PLAN_ITEM = "plan_item", _("Care-plan action")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REFERRAL_RESPONSE = "referral_response", _("Chase the referral")
    HEARING = "hearing", _("Court hearing")


class TaskQuerySet(models.QuerySet["Task"]):
    def pending(self) -> TaskQuerySet:
        return self.filter(done_at__isnull=True)


class Task(models.Model):
    """Work with a due date that the workflow creates; done when the workflow step is taken."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    # The case's organisation, copied so that a supervisor's workload is one index scan.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=TaskKind.choices)
    title = models.CharField(_("task"), max_length=300)  # never personal data
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_tasks"
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)  # the plan item, follow-up or referral

    objects: ClassVar[TaskQuerySet] = TaskQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_on"], name="task_assignee_due"),
            models.Index(fields=["case", "kind", "done_at"], name="task_case_kind"),
            models.Index(
                fields=["organisation", "due_on", "assignee"],
                condition=models.Q(done_at__isnull=True),
                name="task_open_by_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Transfer(models.Model):
    """Handing the whole case to another organisation, once it accepts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
        verbose_name=_("receiving organisation"),
    )
    reason = models.TextField(_("reason"))
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    override_reason = models.TextField(_("reason for transferring without consent"), blank=True)
    status = models.CharField(max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"transfer {self.pk}"


class CaseFlag(models.Model):
    """A flag raised on a case for attention, open until someone resolves it with a note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
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
        indexes = [models.Index(fields=["case", "resolved_at"], name="case_flag_case_open")]

    def __str__(self) -> str:
        return f"case flag {self.pk}"


class SavedView(models.Model):
    """A case-list filter and sort saved under a name by one user, for themselves or shared with
    one of their teams. ``query`` holds the list's validated GET parameters as strings."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.JSONField(default=dict, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "owner", "name"], name="saved_view_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
