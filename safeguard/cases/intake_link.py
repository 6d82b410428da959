"""Opening a case from a report of the ``intake`` app (cases read intake; intake never reads cases)."""

from __future__ import annotations

from typing import Any

from safeguard.accounts.access import Actor
from safeguard.core.picklists import ExploitationType, Gender
from safeguard.intake.models import Report


def report_prefill(actor: Actor, report_id: str | int | None) -> tuple[dict[str, Any], Report | None]:
    """Initial registration values from a report the actor's organisation received or was routed,
    and the report; an unknown id or another organisation's report gives nothing."""
    if actor.organisation is None or not str(report_id or "").isdigit():
        return {}, None
    report = Report.objects.visible_to_organisation(actor.organisation).filter(pk=int(str(report_id))).first()
    if report is None:
        return {}, None
    initial: dict[str, Any] = {"country": report.country, "subdivision": report.subdivision}
    children = [child for child in (report.children or []) if isinstance(child, dict)]
    if children:
        first = children[0]
        if str(first.get("age") or "").isdigit():
            initial["estimated_age"] = int(first["age"])
        if first.get("gender") in Gender.values:
            initial["gender"] = first["gender"]
    elif report.youngest_age is not None:
        initial["estimated_age"] = report.youngest_age
    kinds = [kind for kind in (report.exploitation_types or []) if kind in ExploitationType.values]
    if kinds:
        initial["exploitation_types"] = kinds
    return {key: value for key, value in initial.items() if value not in (None, "")}, report
