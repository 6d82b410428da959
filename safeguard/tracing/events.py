"""Tracing steps on the child's case timeline; enquiries (not yet a case) in the audit log only."""

from __future__ import annotations

from typing import Any

from safeguard.accounts.access import Actor
from safeguard.cases.events import case_event
from safeguard.cases.models import CaseEvent, CaseEventKind
from safeguard.core.audit import audit_record
from safeguard.tracing.models import Enquiry, TracingRequest


def tracing_event(
    *, request: TracingRequest, kind: CaseEventKind, actor: Actor | None, detail: dict[str, Any] | None = None
) -> CaseEvent:
    """A step of ``request`` on its case's timeline and in the audit log (ids and codes only)."""
    return case_event(
        case=request.case, kind=kind, actor=actor, detail={"tracing_request_id": request.pk, **(detail or {})}
    )


def enquiry_event(
    *, enquiry: Enquiry, action: str, actor: Actor | None, detail: dict[str, Any] | None = None
) -> None:
    audit_record(
        action=f"tracing.enquiry_{action}",
        actor=actor,
        organisation=enquiry.organisation,
        target=enquiry,
        detail=detail or {},
    )
