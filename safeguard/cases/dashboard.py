"""Dashboard panels: a caseworker's due and overdue work, a supervisor's pending approvals and
team workload, and referrals waiting for a provider's answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.cases.models import ReferralStatus
from safeguard.cases.selectors import caseworker_home, incoming_referrals, supervisor_overview
from safeguard.core.navigation import Panel


def panels(request: HttpRequest) -> list[Panel]:
    actor = actor_for(request)
    found: list[Panel] = []
    if actor.can("case.view"):
        found.append(
            Panel(_("My work"), "cases/_panel_home.html", {"home": caseworker_home(actor, limit=5)}, order=20)
        )
    if actor.can("case.approve"):
        found.append(
            Panel(
                _("Waiting for your approval"),
                "cases/_panel_supervision.html",
                {"overview": supervisor_overview(actor, limit=5)},
                order=21,
            )
        )
    if actor.can("referral.respond"):
        pending = incoming_referrals(actor, status=ReferralStatus.PENDING)
        found.append(
            Panel(
                _("Referrals to answer"),
                "cases/_panel_referrals.html",
                {"referrals": list(pending[:5]), "count": pending.count()},
                order=22,
            )
        )
    return found
