"""Reads: the law that applies to a place, to a report and to a child's age; calendars and statistics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import Actor
from safeguard.legal import ages
from safeguard.legal.access import matters_visible_to
from safeguard.legal.codes import jurisdiction_codes_for
from safeguard.legal.models import (
    CHARGEABLE_KINDS,
    PARTY_STATUSES,
    Authority,
    Hearing,
    Instrument,
    InstrumentStatus,
    Jurisdiction,
    Law,
    LegalMatter,
    MatterStage,
    Provision,
    ReportDuty,
    ReportingDuty,
    ReportProvision,
)

AGE_FINDINGS = {
    "minor": _("a child: under the age of majority (%(threshold)s)"),
    "below_work_age": _("under the minimum age for work (%(threshold)s): any work is child labour"),
    "below_hazardous_age": _("may work, but not in hazardous work (under %(threshold)s)"),
    "below_consent": _("under the age of consent (%(threshold)s)"),
    "below_criminal_responsibility": _(
        "under the age of criminal responsibility (%(threshold)s): cannot be prosecuted"
    ),
}


def jurisdictions_for_place(country: str, subdivision: str = "") -> list[Jurisdiction]:
    """The jurisdictions whose law applies to a place, most specific first."""
    codes = jurisdiction_codes_for(country, subdivision)
    found = {jurisdiction.code: jurisdiction for jurisdiction in Jurisdiction.objects.filter(code__in=codes)}
    return [found[code] for code in codes if code in found]


def applicable_duties(report: Any) -> list[tuple[ReportingDuty, str]]:
    """The reporting duties that apply to a report, with why: the reporter's profession, the
    receiving organisation's kind, or a duty the organisation took on."""
    jurisdictions = jurisdictions_for_place(report.country, report.subdivision)
    if not jurisdictions:
        return []
    organisation = report.organisation
    found = []
    duties = ReportingDuty.objects.filter(jurisdiction__in=jurisdictions).prefetch_related("configured_by")
    for duty in duties:
        if report.relation and report.relation in duty.professions:
            found.append((duty, "profession"))
        elif organisation is not None and organisation.kind in duty.organisation_kinds:
            found.append((duty, "organisation_kind"))
        elif organisation is not None and organisation in duty.configured_by.all():
            found.append((duty, "configured"))
    return found


def earliest_open_deadline(report_id: int) -> datetime | None:
    """The soonest deadline of a report's duties not yet met (intake's triage target uses it)."""
    deadline: datetime | None = (
        ReportDuty.objects.open().filter(report_id=report_id).aggregate(first=Min("deadline"))["first"]
    )
    return deadline


@dataclass(frozen=True)
class DutyOnReport:
    duty: ReportingDuty
    deadline: datetime
    reason: str
    record: ReportDuty | None  # None while the background step has not recorded it yet

    @property
    def is_overdue(self) -> bool:
        return (self.record is None or self.record.fulfilled_at is None) and self.deadline < timezone.now()


def duties_on_report(report: Any) -> list[DutyOnReport]:
    """The duties recorded on a report, or (until the background step ran) those that apply."""
    records = list(
        ReportDuty.objects.filter(report=report).select_related("duty__authority", "duty__jurisdiction")
    )
    if records:
        return [DutyOnReport(row.duty, row.deadline, row.reason, row) for row in records]
    return [
        DutyOnReport(duty, report.created_at + timedelta(hours=duty.within_hours), reason, None)
        for duty, reason in applicable_duties(report)
    ]


def provisions_for_report(report: Any) -> list[Provision]:
    """The offences of the report's jurisdictions an operator may choose for the escalation package."""
    jurisdictions = jurisdictions_for_place(report.country, report.subdivision)
    return list(
        Provision.objects.filter(
            law__jurisdiction__in=jurisdictions, kind__in=CHARGEABLE_KINDS
        ).select_related("law__jurisdiction")
    )


def suggested_provision_ids(report: Any, provisions: list[Provision]) -> set[int]:
    """Offences that cover one of the report's types of exploitation."""
    types = set(report.exploitation_types)
    return {provision.pk for provision in provisions if types & set(provision.exploitation_types)}


def chosen_provisions(report: Any) -> list[Provision]:
    return [
        row.provision
        for row in ReportProvision.objects.filter(report=report).select_related(
            "provision__law__jurisdiction"
        )
    ]


def package_provisions(report: Any) -> list[dict[str, Any]]:
    """The chosen provisions as the escalation package carries them."""
    from safeguard.legal.services.duties import provision_summary

    return [provision_summary(provision) for provision in chosen_provisions(report)]


def ages_of(jurisdiction: Jurisdiction) -> ages.Ages:
    return ages.Ages(
        majority=jurisdiction.age_of_majority,
        minimum_work=jurisdiction.minimum_working_age,
        hazardous_work=jurisdiction.hazardous_work_age,
        consent=jurisdiction.age_of_consent,
        criminal_responsibility=jurisdiction.criminal_responsibility_age,
    )


def age_findings(
    age: int | None, country: str, subdivision: str = ""
) -> tuple[Jurisdiction | None, list[str]]:
    """A child's age judged against the ages of the place's jurisdiction, in words."""
    if age is None:
        return None, []
    for jurisdiction in jurisdictions_for_place(country, subdivision):
        found = ages.judge(age, ages_of(jurisdiction))
        if found:
            return jurisdiction, [
                str(AGE_FINDINGS[item.code]) % {"threshold": item.threshold} for item in found
            ]
    return None, []


