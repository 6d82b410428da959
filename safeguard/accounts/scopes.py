"""API token scopes: read or write, per area of the API.

A scope is ``<area>:read`` or ``<area>:write`` (write includes read). A token with no scopes is
unrestricted (what tokens were before scopes existed). Scopes only narrow a token: what it may do
is always also limited by its user's roles in its organisation, checked by the services.
The area of an endpoint is the app its view lives in (``safeguard.<app>.…``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

AREAS: dict[str, Any] = {
    "account": _("Account"),
    "reports": _("Reports and escalations"),
    "cases": _("Cases and referrals"),
    "directory": _("Service directory"),
    "analytics": _("Analytics"),
    "risk": _("Vulnerability mapping"),
    "collaboration": _("Collaboration"),
    "learning": _("Learning"),
    "legal": _("Legal"),
    "sharing": _("Safe sharing"),
    "webhooks": _("Webhooks"),
}
# The app a view is defined in → its area.
APP_AREAS = {"api": "account", "accounts": "account", "intake": "reports", "cases": "cases"}


def scope_choices() -> list[tuple[str, str]]:
    choices = []
    for area, label in AREAS.items():
        choices.append((f"{area}:read", _("%(area)s: read") % {"area": label}))
        choices.append((f"{area}:write", _("%(area)s: read and write") % {"area": label}))
    return choices


SCOPES = frozenset(value for area in AREAS for value in (f"{area}:read", f"{area}:write"))


def area_of(view: Any) -> str:
    parts = type(view).__module__.split(".")
    app = parts[1] if len(parts) > 1 and parts[0] == "safeguard" else parts[0]
    return APP_AREAS.get(app, app)


def allows(scopes: list[str], area: str, *, write: bool) -> bool:
    if not scopes:
        return True
    return f"{area}:write" in scopes or (not write and f"{area}:read" in scopes)
