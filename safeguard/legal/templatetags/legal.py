"""Legal panels other apps' pages include: ``{% load legal %}{% legal_report_panel report %}``,
``{% legal_case_panel case %}`` and ``{% legal_common_instruments first second %}``.

Each computes over what the requesting user may see (``legal.access``), so including it adds
nothing a user could not reach on the legal pages themselves.
"""

from __future__ import annotations

from typing import Any

from django import template

from safeguard.accounts.access import actor_for
from safeguard.legal.selectors import (
    age_findings,
    chosen_provisions,
    common_instruments,
    duties_on_report,
    jurisdictions_for_place,
    matters_of_case,
)

register = template.Library()


@register.inclusion_tag("legal/_report_panel.html", takes_context=True)
def legal_report_panel(context: dict[str, Any], report: Any) -> dict[str, Any]:
    actor = actor_for(context["request"])
    jurisdictions = jurisdictions_for_place(report.country, report.subdivision)
    age_jurisdiction, findings = age_findings(report.youngest_age, report.country, report.subdivision)
    owner = actor.organisation is not None and report.organisation_id == actor.organisation.pk
    return {
        "report": report,
        "jurisdictions": jurisdictions,
        "illustrative": any(item.is_illustrative for item in jurisdictions),
        "duties": duties_on_report(report),
        "provisions": chosen_provisions(report),
        "age_findings": findings,
        "age_jurisdiction": age_jurisdiction,
        "can_fulfil": owner and actor.can("report.triage"),
        "can_choose": owner and actor.can("report.escalate"),
    }


@register.inclusion_tag("legal/_case_panel.html", takes_context=True)
def legal_case_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    actor = actor_for(context["request"])
    person = case.person
    age = context.get("age")
    if age is None:
        from django.utils import timezone

        age = person.age_on(timezone.localdate())
    country = case.exploitation_place.split("-")[0] if case.exploitation_place else person.country
    subdivision = case.exploitation_place if "-" in (case.exploitation_place or "") else person.subdivision
    age_jurisdiction, findings = age_findings(age, country, subdivision)
    return {
        "case": case,
        "matters": matters_of_case(actor, case),
        "age_findings": findings,
        "age_jurisdiction": age_jurisdiction,
        "can_edit": actor.can("case.edit") and case.is_open,
    }


@register.inclusion_tag("legal/_common_instruments.html")
def legal_common_instruments(first: Any, second: Any) -> dict[str, Any]:
    """Instruments both organisations' countries are party to, for a cross-border request."""
    first_country, second_country = getattr(first, "country", ""), getattr(second, "country", "")
    return {
        "instruments": common_instruments(first_country, second_country),
        "countries": [code for code in (first_country, second_country) if code],
    }
