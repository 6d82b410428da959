"""Legal frameworks per jurisdiction, the duties they put on a report, and a case's legal matters.

The registry (jurisdictions, instruments and their status, laws, provisions, ages, reporting
duties, competent authorities) is public reference data: no personal data, every entry with its
source and the date it was last verified. A case's legal matters, hearings and protection
measures belong to the case: reference numbers, lawyers' names and notes are encrypted.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safeguard.core.fields import EncryptedTextField
from safeguard.legal.codes import is_jurisdiction_code


class Sourced(models.Model):
    """Where an entry comes from and when someone last checked it against that source."""

    source = models.CharField(_("source"), max_length=500, blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_stale(self, today: date | None = None) -> bool:
        """Never verified, or verified longer ago than ``SAFEGUARD_LEGAL_STALE_DAYS``."""
        if self.last_verified is None:
            return True
        today = today or timezone.localdate()
        return today - self.last_verified > timedelta(days=settings.LEGAL_STALE_DAYS)


class Jurisdiction(Sourced):
    """A country (ISO 3166-1) or a subdivision where the law differs (ISO 3166-2)."""

    code = models.CharField(
        _("code"), max_length=6, unique=True, help_text=_("ISO 3166 code, e.g. GB or GB-SCT")
    )
    name = models.CharField(_("name"), max_length=200)
    is_illustrative = models.BooleanField(
        _("illustrative profile"),
        default=False,
        help_text=_("A fictional profile for demonstration or training; never shown as current law."),
    )
    age_of_majority = models.PositiveSmallIntegerField(_("age of majority"), null=True, blank=True)
    minimum_working_age = models.PositiveSmallIntegerField(_("minimum age for work"), null=True, blank=True)
    hazardous_work_age = models.PositiveSmallIntegerField(
        _("minimum age for hazardous work"), null=True, blank=True
    )
    age_of_consent = models.PositiveSmallIntegerField(_("age of consent"), null=True, blank=True)
    criminal_responsibility_age = models.PositiveSmallIntegerField(
        _("age of criminal responsibility"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def country(self) -> str:
        return self.code.split("-")[0]

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        errors: dict[str, Promise] = {}
        if not is_jurisdiction_code(self.code):
            errors["code"] = _("Give an ISO 3166-1 country code or an ISO 3166-2 subdivision code.")
        ages = [self.minimum_working_age, self.hazardous_work_age]
        if None not in ages and ages[0] is not None and ages[1] is not None and ages[1] < ages[0]:
            errors["hazardous_work_age"] = _("The age for hazardous work cannot be below the age for work.")
        for name in ("age_of_majority", "minimum_working_age", "hazardous_work_age", "age_of_consent"):
            value = getattr(self, name)
            if value is not None and value > 25:
                errors[name] = _("Give an age between 0 and 25.")
        if errors:
            raise ValidationError(errors)


class InstrumentScope(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    REGIONAL = "regional", _("Regional")


class Instrument(Sourced):
    """An international or regional treaty, with its key articles summarised in our own words."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80)
    scope = models.CharField(_("scope"), max_length=16, choices=InstrumentScope.choices)
    body = models.CharField(_("adopted by"), max_length=100, blank=True)
    adopted_on = models.DateField(_("adopted or opened for signature"), null=True, blank=True)
    in_force_on = models.DateField(_("in force since"), null=True, blank=True)
    url = models.URLField(_("web address"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # [{"article": "3", "summary": "..."}], summaries in our own words.
    key_articles = models.JSONField(_("key articles"), default=list, blank=True)

    class Meta:
        ordering = ["adopted_on", "code"]

    def __str__(self) -> str:
        return self.short_name


class PartyStatus(models.TextChoices):
    SIGNED = "signed", _("Signed")
    RATIFIED = "ratified", _("Ratified")
    ACCEDED = "acceded", _("Acceded")
    NOT_PARTY = "not_party", _("Not a party")


PARTY_STATUSES = (PartyStatus.RATIFIED, PartyStatus.ACCEDED)


class InstrumentStatus(Sourced):
    """Where a jurisdiction stands with an instrument."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="instrument_statuses"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="statuses")
    status = models.CharField(_("status"), max_length=16, choices=PartyStatus.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ratified_on = models.DateField(_("ratified or acceded on"), null=True, blank=True)
    reservations = models.TextField(_("reservations and declarations"), blank=True)

    class Meta:
        ordering = ["instrument__adopted_on", "instrument__code"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "instrument"], name="legal_status_unique")
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} {self.instrument.code} {self.status}"

    def clean(self) -> None:
        if self.status in PARTY_STATUSES and self.ratified_on is None:
            raise ValidationError({"ratified_on": _("Give the date of ratification or accession.")})
        if self.signed_on and self.ratified_on and self.ratified_on < self.signed_on:
            raise ValidationError({"ratified_on": _("Ratification cannot come before signature.")})


class Law(Sourced):
    """A national (or subdivision) law."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="laws")
    title = models.CharField(_("title"), max_length=300)
    citation = models.CharField(_("citation"), max_length=200)
    enacted_on = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("web address"), blank=True)

    class Meta:
        ordering = ["jurisdiction__code", "title"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "citation"], name="legal_law_unique")]

    def __str__(self) -> str:
        return f"{self.title} ({self.citation})"


