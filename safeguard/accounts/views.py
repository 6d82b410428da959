from __future__ import annotations

import base64
from io import BytesIO
from typing import Any, Literal, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts import services, signin
from safeguard.accounts.access import (
    actor_for,
    member_of_my_organisation,
    mfa_verified,
    organisation_for_platform_admin,
    token_of_mine,
)
from safeguard.accounts.forms import (
    ApiTokenForm,
    AppointAdminForm,
    InviteForm,
    OrganisationForm,
    PasswordResetRequestForm,
    RolesForm,
    SignInForm,
    TimeZoneForm,
    TokenForm,
)
from safeguard.accounts.middleware import ACTIVE_ORGANISATION_KEY
from safeguard.accounts.models import ApiToken, Membership, Organisation, default_organisation_for
from safeguard.accounts.permissions import platform_admin_view, staff_view
from safeguard.accounts.roles import Role
from safeguard.accounts.tasks import send_password_reset
from safeguard.core.audit import audit_record
from safeguard.core.forms import apply_service_errors, submitted

SETUP_DEVICE_KEY = "mfa_setup_device_id"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/dashboard/"


def _audit_sign_in_step(user: Any, action: str, **detail: str) -> None:
    audit_record(action=action, actor=user, organisation=default_organisation_for(user), detail=detail)


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert form.user is not None
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        _audit_sign_in_step(form.user, "auth.password_ok")
        response = redirect(f"/accounts/mfa/?next={_next_url(request)}")
        if form.user.language in dict(settings.LANGUAGES):
            _set_language_cookie(response, form.user.language)
        return response
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@csrf_exempt
def choose_language(request: HttpRequest) -> HttpResponse:
    """The language switcher. A public visitor's choice lives in the language cookie alone, sent
    without a CSRF token so that no other cookie is set (decision 090). A signed-in user's is also
    kept on their account, when the request carries their CSRF token: a forged request changes
    at most the cookie."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and _csrf_token_valid(request):
        user.language = language
        user.save(update_fields=["language"])
    return response


def _csrf_token_valid(request: HttpRequest) -> bool:
    """What Django's CSRF check says of this request, as it would for any view not exempt."""
    return CsrfViewMiddleware(_no_view).process_view(request, _no_view, (), {}) is None


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


SameSite = Literal["Lax", "Strict", "None", False] | None


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    """The cookie Django's own switcher sets, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        _audit_sign_in_step(request.user, "auth.signed_out")
    logout(request)
    return redirect("portal:home")


@login_required
def mfa(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: enrol an authenticator the first time, then verify a code."""
    if mfa_verified(request.user):
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return mfa_setup(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                # Passing MFA raises the session's privilege: a new session id, as at sign-in.
                request.session.cycle_key()
                otp_login(request, device)
                _audit_sign_in_step(request.user, "auth.signed_in", factor=type(device).__name__)
                return redirect(_next_url(request))
        _audit_sign_in_step(request.user, "auth.mfa_failed")
        form.add_error(
            "token", _("That code is not valid. Check your authenticator's clock, or use a recovery code.")
        )
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


def mfa_setup(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(
        pk=request.session.get(SETUP_DEVICE_KEY), user=request.user, confirmed=False
    ).first()
    if device is None:
        device = services.totp_device_begin(user=request.user)  # type: ignore[arg-type]
        request.session[SETUP_DEVICE_KEY] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = services.totp_device_confirm(user=request.user, device=device)  # type: ignore[arg-type]
            request.session.cycle_key()
            otp_login(request, device)
            del request.session[SETUP_DEVICE_KEY]
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "token", _("That code is not valid. Scan the code again and enter the six digits shown.")
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    qr_data = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "secret": secret, "qr": qr_data, "next": _next_url(request)},
    )


@staff_view()
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        codes = services.recovery_codes_issue(user=request.user)  # type: ignore[arg-type]
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/dashboard/"})
    return render(request, "accounts/recovery_codes_confirm.html")


@staff_view()
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("organisation", "")
    wanted = int(raw) if raw.isdigit() else None
    if not any(org.pk == wanted for org in request.organisations):  # type: ignore[attr-defined]
        raise PermissionDenied("not a member of that organisation")
    # Roles change with the organisation: a new session id, so an old one cannot carry them.
    request.session.cycle_key()
    request.session[ACTIVE_ORGANISATION_KEY] = wanted
    return redirect("portal:dashboard")


