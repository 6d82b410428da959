from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safeguard.portal.navigation import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():  # type: ignore[attr-defined]
        return {"nav_items": []}
    return {
        "nav_items": items_for(request),
        "active_organisation": getattr(request, "organisation", None),
        "my_organisations": getattr(request, "organisations", []),
    }
