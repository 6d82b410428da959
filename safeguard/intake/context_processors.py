"""Template context for the public pages: the quick exit (decision 122)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def public(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        # Every page a visitor sees without signing in shows "Leave this site".
        "quick_exit": not (user is not None and user.is_authenticated),
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
