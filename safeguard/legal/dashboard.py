"""Dashboard panels: reporting duties past their deadline, and the coming hearings."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.core.navigation import Panel
from safeguard.legal.selectors import hearings_for, overdue_duties_for


def panels(request: HttpRequest) -> list[Panel]:
    actor = actor_for(request)
    found: list[Panel] = []
    overdue = overdue_duties_for(actor, limit=5)
    if overdue:
        found.append(
            Panel(_("Reporting duties overdue"), "legal/_panel_duties.html", {"duties": overdue}, order=11)
        )
    if actor.can("case.view") or actor.can("referral.respond"):
        hearings = [hearing for hearing in hearings_for(actor, days=14, include_past=0)][:5]
        if hearings:
            found.append(
                Panel(_("Coming hearings"), "legal/_panel_hearings.html", {"hearings": hearings}, order=26)
            )
    return found
