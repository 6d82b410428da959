"""The case timeline: one typed event per state change, written with its audit event."""

from __future__ import annotations

from typing import Any

from safeguard.accounts.access import Actor
from safeguard.cases.models import Case, CaseEvent, CaseEventKind
from safeguard.core.audit import audit_record


def case_event(
    *, case: Case, kind: CaseEventKind, actor: Actor | None, detail: dict[str, Any] | None = None
) -> CaseEvent:
    """Append ``kind`` to the case's timeline and to the audit log; call inside the change's transaction.

    ``detail`` must hold ids and field names only.
    """
    user = actor.user if actor is not None else None
    organisation = actor.organisation if actor is not None and actor.organisation else case.organisation
    event = CaseEvent.objects.create(
        case=case, kind=kind, actor=user, organisation=organisation, detail=detail or {}
    )
    audit_record(
        action=f"case.{kind}", actor=user, organisation=organisation, target=case, detail=detail or {}
    )
    return event
