"""The one place webhooks hook in: every audit event written is offered to ``event_publish``.

Every state change already records an audit event in its own transaction, so webhook
deliveries are created in that transaction too (rolled back with it) and sent after commit.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from safeguard.core.models import AuditEvent


def on_audit_event(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from safeguard.webhooks.services import event_publish

        event_publish(event=instance)


def connect() -> None:
    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="webhooks.on_audit_event")
