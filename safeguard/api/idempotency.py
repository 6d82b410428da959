"""``Idempotency-Key`` on every staff write: a repeated key gives the first answer again.

The key is remembered per user and credential (each token, or the browser session) with a
SHA-256 of the method, path and body. The same key again with the same request answers what
the first answered (with ``Idempotent-Replayed: true``) and runs nothing; with another request,
422; while the first is still running, 409. Only successful answers are kept: after an error
the client may correct the request and send it again with the same key. Keys are kept for
24 hours (a user's expired keys are removed when they next send one).

``claim`` runs in ``StaffAPIView.initial`` (after authentication and permissions), ``finish``
in its ``finalize_response``; see decision 140.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.models import ApiToken, User
from safeguard.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_PATTERN = r"^[!-~]{1,255}$"  # printable ASCII, no spaces
KEEP_FOR = timedelta(hours=24)
RUNNING_FOR = timedelta(minutes=5)  # a first request that never finished is given up after this
REPLAYED_HEADER = "Idempotent-Replayed"

_key = re.compile(KEY_PATTERN)


class Replay(exceptions.APIException):
    """Carries the first answer out of ``initial`` (the handler must not run)."""

    status_code = status.HTTP_200_OK

    def __init__(self, response: Response) -> None:
        super().__init__()
        self.response = response


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used for a different request."
    default_code = "idempotency_key_reused"


class StillRunning(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being processed; try again shortly."
    default_code = "idempotency_key_in_use"


def fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str, ensure_ascii=False)
    text = "\n".join([request.method or "", request.get_full_path(), body])
    return hashlib.sha256(text.encode()).hexdigest()


def _scope(request: Request) -> str:
    return f"token:{request.auth.pk}" if isinstance(request.auth, ApiToken) else "session"


def claim(request: Request) -> IdempotentRequest | None:
    """The row this write will fill in, or None without a key; raises ``Replay`` with the first
    answer, ``KeyReused`` or ``StillRunning``."""
    if request.method not in WRITE_METHODS or HEADER not in request.headers:
        return None
    key = request.headers[HEADER]
    if not _key.match(key):
        raise exceptions.ValidationError({HEADER: ["Use 1 to 255 printable ASCII characters, no spaces."]})
    user, scope, now = request.user, _scope(request), timezone.now()
    assert isinstance(user, User)  # a staff view has authenticated the caller
    mine = IdempotentRequest.objects.filter(user=user)
    mine.filter(created_at__lt=now - KEEP_FOR).delete()
    digest = fingerprint(request)
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                user=user,
                scope=scope,
                key=key,
                fingerprint=digest,
                method=request.method or "",
                path=request.path[:500],
            )
    except IntegrityError:
        pass
    row = mine.get(scope=scope, key=key)
    if row.fingerprint != digest:
        raise KeyReused()
    if row.status_code is None:
        if row.created_at >= now - RUNNING_FOR:
            raise StillRunning()
        taken = mine.filter(pk=row.pk, created_at=row.created_at).update(created_at=now)
        if not taken:
            raise StillRunning()
        return row
    raise Replay(Response(row.body, status=row.status_code, headers={REPLAYED_HEADER: "true"}))


def finish(row: IdempotentRequest, response: Response) -> None:
    """Keep a successful first answer; forget the key after an error."""
    if not 200 <= response.status_code < 300:
        IdempotentRequest.objects.filter(pk=row.pk).delete()
        return
    data = getattr(response, "data", None)
    row.status_code = response.status_code
    row.body = json.loads(JSONRenderer().render(data)) if data is not None else None
    row.save(update_fields=["status_code", "body"])
