"""Rate limits for the public pages, kept only in the cache.

The client address is never stored: it is turned into a keyed digest (HMAC under the secret
key), hashed again with the group and the current fixed window into a cache key, and that key
expires with the window. A cache dump therefore holds neither addresses nor anything that can
be reversed into one by trying all of them. Counting is ``incr`` first (one round trip on the
hot path), ``add`` only when a window starts.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _client_digest(request: HttpRequest) -> str:
    return salted_hmac("safeguard.intake.throttle", request.META.get("REMOTE_ADDR", "")).hexdigest()


def _rate(name: str) -> tuple[int, int]:
    rate = getattr(settings, name)
    count, _, period = str(rate).partition("/")
    if not count.isdigit() or period not in PERIODS:
        raise ImproperlyConfigured(
            f"SAFEGUARD_{name.removeprefix('INTAKE_')} must look like '20/h', not {rate!r}."
        )
    return int(count), PERIODS[period]


def _key(group: str, subject: str, period: int) -> str:
    window = int(time.time() // period)
    return "intake:rl:" + hashlib.sha256(f"{group}|{subject}|{window}".encode()).hexdigest()


def hit(request: HttpRequest, *, group: str, rate_setting: str, key: str | None = None) -> bool:
    """Count one request; True when this one goes over the limit."""
    limit, period = _rate(rate_setting)
    cache_key = _key(group, key or _client_digest(request), period)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        count = 1 if cache.add(cache_key, 1, timeout=period) else cache.incr(cache_key)
    return count > limit


def exhausted(request: HttpRequest, *, group: str, rate_setting: str) -> bool:
    """True when the limit is already used up, without counting this request."""
    limit, period = _rate(rate_setting)
    return (cache.get(_key(group, _client_digest(request), period)) or 0) >= limit
