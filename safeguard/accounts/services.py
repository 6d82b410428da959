"""Writes for organisations, users, memberships, MFA devices and API tokens.

Each service checks the actor's permission itself (``actor.require`` for organisation admins,
``require_platform_admin`` for platform administrators; ``actor=None`` is the system, e.g. the
demo seeding), runs in one transaction, and records an audit event for every change. Services
on a user's own sign-in devices take that ``user``: they act on nobody else.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.access import Actor, require_platform_admin
from safeguard.accounts.mail import send_to_user
from safeguard.accounts.models import ApiToken, Membership, Organisation, RecoveryCodeDevice, User
from safeguard.accounts.roles import Role
from safeguard.accounts.scopes import SCOPES
from safeguard.core.audit import audit_record

ACCOUNT_SUBJECT = gettext_lazy("Your Safeguard account")

RECOVERY_CODE_COUNT = 10


@transaction.atomic
def organisation_create(
    *, name: str, slug: str, kind: str, country: str = "", actor: User | None = None
) -> Organisation:
    """A new organisation, created by a platform administrator (or the system: ``actor=None``)."""
    if actor is not None:
        require_platform_admin(actor)
    organisation = Organisation(name=name, slug=slug, kind=kind, country=country)
    organisation.full_clean()
    organisation.save()
    audit_record(action="organisation.created", actor=actor, organisation=organisation, target=organisation)
    return organisation


@transaction.atomic
def user_create(
    *,
    email: str,
    name: str,
    organisation: Organisation,
    roles: list[str],
    password: str | None,
    actor: User | None,
) -> User:
    """Create a user with the given roles in ``organisation``; ``password=None`` leaves none set.

    Only the system (``actor=None``) and platform administrators call this directly; organisation
    admins invite through ``user_invite``.
    """
    if actor is not None:
        require_platform_admin(actor)
    return _user_create(
        email=email, name=name, organisation=organisation, roles=roles, password=password, actor=actor
    )


def _user_create(
    *,
    email: str,
    name: str,
    organisation: Organisation,
    roles: list[str],
    password: str | None,
    actor: User | None,
) -> User:
    user = User.objects.create_user(email, password, name=name)
    for role in roles:
        Membership.objects.create(user=user, organisation=organisation, role=Role(role))
    audit_record(
        action="user.created",
        actor=actor,
        organisation=organisation,
        target=user,
        detail={"roles": sorted(roles)},
    )
    return user


@transaction.atomic
def user_invite(*, actor: Actor, email: str, name: str, roles: list[str], base_url: str) -> User:
    """Give ``email`` the ``roles`` in the actor's organisation, and tell them by e-mail.

    A new address gets an account and a link to choose a password; an address that already has
    an account elsewhere on the platform gains the roles here and is told so. Both answer the
    admin alike, so the form reveals nothing about other organisations' people.
    """
    actor.require("users.manage")
    organisation = actor.organisation
    assert organisation is not None  # users.manage is held only within an organisation
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = _user_create(
            email=email, name=name, organisation=organisation, roles=roles, password=None, actor=actor.user
        )
        _send_invitation(user=user, organisation=organisation, base_url=base_url)
        return user
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {"email": _("This person is already a member of your organisation: change their roles instead.")},
            code="already_member",
        )
    for role in sorted({Role(role).value for role in roles}):
        Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(action="user.added", actor=actor, target=user, detail={"roles": sorted(roles)})
    context = {"organisation": organisation, "link": base_url + reverse("accounts:login")}
    template = "accounts/email/added_to_organisation.txt"
    transaction.on_commit(lambda: send_to_user(user, ACCOUNT_SUBJECT, template, context))
    return user


@transaction.atomic
def organisation_create_with_admin(
    *,
    actor: User,
    name: str,
    slug: str,
    kind: str,
    country: str,
    admin_name: str,
    admin_email: str,
    base_url: str,
) -> Organisation:
    """A new organisation and its first organisation admin, who is e-mailed an invitation."""
    require_platform_admin(actor)
    organisation = organisation_create(name=name, slug=slug, kind=kind, country=country, actor=actor)
    admin = _user_create(
        email=admin_email,
        name=admin_name,
        organisation=organisation,
        roles=[Role.ORG_ADMIN.value],
        password=None,
        actor=actor,
    )
    _send_invitation(user=admin, organisation=organisation, base_url=base_url)
    return organisation


def _send_invitation(*, user: User, organisation: Organisation, base_url: str) -> None:
    link = base_url + reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"organisation": organisation, "link": link}
    transaction.on_commit(
        lambda: send_to_user(user, ACCOUNT_SUBJECT, "accounts/email/invitation.txt", context)
    )


@transaction.atomic
def membership_set_roles(*, actor: Actor, user: User, roles: list[str]) -> None:
    """Make ``roles`` exactly the roles ``user`` holds in the actor's organisation.

    The organisation keeps at least one active admin: its last one cannot give up the role.
    """
    actor.require("users.manage")
    organisation = actor.organisation
    assert organisation is not None  # users.manage is held only within an organisation
    wanted = {Role(role).value for role in roles}
    if user.is_service_account and Role.ORG_ADMIN.value in wanted:
        raise ValidationError(
            {
                "roles": _(
                    "A service account cannot be an organisation admin: give it only the roles its work needs."
                )
            },
            code="service_admin",
        )
    current = set(
        Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True)
    )
    if not current:
        raise PermissionDenied("not a member of your organisation")
    if not wanted:
        raise ValidationError(
            {
                "roles": _(
                    "Keep at least one role. To remove someone from your organisation, deactivate "
                    "them: that can be undone, and their roles come back with them."
                )
            },
            code="no_roles",
        )
    if Role.ORG_ADMIN.value in current - wanted and _is_last_active_admin(user, organisation):
        raise ValidationError(
            {
                "roles": _(
                    "%(name)s is the only active admin of this organisation. Make someone else an "
                    "admin first, so the organisation is never left without one."
                )
                % {"name": user.name or user.email}
            },
            code="last_admin",
        )
    Membership.objects.filter(user=user, organisation=organisation, role__in=current - wanted).delete()
    for role in sorted(wanted - current):
        Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(
        action="user.roles_changed",
        actor=actor.user,
        organisation=organisation,
        target=user,
        detail={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
    )


@transaction.atomic
def membership_set_active(*, actor: Actor, user: User, active: bool) -> None:
    """Deactivate or reactivate a member in the actor's organisation only (never oneself).

    The person keeps their account and their roles elsewhere; their API tokens for this
    organisation are revoked. Reactivation gives back the roles they held here.
    """
    actor.require("users.manage")
    memberships = Membership.objects.filter(user=user, organisation=actor.organisation)
    if not memberships.exists():
        raise PermissionDenied("not a member of your organisation")
    if user.pk == actor.user.pk and not active:
        raise ValidationError(
            _(
                "You cannot deactivate your own account. Another admin of your organisation can, "
                "once there is one."
            ),
            code="self_deactivation",
        )
    memberships.update(deactivated_at=None if active else timezone.now())
    if not active:
        ApiToken.objects.filter(user=user, organisation=actor.organisation, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    audit_record(action="member.reactivated" if active else "member.deactivated", actor=actor, target=user)


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> None:
    """A platform administrator deactivates or reactivates a person on the whole platform.

    Every organisation the person belongs to records it in its own audit log.
    """
    require_platform_admin(actor)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."), code="self_deactivation")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    organisation_ids = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    for organisation in Organisation.objects.filter(pk__in=organisation_ids).order_by("pk"):
        audit_record(
            action="user.activated" if active else "user.deactivated",
            actor=actor,
            organisation=organisation,
            target=user,
        )


def totp_device_begin(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator device whose secret the user is about to scan."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the device (its code was verified) and issue recovery codes, shown once."""
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user)
    audit_record(action="mfa.enrolled", actor=user, target=user)
    return codes


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    device, _ = RecoveryCodeDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    codes = device.issue_codes(RECOVERY_CODE_COUNT)
    audit_record(action="mfa.recovery_codes_issued", actor=user, target=user)
    return codes


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    name: str,
    scopes: Sequence[str] = (),
    expires_at: datetime | None = None,
    allowed_ips: Sequence[str] = (),
) -> tuple[ApiToken, str]:
    """Create a token acting in the actor's organisation; returns it and its key (shown once).

    ``scopes`` narrow it to areas of the API (``accounts.scopes``; none: unrestricted),
    ``expires_at`` ends it, ``allowed_ips`` (addresses or CIDR networks) limit where it is used from.
    """
    actor.require("account.manage_tokens")
    assert actor.organisation is not None  # account.manage_tokens is held only within an organisation
    return _token_issue(
        user=actor.user,
        organisation=actor.organisation,
        by=actor.user,
        name=name,
        scopes=scopes,
        expires_at=expires_at,
        allowed_ips=allowed_ips,
    )


