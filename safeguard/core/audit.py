"""Writing audit events. Call ``audit_record`` in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from safeguard.core import context
from safeguard.core.models import AuditEvent

# Tells "no organisation given" apart from an explicit ``None`` (a platform-wide event).
_UNSET: Any = object()


def audit_record(
    *,
    action: str,
    actor: Any = None,
    organisation: Any = _UNSET,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; never store personal data in ``detail``, only ids and field names.

    ``actor`` is a user, an ``accounts.access.Actor`` (whose organisation is then the default
    ``organisation``), or ``None`` for the system and anonymous reporters.
    """
    if hasattr(actor, "roles") and hasattr(actor, "user"):
        if organisation is _UNSET:
            organisation = actor.organisation
        actor = actor.user
    if organisation is _UNSET:
        organisation = None
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if is_user else None,
        actor_label=actor.email if is_user else "",
        organisation=organisation,
        object_type=object_type,
        object_id=str(object_id),
        request_id=context.request_id.get(),
        detail=detail or {},
    )
