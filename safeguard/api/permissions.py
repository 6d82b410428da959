"""Who may call the staff API at all: a signed-in user who holds a role where they act."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from safeguard.accounts.access import actor_for


class HoldsARole(BasePermission):
    """A token or session whose user has no role left in its organisation answers only 403."""

    message = "Your account holds no role in this organisation."

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_for(request)
        return bool(actor.roles) or bool(getattr(actor.user, "is_platform_admin", False))
