"""Who may call the staff API at all: a signed-in user who holds a role where they act."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from safeguard.accounts import scopes
from safeguard.accounts.access import actor_for
from safeguard.accounts.models import ApiToken


class HoldsARole(BasePermission):
    """A token or session whose user has no role left in its organisation answers only 403."""

    message = "Your account holds no role in this organisation."

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_for(request)
        return bool(actor.roles) or bool(getattr(actor.user, "is_platform_admin", False))


class TokenScopes(BasePermission):
    """A token limited to scopes may read (and write, with ``<area>:write``) only their areas;
    a session, or a token without scopes, is limited by its user's roles alone."""

    message = "This token's scopes do not cover this operation."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        write = request.method not in ("GET", "HEAD", "OPTIONS")
        return scopes.allows(token.scopes, scopes.area_of(view), write=write)
