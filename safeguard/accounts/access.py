"""Who may do what, in one place.

Every view and API endpoint asks this module before it reads or writes. A user acts within
one organisation at a time (their *active* organisation) with the roles their memberships
there give them. Nothing of one organisation is visible to another unless a feature shares it
explicitly (routing a report, referring or transferring a case) and checks that sharing in its
own ``access`` module, built on these predicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.accounts.models import ApiToken, Membership, Organisation, User
from safeguard.accounts.roles import Role

ALL_ROLES = frozenset(Role)

# The permission matrix: action → roles that may take it within their own organisation.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "dashboard.view": ALL_ROLES,
    "account.manage_tokens": ALL_ROLES,
    "users.manage": frozenset({Role.ORG_ADMIN}),
    "audit.view": frozenset({Role.ORG_ADMIN}),
    "organisation.manage": frozenset({Role.ORG_ADMIN}),
    "webhooks.manage": frozenset({Role.ORG_ADMIN}),
    # Reporting and triage
    "report.intake": frozenset({Role.OPERATOR, Role.SUPERVISOR}),
    "report.view": frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST}),
    "report.triage": frozenset({Role.OPERATOR, Role.SUPERVISOR}),
    "report.escalate": frozenset({Role.OPERATOR, Role.SUPERVISOR}),
    "routing.manage": frozenset({Role.ORG_ADMIN, Role.SUPERVISOR}),
    "channel.manage": frozenset({Role.ORG_ADMIN}),
    "escalation.receive": frozenset({Role.LIAISON}),
    "hotline.propose": frozenset({Role.ORG_ADMIN}),  # own entries; platform admins review (091)
    # Case management
    "case.view": frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    "case.edit": frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    "case.view_all": frozenset({Role.SUPERVISOR}),
    "case.approve": frozenset({Role.SUPERVISOR}),
    "case.merge": frozenset({Role.SUPERVISOR}),
    "case.override_consent": frozenset({Role.SUPERVISOR}),
    "team.manage": frozenset({Role.SUPERVISOR, Role.ORG_ADMIN}),
    # Caseload reports: counts only; a supervisor's over their teams, a programme manager's over
    # the organisation (decision 157).
    "case.reports": frozenset({Role.SUPERVISOR, Role.PROGRAMME_MANAGER}),
    "case.reports_organisation": frozenset({Role.PROGRAMME_MANAGER}),
    "referral.respond": frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    "directory.manage": frozenset({Role.ORG_ADMIN, Role.SUPERVISOR}),
    "directory.view": ALL_ROLES,
    "htcds.export": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "htcds.import": frozenset({Role.SUPERVISOR}),
    # Analytics and prevention
    "analytics.view": frozenset({Role.ANALYST, Role.SUPERVISOR}),
    "analytics.review": frozenset({Role.ANALYST}),
    "ads.import": frozenset({Role.ANALYST}),
    "risk.view": frozenset({Role.ANALYST, Role.PROGRAMME_MANAGER, Role.SUPERVISOR}),
    "risk.manage": frozenset({Role.ANALYST, Role.PROGRAMME_MANAGER}),
    # Collaboration between organisations (a task force also needs the user to take part in it)
    "taskforce.view": ALL_ROLES,
    "taskforce.create": frozenset({Role.SUPERVISOR, Role.ORG_ADMIN, Role.LIAISON}),
    "taskforce.manage": frozenset({Role.SUPERVISOR, Role.LIAISON}),
    "taskforce.agree": frozenset({Role.ORG_ADMIN}),
    "share.create": frozenset({Role.SUPERVISOR, Role.ANALYST, Role.LIAISON}),
    "request.send": frozenset({Role.LIAISON}),
    "request.respond": frozenset({Role.LIAISON, Role.SUPERVISOR}),
    "notice.view": frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.LIAISON}),
    "notice.respond": frozenset({Role.SUPERVISOR}),
    "collaboration.settings": frozenset({Role.ORG_ADMIN}),
    # Awareness and training
    "learning.manage": frozenset({Role.ORG_ADMIN, Role.PROGRAMME_MANAGER}),
    # Legal frameworks and legal aid (the registry's editors are platform admins and delegated editors)
    "legal.view": ALL_ROLES,
    "legal.duty_configure": frozenset({Role.ORG_ADMIN}),
    "legal.statistics": frozenset({Role.PROGRAMME_MANAGER, Role.SUPERVISOR}),
    # Safe releases beyond the organisation (k-anonymous records, differentially private counts)
    "release.view": frozenset({Role.SUPERVISOR, Role.PROGRAMME_MANAGER, Role.ORG_ADMIN, Role.ANALYST}),
    "release.prepare": frozenset({Role.SUPERVISOR, Role.PROGRAMME_MANAGER}),
    "release.approve": frozenset({Role.SUPERVISOR, Role.ORG_ADMIN}),
    "privacy.manage": frozenset({Role.ORG_ADMIN}),
}


@dataclass(frozen=True)
class Actor:
    """A user acting within their active organisation, with the roles they hold there."""

    user: User
    organisation: Organisation | None
    roles: frozenset[str]

    def can(self, action: str) -> bool:
        return can(self.user, action, self.organisation, roles=self.roles)

    def require(self, action: str) -> None:
        if not self.can(action):
            raise PermissionDenied(action)


def mfa_verified(user: Any) -> bool:
    """True once ``user`` passed the second factor in this session.

    django-otp's ``OTPMiddleware`` adds ``is_verified()`` to the request's user at run time; the
    stubs of ``User`` do not know it, so every caller asks here.
    """
    is_verified = getattr(user, "is_verified", None)
    if getattr(user, "is_service_account", False):
        return False  # a service account has no web session to verify: it uses API tokens only
    return bool(user is not None and user.is_authenticated and is_verified is not None and is_verified())


def roles_in(user: User, organisation: Organisation | None) -> frozenset[str]:
    if organisation is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        Membership.objects.active()
        .filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
    )


def can(
    user: Any, action: str, organisation: Organisation | None, *, roles: frozenset[str] | None = None
) -> bool:
    """True if ``user`` may take ``action`` within ``organisation``; unknown actions are denied."""
    allowed = PERMISSIONS.get(action)
    if allowed is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    held = roles if roles is not None else roles_in(user, organisation)
    return bool(held & {role.value for role in allowed})


def require(user: Any, action: str, organisation: Organisation | None) -> None:
    if not can(user, action, organisation):
        raise PermissionDenied(action)


def require_platform_admin(user: Any) -> None:
    """Platform administrators hold no organisation role; their pages and services ask this."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_platform_admin:
        raise PermissionDenied("platform administrators only")


