"""The report timeline: one typed ``ReportEvent`` per state change, written by the service.

Call ``report_event`` inside the change's transaction, after the change is saved. The audit log
is written by the services beside it, with its own actions; the timeline is what the report
page shows, in the reader's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from safeguard.accounts.access import Actor
from safeguard.intake.models import Report, ReportEvent, ReportEventKind


def report_event(
    *,
    report: Report,
    kind: ReportEventKind,
    actor: Actor | None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
    organisation_id: int | None = None,
) -> ReportEvent:
    """Append ``kind`` to the report's timeline: one INSERT.

    ``actor`` is None for the anonymous reporter and for the system (routing rules, raises by
    analytics). ``detail`` must hold ids and codes only, never personal data.
    ``organisation_id`` names the organisation that acted when it is not the actor's (the
    receiving organisation of a hand-over closed by the system).
    """
    event = ReportEvent(
        report=report,
        kind=kind,
        actor=actor.user if actor is not None else None,
        organisation_id=organisation_id
        or (actor.organisation.pk if actor is not None and actor.organisation else report.organisation_id),
        detail=detail or {},
    )
    if at is not None:
        event.at = at
    event.save(force_insert=True)
    return event
