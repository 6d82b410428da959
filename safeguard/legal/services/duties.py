"""Law that drives the work on reports: reporting duties and their deadlines, provisions for an
escalation package, and reminders when a duty is overdue."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Membership
from safeguard.accounts.roles import Role
from safeguard.core.audit import audit_record
from safeguard.intake.choices import NotificationKind
from safeguard.intake.models import Report
from safeguard.intake.services.notices import notify_after_commit
from safeguard.legal.models import Provision, ReportDuty, ReportingDuty, ReportProvision
from safeguard.legal.selectors import applicable_duties, provisions_for_report


@transaction.atomic
def report_duties_apply(*, report_id: int) -> list[ReportDuty]:
    """Record the reporting duties that apply to a report, and make the soonest deadline its triage target.

    Run by the system after a report is received (``report_received``), so it takes no actor.
    Running it again adds only duties that apply and were not recorded yet.
    """
    from safeguard.intake.services.assessment import report_assess

    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return []
    known = set(ReportDuty.objects.filter(report=report).values_list("duty_id", flat=True))
    added = []
    for duty, reason in applicable_duties(report):
        if duty.pk in known:
            continue
        added.append(
            ReportDuty.objects.create(
                report=report,
                duty=duty,
                reason=reason,
                deadline=report.created_at + timedelta(hours=duty.within_hours),
            )
        )
    if added:
        # The intake rules set the target; they take the soonest open duty deadline into account.
        report_assess(report)
        report.save(update_fields=["urgency", "assessed_urgency", "urgency_reasons", "due_at", "updated_at"])
        audit_record(
            action="legal.report_duty.applied",
            organisation=report.organisation,
            target=report,
            detail={"duties": [row.duty_id for row in added], "due_at": report.due_at.isoformat()},
        )
    return added


@transaction.atomic
def report_duty_fulfil(*, actor: Actor, report_duty: ReportDuty, note: str) -> ReportDuty:
    """Record that a duty was met: reported to the authority. Needs ``report.triage`` in the report's organisation."""
    actor.require("report.triage")
    if actor.organisation is None or report_duty.report.organisation_id != actor.organisation.pk:
        raise PermissionDenied("report of another organisation")
    if report_duty.fulfilled_at is not None:
        raise ValidationError(_("This duty is already recorded as met."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how and to whom it was reported.")})
    report_duty.fulfilled_at = timezone.now()
    report_duty.fulfilled_by = actor.user
    report_duty.fulfilment_note = note[:2000]
    report_duty.save(update_fields=["fulfilled_at", "fulfilled_by", "fulfilment_note"])
    audit_record(
        action="legal.report_duty.fulfilled",
        actor=actor,
        target=report_duty.report,
        detail={"duty": report_duty.duty_id, "late": report_duty.fulfilled_at > report_duty.deadline},
    )
    return report_duty


@transaction.atomic
def report_provisions_set(*, actor: Actor, report: Report, provision_ids: list[int]) -> list[ReportProvision]:
    """Choose the provisions that may apply to a report (they travel in its escalation package).

    Only offences of the report's jurisdictions can be chosen. Needs ``report.escalate`` in the
    report's receiving organisation.
    """
    actor.require("report.escalate")
    if actor.organisation is None or report.organisation_id != actor.organisation.pk:
        raise PermissionDenied("report of another organisation")
    allowed = {provision.pk: provision for provision in provisions_for_report(report)}
    wrong = [pk for pk in provision_ids if pk not in allowed]
    if wrong:
        raise ValidationError({"provisions": _("Choose offences of the report's jurisdiction.")})
    chosen = set(provision_ids)
    before = set(ReportProvision.objects.filter(report=report).values_list("provision_id", flat=True))
    ReportProvision.objects.filter(report=report).exclude(provision_id__in=chosen).delete()
    for pk in sorted(chosen - before):
        ReportProvision.objects.create(report=report, provision=allowed[pk], chosen_by=actor.user)
    audit_record(
        action="legal.report_provisions.set",
        actor=actor,
        target=report,
        detail={"added": sorted(chosen - before), "removed": sorted(before - chosen)},
    )
    return list(ReportProvision.objects.filter(report=report).select_related("provision__law"))


@transaction.atomic
def duty_configure(*, actor: Actor, duty: ReportingDuty, taken_on: bool) -> ReportingDuty:
    """An organisation takes a reporting duty on for itself (or gives it up), e.g. by policy or contract.

    Needs ``legal.duty_configure`` (organisation admins).
    """
    actor.require("legal.duty_configure")
    assert actor.organisation is not None
    if taken_on:
        duty.configured_by.add(actor.organisation)
    else:
        duty.configured_by.remove(actor.organisation)
    audit_record(
        action="legal.duty.configured" if taken_on else "legal.duty.unconfigured",
        actor=actor,
        target=duty,
    )
    return duty


def _staff_emails(organisation_id: int, roles: tuple[Role, ...]) -> list[str]:
    return sorted(
        set(
            Membership.objects.active()
            .filter(organisation_id=organisation_id, role__in=roles, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def duties_overdue_notify(*, now: datetime | None = None) -> int:
    """Tell the operators and supervisors of a report's organisation once its duty is overdue:
    an in-app notification each, and an e-mail.

    Run by ``manage.py legal_reminders`` (the system; no actor). Each duty is notified once; the
    mail names the report's reference and the duty, never anything the reporter wrote.
    """
    now = now or timezone.now()
    sent = 0
    overdue = ReportDuty.objects.overdue(now).filter(
        overdue_notified_at__isnull=True, report__organisation__isnull=False
    )
    for report_duty in overdue.select_related("report", "duty"):
        with transaction.atomic():
            claimed = ReportDuty.objects.filter(pk=report_duty.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=now
            )
            if not claimed:
                continue
            organisation_id = report_duty.report.organisation_id
            assert organisation_id is not None
            recipients = _staff_emails(organisation_id, (Role.OPERATOR, Role.SUPERVISOR))
            body = _(
                'Report %(reference)s: the reporting duty "%(duty)s" was due %(deadline)s and is not recorded as met.'
            ) % {
                "reference": report_duty.report.reference,
                "duty": report_duty.duty.title,
                "deadline": report_duty.deadline.isoformat(),
            }
            audit_record(
                action="legal.report_duty.overdue_notified",
                organisation=report_duty.report.organisation,
                target=report_duty.report,
                detail={"duty": report_duty.duty_id, "recipients": len(recipients)},
            )
            if recipients:
                transaction.on_commit(partial(_mail, body, recipients))
            notify_after_commit(report_duty.report, NotificationKind.DUTY_OVERDUE, [organisation_id])
            sent += 1
    return sent


def _mail(body: str, recipients: list[str]) -> None:
    send_mail(_("Safeguard: a legal deadline"), body, None, recipients)


def provision_summary(provision: Provision) -> dict[str, Any]:
    """A provision as the escalation package carries it."""
    return {
        "law": provision.law.title,
        "citation": provision.law.citation,
        "article": provision.article,
        "kind": provision.kind,
        "summary": provision.summary,
        "penalty_min_years": str(provision.penalty_min_years)
        if provision.penalty_min_years is not None
        else None,
        "penalty_max_years": str(provision.penalty_max_years)
        if provision.penalty_max_years is not None
        else None,
        "jurisdiction": provision.law.jurisdiction.code,
        "illustrative": provision.law.jurisdiction.is_illustrative,
    }
