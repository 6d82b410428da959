"""Dashboard panels of the foundation: the user's own account, for organisation admins their
organisation, and for platform admins the platform's background work (the figures of ``/health/``).

The task queue is shared by every organisation and its rows name no organisation, so its figures
are platform-wide and shown to platform admins only: an organisation admin would otherwise learn
how busy everyone else is."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.models import Membership, RecoveryCodeDevice
from safeguard.core.models import AuditEvent
from safeguard.core.navigation import Panel
from safeguard.core.tasks_health import task_health
from safeguard.portal.selectors import audit_lines


def panels(request: HttpRequest) -> list[Panel]:
    actor = actor_for(request)
    device = RecoveryCodeDevice.objects.filter(user=actor.user).first()
    found = [
        Panel(
            _("Your account"),
            "portal/panels/account.html",
            {"recovery_codes_left": device.remaining() if device else 0},
            order=1000,
        )
    ]
    if actor.can("users.manage"):
        members = Membership.objects.filter(organisation=actor.organisation)
        found.append(
            Panel(
                _("Your organisation"),
                "portal/panels/organisation.html",
                {
                    "active_users": members.filter(user__is_active=True).values("user").distinct().count(),
                    "inactive_users": members.filter(user__is_active=False).values("user").distinct().count(),
                    "recent_events": audit_lines(
                        AuditEvent.objects.for_organisation(actor.organisation).select_related("actor")[:5]
                    ),
                },
                order=900,
            )
        )
    if actor.user.is_platform_admin:
        found.append(
            Panel(
                _("Background work"),
                "portal/panels/background_work.html",
                {"tasks": task_health()},
                order=950,
            )
        )
    return found