def common_instruments(first: str, second: str) -> list[Instrument]:
    """Instruments both jurisdictions (countries) are party to: a possible basis for a cross-border request."""
    if not first or not second:
        return []
    parties = InstrumentStatus.objects.filter(status__in=PARTY_STATUSES)
    first_ids = parties.filter(jurisdiction__code=first.upper()).values("instrument_id")
    second_ids = parties.filter(jurisdiction__code=second.upper()).values("instrument_id")
    return list(Instrument.objects.filter(pk__in=first_ids).filter(pk__in=second_ids))


def stale_entries(jurisdiction: Jurisdiction) -> list[Any]:
    """Every entry of a profile never verified or verified longer ago than the configured age."""
    cutoff = timezone.localdate() - timedelta(days=settings.LEGAL_STALE_DAYS)
    stale = Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)
    entries: list[Any] = [jurisdiction] if jurisdiction.is_stale() else []
    entries += list(
        InstrumentStatus.objects.filter(stale, jurisdiction=jurisdiction).select_related("instrument")
    )
    entries += list(Law.objects.filter(stale, jurisdiction=jurisdiction))
    entries += list(Provision.objects.filter(stale, law__jurisdiction=jurisdiction).select_related("law"))
    entries += list(Authority.objects.filter(stale, jurisdiction=jurisdiction))
    entries += list(ReportingDuty.objects.filter(stale, jurisdiction=jurisdiction))
    return entries


def hearings_for(actor: Actor, *, days: int = 60, include_past: int = 7) -> list[Hearing]:
    """The calendar: hearings of the matters the actor may see, from a week ago to ``days`` ahead."""
    now = timezone.now()
    return list(
        Hearing.objects.filter(
            matter__in=matters_visible_to(actor),
            cancelled=False,
            scheduled_at__gte=now - timedelta(days=include_past),
            scheduled_at__lte=now + timedelta(days=days),
        ).select_related("matter__case", "matter")
    )


def overdue_duties_for(actor: Actor, limit: int = 10) -> list[ReportDuty]:
    if actor.organisation is None or not actor.can("report.view"):
        return []
    return list(
        ReportDuty.objects.overdue()
        .filter(report__organisation=actor.organisation)
        .select_related("report", "duty")[:limit]
    )


# --- statistics for programme managers: de-identified, small counts suppressed ---------------


@dataclass(frozen=True)
class JurisdictionFigures:
    jurisdiction: str
    matters: int | None
    by_stage: dict[str, int | None]
    median_days_to_verdict: float | None
    compensation: dict[str, dict[str, Decimal | int | None]]


def _suppressed(count: int) -> int | None:
    return count if count >= settings.LEGAL_STATISTICS_MIN_COUNT else None


def legal_aid_statistics(actor: Actor) -> list[JurisdictionFigures]:
    """Matters by stage, days from complaint to verdict, compensation awarded and paid, by jurisdiction.

    Counted over every organisation's matters but de-identified: no case, person or organisation
    appears, and any count (or a figure computed over a group) under
    ``SAFEGUARD_LEGAL_STATISTICS_MIN_COUNT`` is withheld (``None``). Needs ``legal.statistics``.
    """
    actor.require("legal.statistics")
    groups: dict[str, list[LegalMatter]] = defaultdict(list)
    for matter in LegalMatter.objects.select_related("jurisdiction").only(
        "jurisdiction__code", "stage", "complaint_on", "verdict_on", "currency",
        "compensation_claimed", "compensation_awarded", "compensation_paid",
    ):  # fmt: skip
        groups[matter.jurisdiction.code if matter.jurisdiction else "—"].append(matter)
    figures = []
    for code in sorted(groups):
        matters = groups[code]
        stages = {stage.value: 0 for stage in MatterStage}
        for matter in matters:
            stages[matter.stage] += 1
        days = [(m.verdict_on - m.complaint_on).days for m in matters if m.complaint_on and m.verdict_on]
        compensation: dict[str, dict[str, Decimal | int | None]] = {}
        for currency in sorted({m.currency for m in matters if m.currency}):
            claims = [m for m in matters if m.currency == currency]
            shown = _suppressed(len(claims)) is not None
            compensation[currency] = {
                "matters": _suppressed(len(claims)),
                "claimed": _sum(claims, "compensation_claimed") if shown else None,
                "awarded": _sum(claims, "compensation_awarded") if shown else None,
                "paid": _sum(claims, "compensation_paid") if shown else None,
            }
        figures.append(
            JurisdictionFigures(
                jurisdiction=code,
                matters=_suppressed(len(matters)),
                by_stage={stage: _suppressed(count) for stage, count in stages.items() if count},
                median_days_to_verdict=float(median(days)) if _suppressed(len(days)) else None,
                compensation=compensation,
            )
        )
    return figures


def _sum(matters: list[LegalMatter], name: str) -> Decimal:
    return sum((getattr(m, name) or Decimal(0) for m in matters), Decimal(0))


def next_hearing(matter: LegalMatter) -> Hearing | None:
    return matter.hearings.upcoming().first()


def matters_of_case(actor: Actor, case: Any) -> list[LegalMatter]:
    return list(
        matters_visible_to(actor)
        .filter(case=case)
        .select_related("jurisdiction", "referral__provider")
        .prefetch_related("hearings", "protection_measures")
    )


def today() -> date:
    return timezone.localdate()
