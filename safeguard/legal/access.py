"""Fetching legal records *for a user*.

The registry is reference data: any staff member reads it, and the public API serves its
public parts. It is written by platform administrators, and by the legal editors they
delegate for one jurisdiction. A case's legal matters are seen by the case's team (the rule
of ``cases.access``) and by the legal-aid provider the matter names through an accepted
referral; nobody else. Anything outside a user's reach is "not found".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.cases.access import cases_visible_to
from safeguard.cases.models import ReferralStatus
from safeguard.directory.models import ServiceKind
from safeguard.legal.models import (
    Hearing,
    Jurisdiction,
    LegalEditor,
    LegalMatter,
    LegalMatterQuerySet,
    ProtectionMeasure,
    ReportDuty,
)

# A provider represents the child while its legal-aid referral stands.
REPRESENTING = (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)


def may_edit_jurisdiction(user: Any, jurisdiction: Jurisdiction | None) -> bool:
    """Platform administrators edit every jurisdiction (and create new ones); editors their own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_platform_admin:
        return True
    return (
        jurisdiction is not None and LegalEditor.objects.filter(user=user, jurisdiction=jurisdiction).exists()
    )


def require_jurisdiction_editor(user: Any, jurisdiction: Jurisdiction | None) -> None:
    if not may_edit_jurisdiction(user, jurisdiction):
        raise PermissionDenied("legal editors of this jurisdiction only")


def jurisdictions_editable_by(user: Any) -> list[Jurisdiction]:
    if user is None or not user.is_authenticated:
        return []
    if user.is_platform_admin:
        return list(Jurisdiction.objects.all())
    return list(Jurisdiction.objects.filter(editors__user=user))


def jurisdiction_by_code(code: str) -> Jurisdiction:
    jurisdiction = Jurisdiction.objects.filter(code=code.upper()).first()
    if jurisdiction is None:
        raise Http404("jurisdiction")
    return jurisdiction


def matters_visible_to(actor: Actor) -> LegalMatterQuerySet:
    """The case team's matters, and those naming the actor's organisation's legal-aid referral."""
    if actor.organisation is None:
        return LegalMatter.objects.none()
    reach = Q(pk__in=[])
    if actor.can("case.view"):
        reach |= Q(case__in=cases_visible_to(actor))
    if actor.can("referral.respond"):
        reach |= Q(
            referral__provider=actor.organisation,
            referral__need=ServiceKind.LEGAL_AID,
            referral__status__in=REPRESENTING,
        )
    return LegalMatter.objects.filter(reach)


def may_see_matter(actor: Actor, matter: LegalMatter) -> bool:
    return matters_visible_to(actor).filter(pk=matter.pk).exists()


def require_matter_in_reach(actor: Actor, matter: LegalMatter) -> None:
    """For services: PermissionDenied unless the actor is on the case team or represents the child."""
    if not actor.can("case.edit") and not actor.can("referral.respond"):
        raise PermissionDenied("legal matters")
    if not may_see_matter(actor, matter):
        raise PermissionDenied("legal matter outside the actor's reach")


def matter_for(actor: Actor, matter_id: int) -> LegalMatter:
    matter = (
        matters_visible_to(actor)
        .select_related("case", "case__organisation", "case__owner", "jurisdiction", "referral__provider")
        .filter(pk=matter_id)
        .first()
    )
    if matter is None:
        raise Http404("legal matter")
    return matter


def hearing_for(actor: Actor, hearing_id: int) -> Hearing:
    hearing = (
        Hearing.objects.select_related("matter__case")
        .filter(pk=hearing_id, matter__in=matters_visible_to(actor))
        .first()
    )
    if hearing is None:
        raise Http404("hearing")
    return hearing


def measure_for(actor: Actor, measure_id: int) -> ProtectionMeasure:
    measure = (
        ProtectionMeasure.objects.select_related("matter__case")
        .filter(pk=measure_id, matter__in=matters_visible_to(actor))
        .first()
    )
    if measure is None:
        raise Http404("protection measure")
    return measure


def report_duty_for(actor: Actor, report_duty_id: int) -> ReportDuty:
    """A duty on a report of the actor's own organisation, for its operators to mark as met."""
    actor.require("report.triage")
    report_duty = (
        ReportDuty.objects.select_related("report", "duty")
        .filter(pk=report_duty_id, report__organisation=actor.organisation)
        .first()
    )
    if report_duty is None or actor.organisation is None:
        raise Http404("reporting duty")
    return report_duty
