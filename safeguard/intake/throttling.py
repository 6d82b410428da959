"""Rate limits for the public pages, counted in a small expiring table (``RateCounter``).

The client address is never stored: it is turned into a keyed digest (HMAC under the secret
key), hashed again with the group and the current fixed window into the counter's key, and the
row expires with the window. The table therefore holds neither addresses nor anything that can
be reversed into one by trying all of them. On PostgreSQL the table is UNLOGGED (see migration
0002): counters never reach the write-ahead log, backups or replicas.

Counting is one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` in autocommit, so it is shared
by every gunicorn worker and costs one round trip; Django's database cache needed four
statements and a commit (read, count the table for culling, read again, write). It runs
outside the report's transaction on purpose: a counter row locked until a report commits would
queue every request from the same address behind it. See docs/decisions/011-intake-throughput.md.
"""

from __future__ import annotations

import hashlib
import random
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from safeguard.core.clientaddress import client_address
from safeguard.intake.models import RateCounter

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PURGE_EVERY = 500  # on average, one hit in this many deletes the expired counters

_TABLE = RateCounter._meta.db_table


def _client_digest(request: HttpRequest) -> str:
    # The address as seen through trusted proxies only (SAFEGUARD_TRUSTED_PROXIES), used here
    # in memory and kept only as this keyed digest.
    return salted_hmac("safeguard.intake.throttle", client_address(request)).hexdigest()


def _rate(name: str) -> tuple[int, int]:
    rate = getattr(settings, name)
    count, _, period = str(rate).partition("/")
    if not count.isdigit() or period not in PERIODS:
        raise ImproperlyConfigured(
            f"SAFEGUARD_{name.removeprefix('INTAKE_')} must look like '20/h', not {rate!r}."
        )
    return int(count), PERIODS[period]


def _key(group: str, subject: str, period: int) -> tuple[str, datetime]:
    """The counter's key for the current window, and when that window ends."""
    window = int(time.time() // period)
    key = hashlib.sha256(f"{group}|{subject}|{window}".encode()).hexdigest()
    return key, datetime.fromtimestamp((window + 1) * period, tz=UTC)


def _purge_expired() -> None:
    table = connection.ops.quote_name(_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE expires_at <= %s", [datetime.now(tz=UTC)])  # noqa: S608


def hit(request: HttpRequest | None, *, group: str, rate_setting: str, key: str | None = None) -> bool:
    """Count one request (of the client, or of ``key`` when given); True when it goes over the limit."""
    limit, period = _rate(rate_setting)
    if key is None:
        assert request is not None, "a request or a key is needed"
        key = _client_digest(request)
    counter_key, expires_at = _key(group, key, period)
    table = connection.ops.quote_name(_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [counter_key, expires_at],
        )
        count = cursor.fetchone()[0]
    if random.randrange(PURGE_EVERY) == 0:  # spreading the clean-up, not security
        _purge_expired()
    return count > limit


def exhausted(request: HttpRequest, *, group: str, rate_setting: str) -> bool:
    """True when the limit is already used up, without counting this request."""
    limit, period = _rate(rate_setting)
    counter_key, _ = _key(group, _client_digest(request), period)
    count = RateCounter.objects.filter(key=counter_key).values_list("count", flat=True).first()
    return (count or 0) >= limit
