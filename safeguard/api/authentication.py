"""API authentication: personal tokens (hashed at rest) and MFA-verified browser sessions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from safeguard.accounts.access import mfa_verified, roles_in
from safeguard.accounts.models import ApiToken
from safeguard.core.clientaddress import client_address


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token sgt_…``; the request acts in the token's organisation.

    An expired token is as unknown as a revoked one; a token with an address allow-list
    answers 401 from anywhere else (the client address as trusted proxies give it)."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Token <key>'.")
        key = header[1].decode("ascii", errors="replace")
        token = (
            ApiToken.objects.usable()
            .select_related("user", "organisation")
            .filter(key_hash=ApiToken.hash_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if not token.allows_address(client_address(request._request)):
            raise exceptions.AuthenticationFailed("This token may not be used from this address.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        django_request = request._request
        django_request.organisation = token.organisation
        django_request.roles = roles_in(token.user, token.organisation)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """A browser session counts only once the user has passed MFA in it."""

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = request._request.user
        if not mfa_verified(user):
            return None
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "safeguard.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "`Token sgt_…`"}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "safeguard.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
