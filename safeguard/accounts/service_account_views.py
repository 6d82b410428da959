"""Service account pages for organisation admins: the accounts, and one account's roles, tokens
and state. Every change goes through ``accounts.services`` and is audited under the admin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts import services
from safeguard.accounts.access import actor_for, service_account_of_my_organisation, service_accounts_of
from safeguard.accounts.forms import ApiTokenForm, ServiceAccountForm, ServiceRolesForm
from safeguard.accounts.models import ApiToken, Membership, Organisation, User
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import apply_service_errors, submitted


@staff_view("users.manage")
def service_accounts(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = ServiceAccountForm(request.POST or None)
    created: list[User] = []
    if submitted(
        request,
        form,
        lambda: created.append(services.service_account_create(actor=actor, **form.cleaned_data)),
        _("Service account created. Now give it a token."),
    ):
        return redirect("accounts:service_account", account_id=created[0].pk)
    accounts = [
        {
            "account": account,
            "roles": _roles(account, actor.organisation),
            "active": _active(account, actor.organisation),
        }
        for account in service_accounts_of(actor)
    ]
    return render(
        request,
        "accounts/service_accounts.html",
        {"accounts": accounts, "form": form},
        status=400 if form.errors else 200,
    )


def _roles(account: User, organisation: Organisation | None) -> list[str]:
    return [m.get_role_display() for m in Membership.objects.filter(user=account, organisation=organisation)]


def _active(account: User, organisation: Organisation | None) -> bool:
    return Membership.objects.active().filter(user=account, organisation=organisation).exists()


@staff_view("users.manage")
def service_account(request: HttpRequest, account_id: int) -> HttpResponse:
    actor = actor_for(request)
    account = service_account_of_my_organisation(actor, account_id)
    token_form = ApiTokenForm(request.POST if request.POST.get("form") == "token" else None, prefix="token")
    roles_form = ServiceRolesForm(
        request.POST if request.POST.get("form") == "roles" else None,
        initial={
            "roles": list(
                Membership.objects.filter(user=account, organisation=actor.organisation).values_list(
                    "role", flat=True
                )
            )
        },
        prefix="roles",
    )
    new_key = ""
    if request.method == "POST" and token_form.is_bound and token_form.is_valid():
        try:
            _token, new_key = services.service_account_token_create(
                actor=actor,
                account=account,
                name=token_form.cleaned_data["name"],
                scopes=token_form.cleaned_data["scopes"],
                expires_at=token_form.expires_at(),
                allowed_ips=token_form.address_list(),
            )
        except ValidationError as error:
            apply_service_errors(token_form, error)
        else:
            token_form = ApiTokenForm(prefix="token")
    if roles_form.is_bound and submitted(
        request,
        roles_form,
        lambda: services.service_account_set_roles(
            actor=actor, account=account, roles=roles_form.cleaned_data["roles"]
        ),
        _("Roles saved."),
    ):
        return redirect("accounts:service_account", account_id=account.pk)
    tokens = ApiToken.objects.filter(user=account, organisation=actor.organisation)
    return render(
        request,
        "accounts/service_account.html",
        {
            "account": account,
            "active": _active(account, actor.organisation),
            "roles": _roles(account, actor.organisation),
            "token_form": token_form,
            "roles_form": roles_form,
            "tokens": tokens,
            "new_key": new_key,
        },
        status=400 if token_form.errors or roles_form.errors else 200,
    )


@staff_view("users.manage")
@require_POST
def service_account_action(request: HttpRequest, account_id: int, action: str) -> HttpResponse:
    actor = actor_for(request)
    account = service_account_of_my_organisation(actor, account_id)
    if action in ("disable", "enable"):
        services.service_account_set_active(actor=actor, account=account, active=action == "enable")
        messages.success(
            request,
            _("Service account enabled.")
            if action == "enable"
            else _("Service account disabled; its tokens are revoked."),
        )
    elif action == "delete":
        services.service_account_delete(actor=actor, account=account)
        messages.success(request, _("Service account deleted; its tokens are revoked."))
        return redirect("accounts:service_accounts")
    else:
        raise Http404("action")
    return redirect("accounts:service_account", account_id=account.pk)


@staff_view("users.manage")
@require_POST
def service_account_token_revoke(request: HttpRequest, account_id: int, token_id: int) -> HttpResponse:
    actor = actor_for(request)
    account = service_account_of_my_organisation(actor, account_id)
    token = ApiToken.objects.filter(pk=token_id, user=account, revoked_at__isnull=True).first()
    if token is None:
        raise Http404("token")
    services.service_account_token_revoke(actor=actor, account=account, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:service_account", account_id=account.pk)
