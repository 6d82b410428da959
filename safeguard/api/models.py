"""What the API keeps of its own: the first answer to each idempotent write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguard.core.fields import EncryptedJSONField


class IdempotentRequest(models.Model):
    """A write sent with ``Idempotency-Key``: who sent it, a hash of the request, and the first
    answer (encrypted: it may hold personal data, such as a receipt code). ``status_code`` is
    empty while the first request runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40, help_text="token:<id> or session")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = EncryptedJSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="api_idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
