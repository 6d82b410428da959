"""Opening a case from a report of the ``intake`` app (cases read intake; intake never reads cases)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.accounts.access import Actor
from safeguard.core.picklists import ExploitationType, Gender
from safeguard.intake.choices import WORKING_HANDOVERS
from safeguard.intake.models import Report, ReportQuerySet, ReportRoute


def reports_to_open_cases_from(actor: Actor) -> ReportQuerySet:
    """The organisation's own reports and those handed over to it that it accepted; a report
    merely offered (or declined) opens no case until the hand-over is accepted."""
    accepted = ReportRoute.objects.filter(organisation=actor.organisation, status__in=WORKING_HANDOVERS)
    return Report.objects.filter(Q(organisation=actor.organisation) | Q(pk__in=accepted.values("report_id")))


def report_prefill(actor: Actor, report_id: str | int | None) -> tuple[dict[str, Any], Report | None]:
    """Initial registration values from a report the actor's organisation received or accepted
    as a hand-over, and the report; an unknown id or another organisation's report gives nothing.

    Data minimisation, as for referrals: only the first child's age and gender, the place's
    country and region and the kinds of exploitation travel; never names, the narrative, the
    reporter or the identifiers. The child's consent is then recorded in the case itself."""
    if actor.organisation is None or not str(report_id or "").isdigit():
        return {}, None
    report = reports_to_open_cases_from(actor).filter(pk=int(str(report_id))).first()
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
