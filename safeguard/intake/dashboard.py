"""Dashboard panels: the operator's queue at a glance, the liaison's escalations, notifications."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.core.navigation import Panel
from safeguard.intake import access, selectors
from safeguard.intake.choices import EscalationOutcome


def panels(request: HttpRequest) -> list[Panel]:
    actor = actor_for(request)
    found: list[Panel] = []
    if actor.organisation is not None and actor.can("report.triage"):
        found.append(
            Panel(_("Triage queue"), "intake/panels/queue.html", selectors.queue_counts(actor), order=10)
        )
    if actor.can("escalation.receive"):
        pending = access.escalations_for(actor).filter(outcome=EscalationOutcome.PENDING).count()
        found.append(
            Panel(_("Escalations"), "intake/panels/escalations.html", {"pending": pending}, order=12)
        )
    unread = selectors.unread_notifications(actor.user).count()
    if unread:
        found.append(
            Panel(_("Notifications"), "intake/panels/notifications.html", {"unread": unread}, order=5)
        )
    return found
