"""Sign-in protection that cannot be turned against the people it protects.

- Failed passwords lock an account only for the client address they came from (django-axes
  with ``[["username", "ip_address"]]``), so an attacker elsewhere cannot lock a worker out.
- Each further lock of the same account and address within a day doubles the wait, up to a day.
- The account holder is told by e-mail, from a background task, so the answer to the attacker
  takes the same time whether or not the account exists.
- Password resets are rate-limited per client address and per e-mail, and the request only
  enqueues the work: it answers in the same time for every e-mail.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from axes.models import AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from safeguard.core.clientaddress import client_address

MAX_COOL_OFF = timedelta(days=1)
RESET_LIMIT_PER_ADDRESS = 5
RESET_LIMIT_PER_EMAIL = 3
RESET_WINDOW_SECONDS = 60 * 60


def _username(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")).strip().lower()


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long (account, address) stays locked: the base time, doubled per lock in the last day."""
    base = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    if request is None:
        return base
    locks = AccessFailureLog.objects.filter(
        username=_username(request),
        ip_address=client_address(request),
        locked_out=True,
        attempt_time__gte=timezone.now() - MAX_COOL_OFF,
    ).count()
    return min(base * 2 ** max(locks - 1, 0), MAX_COOL_OFF)


@receiver(user_locked_out)
def tell_the_account_holder(sender: Any, request: HttpRequest, username: str, **kwargs: Any) -> None:
    from safeguard.accounts.tasks import send_lockout_notice

    send_lockout_notice.enqueue(
        email=(username or "").strip().lower(), minutes=int(cool_off(request).total_seconds() // 60)
    )


def _hashed(value: str) -> str:
    # Counters are keyed by a keyed hash: the cache never holds an address or an e-mail.
    return hmac.new(settings.BLIND_INDEX_KEY, value.encode(), hashlib.sha256).hexdigest()[:32]


def reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count this reset request; False once the address or the e-mail is over its hourly limit."""
    allowed = True
    for key, limit in (
        (f"reset:addr:{_hashed(client_address(request))}", RESET_LIMIT_PER_ADDRESS),
        (f"reset:mail:{_hashed(email.strip().lower())}", RESET_LIMIT_PER_EMAIL),
    ):
        cache.add(key, 0, RESET_WINDOW_SECONDS)
        if cache.incr(key) > limit:
            allowed = False
    return allowed
