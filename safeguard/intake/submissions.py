"""The public form's one-time submission token and its receipt page (decision 120).

No cookie and no session (decision 090): the token travels in the form itself.

- ``issue()`` gives a signed random token (``django.core.signing``, with its issue time) that
  every step of the form carries as a hidden field.
- The receipt page's key is ``HMAC(SECRET_KEY, token)``; the database keeps only the SHA-256 of
  that key (``PublicSubmission.key_hash``). A replayed POST of the same token derives the same
  key, finds the row and is sent to the same page: nothing is stored twice.
- The receipt waits for the first view of the page sealed (AES-GCM) under a second key derived
  from the page's key, so neither a reader of the database nor a reader of the logs can open it;
  the first view shows it and empties the seal.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.intake.choices import Channel
from safeguard.intake.models import PublicSubmission, Report
from safeguard.intake.services.submission import ReportInput, report_submit

SALT = "safeguard.intake.submission-token"
KEY_PATTERN = r"[A-Za-z0-9_-]{43}"


def issue() -> str:
    """A fresh one-time submission token for a new form."""
    return signing.dumps(secrets.token_urlsafe(18), salt=SALT, compress=False)


def valid(token: str) -> bool:
    """Whether ``token`` is one we issued and not older than ``SUBMISSION_TOKEN_HOURS``."""
    if not token or len(token) > 200:
        return False
    try:
        signing.loads(token, salt=SALT, max_age=timedelta(hours=settings.INTAKE_SUBMISSION_TOKEN_HOURS))
    except signing.BadSignature:  # also SignatureExpired
        return False
    return True


def page_key(token: str) -> str:
    """The receipt page's key for a token: 43 URL-safe characters, the same for every replay."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"receipt-page:" + token.encode(), hashlib.sha256
    ).digest()
    return signing.b64_encode(digest).decode()


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _seal_key(key: str) -> bytes:
    return hashlib.sha256(b"receipt-seal:" + key.encode()).digest()


def _seal(key: str, receipt: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(_seal_key(key)).encrypt(nonce, receipt.encode(), None)


def _unseal(key: str, sealed: bytes) -> str:
    return AESGCM(_seal_key(key)).decrypt(sealed[:12], sealed[12:], None).decode()


def replayed(token: str) -> bool:
    """Whether this token already sent a report (a replay stores nothing and is not counted)."""
    return valid(token) and PublicSubmission.objects.filter(key_hash=_key_hash(page_key(token))).exists()


@dataclass(frozen=True)
class Sent:
    key: str  # the receipt page's key
    created: bool  # False: a replay, nothing was stored


def submit_once(*, token: str, data: ReportInput) -> Sent:
    """Store the report unless this token already sent one; either way, the receipt page's key.

    A token that we did not issue or that expired is replaced by a fresh one: the report is never
    refused for it (it just cannot be recognised if it is sent again).
    """
    if not valid(token):
        token = issue()
    key = page_key(token)
    key_hash = _key_hash(key)
    if PublicSubmission.objects.filter(key_hash=key_hash).exists():
        return Sent(key=key, created=False)
    try:
        with transaction.atomic():
            # The row first: of two sendings racing with one token, the second fails here.
            record = PublicSubmission.objects.create(key_hash=key_hash, language=data.language)
            submission = report_submit(data=data, channel=Channel.WEB)
            record.report = submission.report
            record.sealed_receipt = _seal(key, submission.receipt)
            record.save(update_fields=["report", "sealed_receipt"])
    except IntegrityError:
        if PublicSubmission.objects.filter(key_hash=key_hash).exists():
            return Sent(key=key, created=False)
        raise
    return Sent(key=key, created=True)


@dataclass(frozen=True)
class ReceiptPage:
    report: Report
    language: str
    receipt: str  # "" once it has been shown


def open_page(key: str) -> ReceiptPage | None:
    """The receipt page for ``key``: the receipt the first time, afterwards the page without it."""
    if not re.fullmatch(KEY_PATTERN, key):
        return None
    forget_stale_receipts()
    with transaction.atomic():
        record = (
            PublicSubmission.objects.select_for_update()
            .select_related("report")
            .filter(key_hash=_key_hash(key), report__isnull=False)
            .first()
        )
        if record is None or record.report is None:
            return None
        receipt = ""
        sealed = bytes(record.sealed_receipt)
        if sealed:
            receipt = _unseal(key, sealed)
            record.sealed_receipt = b""
            record.shown_at = timezone.now()
            record.save(update_fields=["sealed_receipt", "shown_at"])
        return ReceiptPage(report=record.report, language=record.language, receipt=receipt)


def forget_stale_receipts() -> int:
    """Empty receipts never viewed within ``SUBMISSION_RECEIPT_HOURS`` and forget tokens that
    expired (a token older than ``SUBMISSION_TOKEN_HOURS`` is not accepted any more)."""
    now = timezone.now()
    unseen = PublicSubmission.objects.filter(
        created_at__lt=now - timedelta(hours=settings.INTAKE_SUBMISSION_RECEIPT_HOURS)
    ).exclude(sealed_receipt=b"")
    emptied = unseen.update(sealed_receipt=b"")
    old = now - timedelta(hours=settings.INTAKE_SUBMISSION_TOKEN_HOURS + 1)
    deleted, _ = PublicSubmission.objects.filter(created_at__lt=old).delete()
    return emptied + deleted
