"""Reads for releases: the de-identified source table of an organisation, budgets, public pages.

The source of a release is the organisation's case records whose child (or guardian) gave
consent to the use of their data for statistics, not withdrawn — HTCDS columns without any
direct identifier, names, contacts or free text. It never leaves the worker: only the release
computed from it is stored.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
from babel.core import get_global
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from safeguard.accounts.models import Organisation
from safeguard.cases.models import Case, ConsentScope
from safeguard.sharing.models import BudgetEntry, PrivacyBudget, Release

SEPARATOR = ";"

# column → what it holds (the data dictionary of every release)
SOURCE_COLUMNS = {
    "vic_AgeWhenTrafficked": _("Age of the child or survivor when trafficked, in years"),
    "prs_Gender": _("Gender (HTCDS picklist)"),
    "prs_Citizenship": _("First citizenship (ISO 3166-1 alpha-2)"),
    "vic_CountryOfExploitation": _("Country of exploitation (ISO 3166-1 alpha-2)"),
    "cas_YearOfRegistration": _("Year the case was registered"),
    "vic_TypeOfExploitation": _("Types of exploitation (HTCDS picklist, ; separated)"),
    "vic_TraffickingStatus": _("Trafficking status (HTCDS picklist)"),
    "vic_MethodOfRecruitment": _("Methods of recruitment (HTCDS picklist, ; separated)"),
    "vic_RelationshipToTrafficker": _("Relationship to the trafficker (HTCDS picklist)"),
    "cas_Status": _("Case status (HTCDS picklist)"),
}
# What a de-identified share of a case shows, in HTCDS columns: a task force's shared cases are
# released in these only (no exact age, no recruitment or relationship to the trafficker).
TASK_FORCE_COLUMNS = (
    "prs_Gender",
    "prs_Citizenship",
    "vic_CountryOfExploitation",
    "cas_YearOfRegistration",
    "vic_TypeOfExploitation",
    "cas_Status",
)
TASK_FORCE_QUASI_IDENTIFIERS = [
    "prs_Gender",
    "prs_Citizenship",
    "vic_CountryOfExploitation",
    "cas_YearOfRegistration",
]

DEFAULT_QUASI_IDENTIFIERS = [
    "vic_AgeWhenTrafficked",
    "prs_Gender",
    "prs_Citizenship",
    "vic_CountryOfExploitation",
    "cas_YearOfRegistration",
]
COUNT_COLUMNS = {
    "vic_CountryOfExploitation": _("country of exploitation"),
    "cas_YearOfRegistration": _("year"),
    "vic_TypeOfExploitation": _("type of exploitation"),
    "age_band": _("age band"),
    "prs_Gender": _("gender"),
}


def consenting_cases(organisation: Organisation) -> QuerySet[Case]:
    consented = Case.objects.filter(
        organisation=organisation,
        consents__scope=ConsentScope.STATISTICS,
        consents__withdrawn_at__isnull=True,
    )
    return Case.objects.filter(pk__in=consented.values("pk")).select_related("person")


def _age_band(age: int | None) -> str:
    if age is None:
        return ""
    return f"{age - age % 5}-{age - age % 5 + 4}"


def _case_row(case: Case) -> dict[str, str]:
    person = case.person
    return {
        "vic_AgeWhenTrafficked": "" if case.age_when_trafficked is None else str(case.age_when_trafficked),
        "prs_Gender": person.gender or "",
        "prs_Citizenship": (person.citizenships or [""])[0],
        "vic_CountryOfExploitation": (case.exploitation_place or "")[:2],
        "cas_YearOfRegistration": str(case.registered_at.year),
        "vic_TypeOfExploitation": SEPARATOR.join(sorted(case.exploitation_types or [])),
        "vic_TraffickingStatus": case.trafficking_status or "",
        "vic_MethodOfRecruitment": SEPARATOR.join(sorted(case.recruitment_methods or [])),
        "vic_RelationshipToTrafficker": case.relationship_to_trafficker or "",
        "cas_Status": case.htcds_status or "",
    }


def _table(cases: QuerySet[Case], columns: list[str]) -> pd.DataFrame:
    table = pd.DataFrame([_case_row(case) for case in cases.order_by("pk")], columns=list(SOURCE_COLUMNS))
    table = table[columns].copy()
    if "vic_AgeWhenTrafficked" in columns:
        table["age_band"] = [_age_band(int(age)) if age else "" for age in table["vic_AgeWhenTrafficked"]]
    else:
        table["age_band"] = ""
    return table


def source_table(organisation: Organisation) -> tuple[pd.DataFrame, int]:
    """The de-identified source rows and how many of the organisation's cases were left out."""
    table = _table(consenting_cases(organisation), list(SOURCE_COLUMNS))
    left_out = Case.objects.filter(organisation=organisation).count() - len(table)
    return table, left_out


def task_force_table(share_ids: list[int]) -> tuple[pd.DataFrame, int]:
    """Rows of the cases still shared (active) among ``share_ids``, in the columns a de-identified
    share shows (``TASK_FORCE_COLUMNS``), and how many were left out for want of statistics consent."""
    from safeguard.collaboration.models import ItemType, Share

    case_ids = set(
        Share.objects.active()
        .filter(pk__in=share_ids, item_type=ItemType.CASE)
        .values_list("item_id", flat=True)
    )
    consented = Case.objects.filter(
        pk__in=case_ids, consents__scope=ConsentScope.STATISTICS, consents__withdrawn_at__isnull=True
    )
    cases = Case.objects.filter(pk__in=consented.values("pk")).select_related("person")
    table = _table(cases, list(TASK_FORCE_COLUMNS))
    return table, len(case_ids) - len(table)


@cache
def country_regions() -> dict[str, list[str]]:
    """Country → [continent]: the region hierarchy places generalise up, from CLDR time zones.

    A country's time zones name their areas (Europe/…, Africa/…, America/…): the most frequent
    land area wins (ties in the order below, so Spain with Africa/Ceuta is in Europe); a country
    with only ocean zones (Atlantic/…, Indian/…, Pacific/…) takes that ocean's region.
    """
    order = ["Europe", "Asia", "America", "Africa", "Australia"]
    regions_of_area = {"America": "Americas", "Australia": "Oceania", "Pacific": "Oceania", "Indian": "Asia"}
    regions: dict[str, list[str]] = {}
    for country, zones in get_global("territory_zones").items():
        areas = [zone.split("/")[0] for zone in zones]
        land = [area for area in areas if area in order]
        if len(country) != 2 or not areas:
            continue
        area = min(set(land), key=lambda name: (-land.count(name), order.index(name))) if land else areas[0]
        regions[country] = [regions_of_area.get(area, area)]
    return regions


def budget_of(organisation: Organisation) -> PrivacyBudget:
    budget = PrivacyBudget.objects.filter(organisation=organisation).first()
    return budget or PrivacyBudget(organisation=organisation)


def epsilon_spent(organisation: Organisation) -> float:
    total = BudgetEntry.objects.filter(organisation=organisation).aggregate(total=Sum("epsilon"))["total"]
    return float(total or 0.0)


def published_releases(organisation: Organisation) -> QuerySet[Release]:
    return Release.objects.published().filter(organisation=organisation).order_by("-decided_at", "-id")