def organisation_for_platform_admin(user: Any, organisation_id: int) -> Organisation:
    """Any organisation, for a platform administrator; everyone else is refused."""
    require_platform_admin(user)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("organisation")
    return organisation


def token_of_mine(actor: Actor, token_id: int) -> ApiToken:
    """One of the actor's own unrevoked API tokens; anyone else's is "not found"."""
    actor.require("account.manage_tokens")
    token = ApiToken.objects.filter(pk=token_id, user=actor.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404("token")
    return token


def organisations_of(user: User) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__user__is_active=True,
            memberships__deactivated_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def actor_for(request: Any) -> Actor:
    """The acting user of a request, as set up by ``MembershipMiddleware`` or API authentication.

    Takes a Django request or a DRF ``Request`` (whose Django request carries the organisation).
    """
    request = getattr(request, "_request", request)
    return Actor(
        user=request.user,
        organisation=getattr(request, "organisation", None),
        roles=getattr(request, "roles", frozenset()),
    )


def member_of_my_organisation(actor: Actor, user_id: int) -> User:
    """A user of the actor's organisation, for admin actions; anyone else is 'not found'."""
    user = (
        User.objects.filter(pk=user_id, memberships__organisation=actor.organisation).distinct().first()
        if actor.organisation
        else None
    )
    if user is None:
        raise PermissionDenied("not a member of your organisation")
    return user


def service_account_of_my_organisation(actor: Actor, account_id: int) -> User:
    """A service account of the actor's organisation, for its admins; anything else is "not found"."""
    actor.require("users.manage")
    account = (
        User.objects.filter(
            pk=account_id, is_service_account=True, memberships__organisation=actor.organisation
        )
        .distinct()
        .first()
        if actor.organisation
        else None
    )
    if account is None:
        raise Http404("service account")
    return account


def service_accounts_of(actor: Actor) -> list[User]:
    actor.require("users.manage")
    return list(
        User.objects.filter(
            is_service_account=True, is_active=True, memberships__organisation=actor.organisation
        )
        .distinct()
        .order_by("name", "pk")
    )