@staff_view("users.manage")
def users(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    memberships = Membership.objects.filter(
        organisation=actor.organisation, user__is_service_account=False
    ).select_related("user")
    people: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        entry = people.setdefault(membership.user_id, {"user": membership.user, "roles": [], "active": True})
        entry["roles"].append(membership.get_role_display())
        entry["active"] = membership.deactivated_at is None and membership.user.is_active
    form = InviteForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.user_invite(
            actor=actor,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            roles=form.cleaned_data["roles"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        ),
        _("Invitation sent to %(email)s.") % {"email": request.POST.get("email", "").strip().lower()},
    ):
        return redirect("accounts:users")
    people_list = sorted(people.values(), key=lambda entry: entry["user"].name.lower())
    return render(request, "accounts/users.html", {"people": people_list, "form": form})


@staff_view("users.manage")
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_for(request)
    person = member_of_my_organisation(actor, user_id)
    if request.method == "GET":
        audit_record(action="user.viewed", actor=actor.user, organisation=actor.organisation, target=person)
    current = list(
        Membership.objects.filter(user=person, organisation=actor.organisation).values_list("role", flat=True)
    )
    form = RolesForm(request.POST if request.method == "POST" else None, initial={"roles": current})
    if request.method == "POST":
        action = request.POST.get("action")
        if action in {"deactivate", "activate"}:
            try:
                services.membership_set_active(actor=actor, user=person, active=action == "activate")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("accounts:user_edit", user_id=person.pk)
        if submitted(
            request,
            form,
            lambda: services.membership_set_roles(actor=actor, user=person, roles=form.cleaned_data["roles"]),
            _("Roles updated."),
        ):
            return redirect("accounts:users")
    active_here = Membership.objects.filter(
        user=person, organisation=actor.organisation, deactivated_at__isnull=True
    ).exists()
    return render(
        request, "accounts/user_edit.html", {"person": person, "form": form, "active_here": active_here}
    )


@staff_view("organisation.manage")
def organisation_time_zone(request: HttpRequest) -> HttpResponse:
    """The organisation admin sets the zone her staff read dates and times in."""
    actor = actor_for(request)
    assert actor.organisation is not None  # organisation.manage is held only within an organisation
    form = TimeZoneForm(request.POST or None, initial={"time_zone": actor.organisation.time_zone})
    if submitted(
        request,
        form,
        lambda: services.organisation_set_time_zone(actor=actor, time_zone=form.cleaned_data["time_zone"]),
        _("Time zone saved."),
    ):
        return redirect("accounts:time_zone")
    return render(request, "accounts/time_zone.html", {"form": form, "now": timezone.now()})


@staff_view("account.manage_tokens")
def api_tokens(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                actor=actor,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                allowed_ips=form.address_list(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=actor.user)
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@staff_view("account.manage_tokens")
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = actor_for(request)
    services.api_token_revoke(actor=actor, token=token_of_mine(actor, token_id))
    messages.success(request, _("Token revoked."))
    return redirect("accounts:api_tokens")


def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link: the same answer, in the same time, whether or not the e-mail has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not signin.reset_allowed(request, email):
            return render(
                request, "accounts/password_reset.html", {"form": form, "limited": True}, status=429
            )
        send_password_reset.enqueue(email=email, domain=request.get_host(), use_https=request.is_secure())
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form}, status=400 if form.errors else 200)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)


@platform_admin_view
def organisations(request: HttpRequest) -> HttpResponse:
    """Platform admins create organisations, each with its first organisation admin."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.organisation_create_with_admin(
            actor=request.user,  # type: ignore[arg-type]
            name=data["name"],
            slug=data["slug"],
            kind=data["kind"],
            country=data["country"],
            admin_name=data["admin_name"],
            admin_email=data["admin_email"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        messages.success(request, _("Organisation created; its admin has been invited."))
        return redirect("accounts:organisations")
    listing = Organisation.objects.order_by("name").annotate(
        admins=Count(
            "memberships",
            filter=Q(memberships__role=Role.ORG_ADMIN, memberships__user__is_active=True),
        )
    )
    return render(request, "accounts/organisations.html", {"form": form, "organisations": listing})


@platform_admin_view
def organisation_admin(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """A platform admin appoints an organisation's admin, e.g. when it has none left."""
    organisation = organisation_for_platform_admin(request.user, organisation_id)
    form = AppointAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.organisation_appoint_admin(
                actor=request.user,  # type: ignore[arg-type]  # platform_admin_view: a signed-in User
                organisation=organisation,
                email=email,
                name=form.cleaned_data["name"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is now an admin of %(organisation)s.")
                % {"email": email, "organisation": organisation.name},
            )
            return redirect("accounts:organisations")
    admins = organisation.memberships.filter(role=Role.ORG_ADMIN).select_related("user")
    return render(
        request,
        "accounts/organisation_admin.html",
        {"form": form, "organisation": organisation, "admins": admins},
        status=400 if form.is_bound and form.errors else 200,
    )
