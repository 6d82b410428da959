from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safeguard.accounts.access import mfa_verified
from safeguard.portal.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not mfa_verified(user):
        return {"nav_items": []}
    return {
        "nav_items": items_for(request),
        "active_organisation": getattr(request, "organisation", None),
        "my_organisations": getattr(request, "organisations", []),
    }