def _token_issue(
    *,
    user: User,
    organisation: Organisation,
    by: User,
    name: str,
    scopes: Sequence[str],
    expires_at: datetime | None,
    allowed_ips: Sequence[str],
) -> tuple[ApiToken, str]:
    unknown = sorted(set(scopes) - SCOPES)
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    networks = []
    for value in allowed_ips:
        try:
            networks.append(str(ipaddress.ip_network(value.strip(), strict=False)))
        except ValueError:
            raise ValidationError(
                {"allowed_ips": _("Not an IP address or network: %(value)s") % {"value": value}}
            ) from None
    key = ApiToken.new_key()
    token = ApiToken(
        user=user,
        organisation=organisation,
        name=name,
        prefix=key[:10],
        key_hash=ApiToken.hash_key(key),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        allowed_ips=networks,
    )
    token.full_clean()
    token.save()
    detail = {
        "scopes": token.scopes,
        "expires_at": expires_at.isoformat() if expires_at else None,
        "allowed_ips": networks,
    }
    if user.pk != by.pk:
        detail["for_user"] = user.pk
    audit_record(action="api_token.created", actor=by, organisation=organisation, target=token, detail=detail)
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens."""
    actor.require("account.manage_tokens")
    if token.user_id != actor.user.pk:
        raise PermissionDenied("not your token")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(action="api_token.revoked", actor=actor.user, organisation=token.organisation, target=token)


def _is_last_active_admin(user: User, organisation: Organisation | None) -> bool:
    admins = Membership.objects.active().filter(organisation=organisation, role=Role.ORG_ADMIN)
    return set(admins.values_list("user_id", flat=True)) == {user.pk}


@transaction.atomic
def organisation_appoint_admin(
    *, actor: User, organisation: Organisation, email: str, name: str, base_url: str
) -> User:
    """A platform administrator makes someone an admin of ``organisation``; audited.

    An existing account (by e-mail) gains the role there; otherwise a new account is invited.
    This is how an organisation left without a working admin is repaired.
    """
    require_platform_admin(actor)
    user = User.objects.filter(email__iexact=email.strip()).first()
    invited = user is None
    if user is None:
        user = _user_create(
            email=email.strip(), name=name, organisation=organisation, roles=[], password=None, actor=actor
        )
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.ORG_ADMIN)
    audit_record(
        action="organisation.admin_appointed",
        actor=actor,
        organisation=organisation,
        target=user,
        detail={"invited": invited},
    )
    if invited or not user.has_usable_password():
        _send_invitation(user=user, organisation=organisation, base_url=base_url)
    return user


@transaction.atomic
def organisation_set_time_zone(*, actor: Actor, time_zone: str) -> Organisation:
    """An organisation admin sets the zone her staff read dates and times in; audited.

    Only the actor's own organisation changes; the name must be an IANA zone (``Europe/Madrid``).
    """
    actor.require("organisation.manage")
    organisation = actor.organisation
    assert organisation is not None  # organisation.manage is held only within an organisation
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    previous = organisation.time_zone
    organisation.time_zone = time_zone.strip()
    organisation.full_clean(validate_unique=False)
    organisation.save(update_fields=["time_zone"])
    audit_record(
        action="organisation.time_zone_changed",
        actor=actor.user,
        organisation=organisation,
        target=organisation,
        detail={"from": previous, "to": organisation.time_zone},
    )
    return organisation


# Service accounts (decision 142): machine integrations of one organisation. They hold roles
# like a person (never organisation admin), own API tokens their admins issue, and never sign
# in to the web pages: they have no password, and the sign-in backend refuses them.
SERVICE_ACCOUNT_DOMAIN = "service-accounts.invalid"


def _service_roles(roles: Sequence[str]) -> list[str]:
    wanted = sorted({Role(role).value for role in roles})
    if not wanted:
        raise ValidationError({"roles": _("Give the service account at least one role.")}, code="no_roles")
    if Role.ORG_ADMIN.value in wanted:
        raise ValidationError(
            {
                "roles": _(
                    "A service account cannot be an organisation admin: give it only the roles its work needs."
                )
            },
            code="service_admin",
        )
    return wanted


@transaction.atomic
def service_account_create(*, actor: Actor, name: str, roles: Sequence[str]) -> User:
    """A service account of the actor's organisation holding ``roles``; audited under the admin."""
    actor.require("users.manage")
    organisation = actor.organisation
    assert organisation is not None  # users.manage is held only within an organisation
    wanted = _service_roles(roles)
    email = f"{organisation.slug}-{secrets.token_hex(6)}@{SERVICE_ACCOUNT_DOMAIN}"
    account = User.objects.create_user(email, None, name=name.strip(), is_service_account=True)
    for role in wanted:
        Membership.objects.create(user=account, organisation=organisation, role=role)
    audit_record(action="service_account.created", actor=actor, target=account, detail={"roles": wanted})
    return account


