"""Opening a case from a report of the ``intake`` app.

Nothing here imports ``intake`` at module level, so the cases app keeps working (registration
simply starts empty) if intake is not installed.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from safeguard.accounts.access import Actor
from safeguard.cases import choices


def report_model() -> Any | None:
    try:
        return import_module("safeguard.intake.models").Report
    except (ImportError, AttributeError):
        return None


def report_prefill(actor: Actor, report_id: str | int | None) -> tuple[dict[str, Any], Any | None]:
    """Initial registration values from a report the actor's organisation received or was routed,
    and the report; an unknown id or another organisation's report gives nothing."""
    model = report_model()
    if model is None or not str(report_id or "").isdigit() or actor.organisation is None:
        return {}, None
    reports = model.objects.all()
    if hasattr(reports, "visible_to_organisation"):
        reports = reports.visible_to_organisation(actor.organisation)
    else:
        reports = reports.filter(organisation=actor.organisation)
    report = reports.filter(pk=int(report_id)).first()
    if report is None:
        return {}, None
    initial: dict[str, Any] = {"country": report.country, "subdivision": report.subdivision}
    children = [child for child in (getattr(report, "children", None) or []) if isinstance(child, dict)]
    if children:
        first = children[0]
        if str(first.get("age") or "").isdigit():
            initial["estimated_age"] = int(first["age"])
        if first.get("gender") in choices.Gender.values:
            initial["gender"] = first["gender"]
    elif getattr(report, "youngest_age", None) is not None:
        initial["estimated_age"] = report.youngest_age
    kinds = [
        kind
        for kind in (getattr(report, "exploitation_types", None) or [])
        if kind in choices.ExploitationType.values
    ]
    if kinds:
        initial["exploitation_types"] = kinds
    return {key: value for key, value in initial.items() if value not in (None, "")}, report
