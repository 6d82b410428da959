"""Dashboard panels: task-force work and requests waiting, and match notices to look at."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.collaboration import access, selectors
from safeguard.core.navigation import Panel


def panels(request: HttpRequest) -> list[Panel]:
    actor = actor_for(request)
    found: list[Panel] = []
    task_forces = list(access.taskforces_visible_to(actor)[:5])
    if task_forces:
        found.append(
            Panel(
                _("Task forces"),
                "collaboration/_panel_task_forces.html",
                {
                    "task_forces": task_forces,
                    "actions": selectors.open_actions_of(actor)[:5],
                    "overdue": selectors.overdue_requests(actor),
                    "notifications": list(selectors.notifications_for(actor)[:5]),
                },
                order=40,
            )
        )
    if actor.can("notice.view"):
        count = selectors.notices_open_count(actor)
        if count:
            found.append(
                Panel(_("Match notices"), "collaboration/_panel_notices.html", {"count": count}, order=41)
            )
    return found