def _require_service_account(actor: Actor, account: User) -> None:
    actor.require("users.manage")
    if (
        not account.is_service_account
        or not Membership.objects.filter(user=account, organisation=actor.organisation).exists()
    ):
        raise PermissionDenied("not a service account of your organisation")


@transaction.atomic
def service_account_set_roles(*, actor: Actor, account: User, roles: Sequence[str]) -> None:
    """Make ``roles`` exactly the service account's roles; a token's power follows at once."""
    _require_service_account(actor, account)
    membership_set_roles(actor=actor, user=account, roles=_service_roles(roles))


@transaction.atomic
def service_account_token_create(
    *,
    actor: Actor,
    account: User,
    name: str,
    scopes: Sequence[str] = (),
    expires_at: datetime | None = None,
    allowed_ips: Sequence[str] = (),
) -> tuple[ApiToken, str]:
    """Issue a token of the service account (key shown once), with the same limits as anyone's."""
    _require_service_account(actor, account)
    assert actor.organisation is not None
    return _token_issue(
        user=account,
        organisation=actor.organisation,
        by=actor.user,
        name=name,
        scopes=scopes,
        expires_at=expires_at,
        allowed_ips=allowed_ips,
    )


@transaction.atomic
def service_account_token_revoke(*, actor: Actor, account: User, token: ApiToken) -> None:
    _require_service_account(actor, account)
    if token.user_id != account.pk or token.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied("not this service account's token")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(action="api_token.revoked", actor=actor, target=token, detail={"for_user": account.pk})


@transaction.atomic
def service_account_set_active(*, actor: Actor, account: User, active: bool) -> None:
    """Disable (its tokens are revoked) or enable the service account in the organisation."""
    _require_service_account(actor, account)
    membership_set_active(actor=actor, user=account, active=active)


@transaction.atomic
def service_account_delete(*, actor: Actor, account: User) -> None:
    """Remove the service account for good: roles gone, tokens revoked, the account inactive.

    The row stays, so the audit log still names who acted.
    """
    _require_service_account(actor, account)
    ApiToken.objects.filter(user=account, revoked_at__isnull=True).update(revoked_at=timezone.now())
    Membership.objects.filter(user=account).delete()
    account.is_active = False
    account.save(update_fields=["is_active"])
    audit_record(action="service_account.deleted", actor=actor, target=account)
