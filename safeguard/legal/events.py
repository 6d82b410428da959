"""A legal matter's timeline: one typed event per state change, written with its audit event."""

from __future__ import annotations

from typing import Any

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.legal.models import LegalMatter, MatterEvent, MatterEventKind


def matter_event(
    *, matter: LegalMatter, kind: MatterEventKind, actor: Actor, detail: dict[str, Any] | None = None
) -> MatterEvent:
    """Append ``kind`` to the matter's timeline and to the audit log, inside the change's transaction.

    ``detail`` holds ids, codes and field names only, never personal data.
    """
    detail = {"case": matter.case_id, **(detail or {})}
    event = MatterEvent.objects.create(
        matter=matter, kind=kind, actor=actor.user, organisation=actor.organisation, detail=detail
    )
    audit_record(action=f"legal.matter.{kind}", actor=actor, target=matter, detail=detail)
    return event