class ProvisionKind(models.TextChoices):
    DEFINITION = "definition", _("Definition of trafficking or exploitation")
    OFFENCE = "offence", _("Offence and penalty")
    AGGRAVATING_CHILD = "aggravating_child", _("Aggravating circumstance: child victim")
    NON_PUNISHMENT = "non_punishment", _("Victim protection: non-punishment")
    REFLECTION_PERIOD = "reflection_period", _("Victim protection: reflection period")
    RESIDENCE_PERMIT = "residence_permit", _("Victim protection: residence permit")
    COMPENSATION = "compensation", _("Victim protection: compensation")
    CHILD_TESTIMONY = "child_testimony", _("Victim protection: child-friendly testimony")
    REPORTING_DUTY = "reporting_duty", _("Mandatory reporting duty")


# Provisions an operator may put in an escalation package: what may have been committed.
CHARGEABLE_KINDS = (ProvisionKind.OFFENCE, ProvisionKind.AGGRAVATING_CHILD)


class Provision(Sourced):
    """One article of a law that matters for child trafficking, typed."""

    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="provisions")
    article = models.CharField(_("article"), max_length=40)
    kind = models.CharField(_("kind"), max_length=24, choices=ProvisionKind.choices)
    summary = models.TextField(_("summary"))
    penalty_min_years = models.DecimalField(
        _("minimum penalty (years)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    penalty_max_years = models.DecimalField(
        _("maximum penalty (years)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # HTCDS vic_TypeOfExploitation values the provision covers, to suggest it for a report.
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)

    class Meta:
        ordering = ["law__title", "article", "id"]
        constraints = [
            models.UniqueConstraint(fields=["law", "article", "kind"], name="legal_provision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.law.citation}, art. {self.article}"

    def clean(self) -> None:
        low, high = self.penalty_min_years, self.penalty_max_years
        if low is not None and high is not None and high < low:
            raise ValidationError(
                {"penalty_max_years": _("The maximum penalty cannot be below the minimum.")}
            )


class AuthorityKind(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    CHILD_PROTECTION = "child_protection", _("Child-protection service")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    IMMIGRATION = "immigration", _("Immigration authority")
    COURT = "court", _("Court")
    NATIONAL_REFERRAL = "national_referral", _("National referral mechanism")
    HOTLINE = "hotline", _("Hotline")


class Authority(Sourced):
    """A competent authority or hotline of a jurisdiction."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="authorities")
    kind = models.CharField(_("kind"), max_length=24, choices=AuthorityKind.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    hours = models.CharField(_("hours"), max_length=100, blank=True)

    class Meta:
        ordering = ["jurisdiction__code", "kind", "name"]
        verbose_name_plural = _("authorities")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="legal_authority_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ReportingDuty(Sourced):
    """Who must report what, to whom and within how long.

    A duty applies to a report when the reporter's relation is one of ``professions`` (the
    intake form's relations, e.g. ``teacher``), when the receiving organisation is of one of
    ``organisation_kinds``, or when that organisation configured the duty for itself.
    """

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="reporting_duties")
    title = models.CharField(_("title"), max_length=200)
    professions = models.JSONField(_("who must report (reporter relations)"), default=list, blank=True)
    organisation_kinds = models.JSONField(
        _("organisations that must report (kinds)"), default=list, blank=True
    )
    what = models.TextField(_("what must be reported"))
    authority_kind = models.CharField(_("to whom"), max_length=24, choices=AuthorityKind.choices)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authority"),
    )
    within_hours = models.PositiveIntegerField(_("within (hours)"))
    provision = models.ForeignKey(
        Provision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provision"),
    )
    configured_by = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name=_("organisations that took it on")
    )

    class Meta:
        ordering = ["jurisdiction__code", "within_hours", "title"]
        verbose_name_plural = _("reporting duties")
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "title"], name="legal_duty_unique")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from safeguard.accounts.roles import OrganisationKind
        from safeguard.intake.choices import Relation

        errors: dict[str, Promise] = {}
        if not self.within_hours:
            errors["within_hours"] = _("Give a deadline of at least one hour.")
        if any(value not in Relation.values for value in self.professions):
            errors["professions"] = _(
                "Use the reporter relations of the report form (e.g. teacher, professional)."
            )
        if any(value not in OrganisationKind.values for value in self.organisation_kinds):
            errors["organisation_kinds"] = _("Use organisation kinds (e.g. hotline, ngo).")
        if self.authority_id and self.authority and self.authority.jurisdiction_id != self.jurisdiction_id:
            errors["authority"] = _("Choose an authority of the same jurisdiction.")
        if errors:
            raise ValidationError(errors)


class LegalEditor(models.Model):
    """A user a platform administrator allowed to maintain one jurisdiction's profile."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_editor_of"
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="editors")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "jurisdiction"], name="legal_editor_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} edits {self.jurisdiction_id}"


# ---------------------------------------------------------------------------------------------
# Law that drives the work: duties on reports, provisions chosen for an escalation


class ReportDutyQuerySet(models.QuerySet["ReportDuty"]):
    def open(self) -> ReportDutyQuerySet:
        return self.filter(fulfilled_at__isnull=True)

    def overdue(self, now: object = None) -> ReportDutyQuerySet:
        return self.open().filter(deadline__lt=now or timezone.now())


class ReportDuty(models.Model):
    """A reporting duty that applies to one report, with its deadline and whether it was met."""

    report = models.ForeignKey("intake.Report", on_delete=models.CASCADE, related_name="legal_duties")
    duty = models.ForeignKey(ReportingDuty, on_delete=models.PROTECT, related_name="report_duties")
    reason = models.CharField(max_length=24)  # profession, organisation_kind or configured
    deadline = models.DateTimeField(_("deadline"))
    fulfilled_at = models.DateTimeField(_("reported to the authority"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fulfilment_note = EncryptedTextField(_("how and to whom it was reported"), blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ReportDutyQuerySet] = ReportDutyQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "duty"], name="legal_report_duty_unique")]
        indexes = [models.Index(fields=["fulfilled_at", "deadline"], name="legal_report_duty_open")]

    def __str__(self) -> str:
        return f"duty {self.duty_id} on report {self.report_id}"

    @property
    def is_overdue(self) -> bool:
        return self.fulfilled_at is None and self.deadline < timezone.now()


class ReportProvision(models.Model):
    """A provision the operator says may apply to a report; it travels in the escalation package."""

    report = models.ForeignKey("intake.Report", on_delete=models.CASCADE, related_name="legal_provisions")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["provision__law__title", "provision__article"]
        constraints = [
            models.UniqueConstraint(fields=["report", "provision"], name="legal_report_provision_unique")
        ]

    def __str__(self) -> str:
        return f"provision {self.provision_id} on report {self.report_id}"


# ---------------------------------------------------------------------------------------------
# Legal aid in case management


class MatterKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal proceedings")
    COMPENSATION = "compensation", _("Compensation claim")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    GUARDIANSHIP = "guardianship", _("Guardianship")
    ASYLUM = "asylum", _("Asylum")
    OTHER = "other", _("Other civil or administrative matter")


class MatterStage(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    TRIAL = "trial", _("Trial")
    VERDICT = "verdict", _("Verdict")
    APPEAL = "appeal", _("Appeal")
    FILED = "filed", _("Application filed")
    UNDER_REVIEW = "under_review", _("Under review")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


CRIMINAL_STAGES = [
    MatterStage.COMPLAINT,
    MatterStage.INVESTIGATION,
    MatterStage.PROSECUTION,
    MatterStage.TRIAL,
    MatterStage.VERDICT,
    MatterStage.APPEAL,
    MatterStage.CLOSED,
]
CIVIL_STAGES = [
    MatterStage.FILED,
    MatterStage.UNDER_REVIEW,
    MatterStage.DECIDED,
    MatterStage.APPEAL,
    MatterStage.CLOSED,
]


def stages_for(kind: str) -> list[MatterStage]:
    return CRIMINAL_STAGES if kind == MatterKind.CRIMINAL else CIVIL_STAGES


class MatterOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTION = "conviction", _("Conviction")
    ACQUITTAL = "acquittal", _("Acquittal")
    DISMISSED = "dismissed", _("Dismissed or discontinued")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LegalMatterQuerySet(models.QuerySet["LegalMatter"]):
    def active(self) -> LegalMatterQuerySet:
        return self.exclude(stage=MatterStage.CLOSED)


class LegalMatter(models.Model):
    """Proceedings or a civil or administrative matter of a case's child or survivor."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_matters")
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=MatterKind.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=MatterStage.choices)
    court = models.CharField(_("court or authority"), max_length=200, blank=True)
    reference_number = EncryptedTextField(_("reference number"), blank=True)
    # The legal representative: a legal-aid referral (its provider sees the matter), or a named lawyer.
    referral = models.ForeignKey(
        "cases.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legal_matters",
        verbose_name=_("legal-aid referral"),
    )
    lawyer = EncryptedTextField(_("named lawyer"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=MatterOutcome.choices, default=MatterOutcome.PENDING
    )
    complaint_on = models.DateField(_("complaint or application filed on"), null=True, blank=True)
    verdict_on = models.DateField(_("verdict or decision on"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. EUR"))
    compensation_claimed = models.DecimalField(
        _("compensation claimed"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    compensation_awarded = models.DecimalField(
        _("compensation awarded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    compensation_paid = models.DecimalField(
        _("compensation paid"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[LegalMatterQuerySet] = LegalMatterQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["case", "stage"], name="legal_matter_case_stage")]

    def __str__(self) -> str:
        return f"legal matter {self.pk}"

    def clean(self) -> None:
        errors: dict[str, Promise] = {}
        if self.stage and self.stage not in stages_for(self.kind):
            errors["stage"] = _("This stage does not belong to this kind of matter.")
        if self.complaint_on and self.verdict_on and self.verdict_on < self.complaint_on:
            errors["verdict_on"] = _("The verdict cannot come before the complaint.")
        amounts = [self.compensation_claimed, self.compensation_awarded, self.compensation_paid]
        if any(amount is not None and amount < 0 for amount in amounts):
            errors["compensation_claimed"] = _("Amounts cannot be negative.")
        if any(amount is not None for amount in amounts) and not (
            len(self.currency) == 3 and self.currency.isalpha()
        ):
            errors["currency"] = _("Give the currency as a three-letter ISO 4217 code, e.g. EUR.")
        awarded, paid = self.compensation_awarded, self.compensation_paid
        if paid is not None and (awarded is None or paid > awarded):
            errors["compensation_paid"] = _("More cannot be paid than was awarded.")
        if errors:
            raise ValidationError(errors)


class HearingQuerySet(models.QuerySet["Hearing"]):
    def upcoming(self, now: object = None) -> HearingQuerySet:
        return self.filter(held_at__isnull=True, cancelled=False, scheduled_at__gte=now or timezone.now())


class Hearing(models.Model):
    """A hearing of a matter; a child's participation needs a recorded preparation first."""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="hearings")
    scheduled_at = models.DateTimeField(_("date and time"))
    purpose = models.CharField(_("purpose"), max_length=200)  # never personal data: it becomes a task
    place = models.CharField(_("court room or place"), max_length=200, blank=True)
    child_participates = models.BooleanField(_("the child takes part"), default=False)
    preparation_on = models.DateField(_("child prepared on"), null=True, blank=True)
    preparation_note = EncryptedTextField(_("how the child was prepared"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    outcome_note = EncryptedTextField(_("what happened"), blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    task_id = models.BigIntegerField(null=True, blank=True)  # the cases.Task it appears as
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[HearingQuerySet] = HearingQuerySet.as_manager()  # type: ignore[assignment]  # a manager, typed as its queryset so the custom methods type-check

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["held_at", "scheduled_at"], name="legal_hearing_due")]

    def __str__(self) -> str:
        return f"hearing {self.pk}"

    @property
    def needs_preparation(self) -> bool:
        return self.child_participates and self.preparation_on is None


class MeasureKind(models.TextChoices):
    VIDEO_TESTIMONY = "video_testimony", _("Testimony by video link")
    ANONYMITY = "anonymity", _("Anonymity")
    PROTECTION_ORDER = "protection_order", _("Protection order")
    SUPPORT_PERSON = "support_person", _("Accompaniment by a support person")
    SEPARATE_WAITING = "separate_waiting", _("Separate waiting room")
    OTHER = "other", _("Other measure")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ProtectionMeasure(models.Model):
    """A protection measure requested for the child in a matter, and the decision on it."""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="protection_measures")
    kind = models.CharField(_("measure"), max_length=24, choices=MeasureKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"protection measure {self.pk}"

    def clean(self) -> None:
        if self.status != MeasureStatus.REQUESTED and self.decided_on is None:
            raise ValidationError({"decided_on": _("Give the date of the decision.")})
        if self.decided_on and self.requested_on and self.decided_on < self.requested_on:
            raise ValidationError({"decided_on": _("The decision cannot come before the request.")})


class MatterEventKind(models.TextChoices):
    OPENED = "opened", _("Legal matter opened")
    UPDATED = "updated", _("Legal matter updated")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    CHILD_PREPARED = "child_prepared", _("Child prepared for a hearing")
    HEARING_HELD = "hearing_held", _("Hearing held")
    MEASURE_REQUESTED = "measure_requested", _("Protection measure requested")
    MEASURE_DECIDED = "measure_decided", _("Protection measure decided")
    COMPENSATION = "compensation", _("Compensation recorded")


class MatterEvent(models.Model):
    """One row per state change of a legal matter; ``detail`` holds ids and field names only."""

    matter = models.ForeignKey(LegalMatter, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=MatterEventKind.choices)
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

    def __str__(self) -> str:
        return f"{self.matter_id} {self.kind}"
