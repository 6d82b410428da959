"""In-app notifications and e-mail to organisations. E-mails name a reference, never personal data.

``notify_report`` and ``notify_escalation`` run in background tasks (no actor: the system
notifies); ``notifications_mark_read`` acts for the signed-in user.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.intake.choices import HANDOVER_NOTICES, NotificationKind
from safeguard.intake.models import Escalation, HandoverSettings, Notification, Report

REPORT_ROLES = [Role.OPERATOR, Role.SUPERVISOR]


def _members(organisation: Organisation, roles: list[Role]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation=organisation, memberships__role__in=roles
        )
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def notify_report(*, report_id: int, kind: str, organisation_ids: list[int], email: bool) -> int:
    """Notify the report-handling members of each organisation; e-mail each organisation if asked."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:  # purged or merged away meanwhile
        return 0
    created = 0
    for organisation in Organisation.objects.filter(pk__in=organisation_ids, is_active=True):
        if (
            kind == NotificationKind.REPORTER_REPLIED
            and report.assigned_to_id
            and organisation.pk == report.organisation_id
        ):
            recipients = [report.assigned_to] if report.assigned_to else []
        else:
            recipients = _members(organisation, REPORT_ROLES)
        Notification.objects.bulk_create(
            Notification(recipient=user, organisation=organisation, kind=kind, report=report)
            for user in recipients
        )
        created += len(recipients)
        if not organisation.contact_email:
            continue
        if email:
            _email(
                organisation,
                gettext_noop("Critical report %(reference)s"),
                gettext_noop(
                    "A report marked critical has reached %(organisation)s and needs attention within "
                    "the hour. Sign in to Safeguard and open report %(reference)s."
                ),
                report,
            )
        elif kind in HANDOVER_NOTICES and emails_handovers(organisation):
            _email(
                organisation,
                gettext_noop("Hand-over of report %(reference)s: %(step)s"),
                gettext_noop(
                    "%(step)s (%(organisation)s). Sign in to Safeguard and open report %(reference)s."
                ),
                report,
                kind=kind,
            )
    return created


def emails_handovers(organisation: Organisation) -> bool:
    """The organisation's hand-over e-mail setting (off unless its admin or supervisor turned it on)."""
    return HandoverSettings.objects.filter(organisation=organisation, email_steps=True).exists()


def _email(organisation: Organisation, subject: str, message: str, report: Report, kind: str = "") -> None:
    # E-mails name the reference and the step only, never personal data.
    with translation.override(settings.LANGUAGE_CODE):
        step = str(NotificationKind(kind).label) if kind else ""
        values = {"organisation": organisation.name, "reference": report.reference, "step": step}
        send_mail(
            subject=_(subject) % values,
            message=_(message) % values,
            from_email=None,
            recipient_list=[organisation.contact_email],
            fail_silently=False,
        )


@transaction.atomic
def notify_escalation(*, escalation_id: int, kind: str) -> int:
    escalation = (
        Escalation.objects.select_related("organisation", "escalated_by").filter(pk=escalation_id).first()
    )
    if escalation is None:
        return 0
    if kind == NotificationKind.ESCALATED:
        organisation = escalation.organisation
        recipients = _members(organisation, [Role.LIAISON])
    else:
        organisation = escalation.from_organisation
        recipients = [escalation.escalated_by]
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            organisation=organisation,
            kind=kind,
            escalation=escalation,
            report=escalation.report,
        )
        for user in recipients
    )
    return len(recipients)


def notifications_mark_read(*, actor: Actor) -> int:
    """Mark all of the actor's unread notifications read; returns how many. Anyone signed in may."""
    actor.require("dashboard.view")
    return Notification.objects.filter(recipient=actor.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
