"""The public map of safe aggregates: reports and cases by region and month, small counts suppressed.

An organisation admin turns it on (``public_map_set``, audited). What anyone then reads at
``/statistics/<slug>/map/`` is computed here, never a record:

- the organisation's reports (not those closed as duplicates) by their region (ISO 3166-2) and the
  month they were received, or its cases (not merged ones) by the child's region and the month they
  were registered, over the last twelve months, in the installation's time zone;
- a region appears only when its twelve-month count reaches the threshold, and each of its monthly
  counts is shown only when it reaches the threshold too — otherwise "fewer than N";
- the threshold is the organisation's statistics policy (``PrivacyBudget.threshold``, set on the
  privacy budget page), and never below ``MIN_THRESHOLD``;
- no totals, no sums over regions or months, no other breakdown are published, so a suppressed
  count cannot be recovered by subtraction.

The arithmetic (``suppress``) has no Django imports in its way and is tested on exact fixtures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.core.audit import audit_record
from safeguard.sharing import selectors
from safeguard.sharing.models import PublicMap

__all__ = [
    "KINDS",
    "MIN_THRESHOLD",
    "MONTHS",
    "PublicMapData",
    "month_keys",
    "public_map_data",
    "public_map_enabled",
    "public_map_set",
    "suppress",
    "threshold_of",
]

KINDS = ("reports", "cases")
MONTHS = 12
# However low an organisation sets its threshold, a public count below this is never shown.
MIN_THRESHOLD = 5


@dataclass(frozen=True)
class PublicMapData:
    kind: str
    months: list[str]  # "2026-01" … oldest first
    threshold: int
    areas: dict[str, dict[str, int | None]]  # region code → month → count, None when suppressed


def month_keys(today: dt.date, months: int = MONTHS) -> list[str]:
    """The ``months`` calendar months ending with ``today``'s, as ``YYYY-MM``, oldest first."""
    keys = []
    year, month = today.year, today.month
    for _step in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys[::-1]


def suppress(
    counts: Mapping[tuple[str, str], int], *, months: Sequence[str], threshold: int
) -> dict[str, dict[str, int | None]]:
    """Publishable counts: regions reaching ``threshold`` over ``months``, monthly counts below it hidden.

    ``counts`` maps (region, month) to a count; months outside ``months`` and empty region codes
    are ignored. A month a region has no record in counts as 0, so it is hidden like any count
    below the threshold (a threshold of 0 would publish it as 0).
    """
    totals: dict[str, int] = {}
    for (code, month), count in counts.items():
        if code and month in months:
            totals[code] = totals.get(code, 0) + count
    published: dict[str, dict[str, int | None]] = {}
    for code in sorted(totals):
        if totals[code] < max(threshold, 1):
            continue
        row: dict[str, int | None] = {}
        for month in months:
            count = counts.get((code, month), 0)
            row[month] = count if count >= threshold else None
        published[code] = row
    return published


def threshold_of(organisation: Organisation) -> int:
    """The organisation's statistics threshold, never below ``MIN_THRESHOLD``."""
    return max(selectors.budget_of(organisation).threshold, MIN_THRESHOLD)


def public_map_enabled(organisation: Organisation) -> bool:
    return PublicMap.objects.filter(organisation=organisation, enabled=True).exists()


def _monthly(queryset: QuerySet, *, region: str, at: str) -> dict[tuple[str, str], int]:
    rows = (
        queryset.exclude(**{region: ""})
        .annotate(month=TruncMonth(at))
        .values_list(region, "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {}
    for code, month, n in rows:
        key = (code, f"{month:%Y-%m}")
        counts[key] = counts.get(key, 0) + n
    return counts


def public_map_data(organisation: Organisation, *, kind: str, today: dt.date | None = None) -> PublicMapData:
    """What the public map of ``organisation`` shows for ``kind`` ("reports" or "cases")."""
    from safeguard.cases.models import Case, CaseStatus
    from safeguard.intake.choices import Outcome
    from safeguard.intake.models import Report

    if kind not in KINDS:
        raise ValueError(f"unknown kind: {kind}")
    today = today or timezone.localdate()
    months = month_keys(today)
    first = dt.datetime(int(months[0][:4]), int(months[0][5:]), 1, tzinfo=timezone.get_current_timezone())
    if kind == "reports":
        reports = Report.objects.filter(organisation=organisation, created_at__gte=first).exclude(
            Q(outcome=Outcome.DUPLICATE)
        )
        counts = _monthly(reports, region="subdivision", at="created_at")
    else:
        cases = Case.objects.filter(organisation=organisation, registered_at__gte=first).exclude(
            status=CaseStatus.MERGED
        )
        counts = _monthly(cases, region="person__subdivision", at="registered_at")
    threshold = threshold_of(organisation)
    return PublicMapData(
        kind=kind,
        months=months,
        threshold=threshold,
        areas=suppress(counts, months=months, threshold=threshold),
    )


def public_map_set(*, actor: Actor, enabled: bool) -> PublicMap:
    """Turn the organisation's public map on or off (organisation admins; audited)."""
    actor.require("privacy.manage")
    assert actor.organisation is not None
    with transaction.atomic():
        setting, _created = PublicMap.objects.select_for_update().get_or_create(
            organisation=actor.organisation
        )
        before = setting.enabled
        setting.enabled = enabled
        setting.updated_at = timezone.now()
        setting.updated_by = actor.user
        setting.save(update_fields=["enabled", "updated_at", "updated_by"])
        audit_record(
            action="sharing.public_map_updated",
            actor=actor,
            target=setting,
            detail={"before": before, "after": enabled},
        )
    return setting
