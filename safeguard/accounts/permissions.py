"""View decorators that put every staff page behind sign-in, MFA and the permission matrix."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from safeguard.accounts.access import actor_for, mfa_verified


def staff_view(
    action: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Require a signed-in, MFA-verified user who may take ``action`` in their active organisation."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not mfa_verified(user):
                return redirect_to_login(request.get_full_path())
            if action is not None:
                actor_for(request).require(action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def platform_admin_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a signed-in, MFA-verified platform administrator."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not mfa_verified(user):
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_platform_admin", False):
            raise PermissionDenied("platform administrators only")
        return view(request, *args, **kwargs)

    return wrapped
