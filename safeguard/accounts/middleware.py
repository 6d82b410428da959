from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from safeguard.accounts.access import mfa_verified, organisations_of, roles_in

ACTIVE_ORGANISATION_KEY = "active_organisation_id"

# Paths a signed-in user who has not yet passed MFA may still reach.
MFA_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/mfa/",
    "/accounts/password-reset/",
    "/accounts/reset/",
    "/static/",
    "/i18n/",
    "/report/",
    "/api/",
    "/learn/",
)


class MembershipMiddleware:
    """Sets ``request.organisation`` (the active one) and ``request.roles`` held there.

    It also activates the organisation's time zone for the request, so every date and time the
    ``when`` helper renders is in the viewer's organisation's zone (the installation's otherwise).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        request.roles = frozenset()  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            organisations = organisations_of(user)
            wanted = request.session.get(ACTIVE_ORGANISATION_KEY)
            active = next((org for org in organisations if org.pk == wanted), None)
            if active is None and organisations:
                active = organisations[0]
            request.organisation = active  # type: ignore[attr-defined]
            request.organisations = organisations  # type: ignore[attr-defined]
            request.roles = roles_in(user, active)  # type: ignore[attr-defined]
        if request.organisation is not None:  # type: ignore[attr-defined]
            timezone.activate(request.organisation.time_zone)  # type: ignore[attr-defined]
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequireMfaMiddleware:
    """A signed-in user reaches staff pages only after a second factor in this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        exempt = request.path == "/" or request.path.startswith(MFA_EXEMPT_PREFIXES)
        if user.is_authenticated and not mfa_verified(user) and not exempt:
            return redirect("accounts:mfa")
        return self.get_response(request)
