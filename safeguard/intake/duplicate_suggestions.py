"""Reads for duplicate suggestions on a report's triage page (selectors).

Only the receiving organisation's own reports are ever compared or suggested: a report routed
in from another organisation, or another organisation's report, never appears (its narrative
is not the viewer's to compare, and a merge needs both reports in one organisation). Candidates
are the organisation's reports (not merged into another) received within ``WINDOW`` of the report, at most
``MAX_CANDIDATES`` of the nearest in time, plus every report sharing an identifier.
The triage queue shows, beside each of its rows, the most likely duplicate (``duplicate_hints``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext, ngettext

from safeguard.accounts.access import Actor
from safeguard.intake import duplicates
from safeguard.intake.access import reports_visible_to
from safeguard.intake.choices import IdentifierKind
from safeguard.intake.models import NotDuplicate, Report, ReportIdentifier

WINDOW = timedelta(days=30)
MAX_CANDIDATES = 400


@dataclass(frozen=True)
class DuplicateSuggestion:
    report: Report
    why: duplicates.Suggestion

    @property
    def shared_labels(self) -> list[str]:
        return [str(IdentifierKind(kind).label).lower() for kind in self.why.shared_kinds]

    @property
    def apart(self) -> str:
        hours = round(self.why.hours_apart or 0)
        if hours < 1:
            return gettext("less than an hour apart")
        return ngettext("%(n)d hour apart", "%(n)d hours apart", hours) % {"n": hours}

    @property
    def text_percent(self) -> int:
        return round(100 * self.why.text_similarity)


# What ``_facts`` reads, and the reference a hint shows.
FACT_FIELDS = (
    "reference", "organisation", "narrative", "created_at", "country", "subdivision", "place", "latitude", "longitude",
)  # fmt: skip


def _facts(report: Report, keys: dict[int, set[tuple[str, str]]]) -> duplicates.ReportFacts:
    return duplicates.ReportFacts(
        report_id=report.pk,
        narrative=report.narrative or "",
        identifier_keys=frozenset(keys.get(report.pk, set())),
        created_at=report.created_at,
        country=report.country,
        subdivision=report.subdivision,
        place=report.place or "",
        latitude=float(report.latitude) if report.latitude is not None else None,
        longitude=float(report.longitude) if report.longitude is not None else None,
    )


def duplicate_suggestions(actor: Actor, report: Report, *, limit: int = 5) -> list[DuplicateSuggestion]:
    """Likely duplicates of ``report`` among the actor's organisation's reports, with reasons.

    Empty unless the actor may triage the report (its receiving organisation). Pairs marked
    "not a duplicate" and reports already merged into another are left out.
    """
    if (
        actor.organisation is None
        or report.organisation_id != actor.organisation.pk
        or not actor.can("report.triage")
    ):
        return []
    if report.duplicate_of_id:
        return []  # already merged: its original carries the suggestions
    own = (
        reports_visible_to(actor)
        .filter(organisation=actor.organisation, duplicate_of__isnull=True)
        .exclude(pk=report.pk)
    )
    dismissed = set(NotDuplicate.objects.filter(report=report).values_list("other_id", flat=True)) | set(
        NotDuplicate.objects.filter(other=report).values_list("report_id", flat=True)
    )
    mine = set(report.identifiers.values_list("kind", "value_index"))
    sharing: set[int] = set()
    if mine:
        query = Q()
        for kind, index in mine:
            query |= Q(kind=kind, value_index=index)
        sharing = set(
            ReportIdentifier.objects.filter(query, report__in=own).values_list("report_id", flat=True)
        )
    near = own.filter(created_at__range=(report.created_at - WINDOW, report.created_at + WINDOW))
    nearest = sorted(
        near.values_list("pk", "created_at"),
        key=lambda row: abs((row[1] - report.created_at).total_seconds()),
    )[:MAX_CANDIDATES]
    candidate_ids = (sharing | {pk for pk, _at in nearest}) - dismissed
    if not candidate_ids:
        return []
    candidates = list(own.filter(pk__in=candidate_ids))
    keys: dict[int, set[tuple[str, str]]] = {report.pk: mine}
    for report_id, kind, index in ReportIdentifier.objects.filter(report_id__in=candidate_ids).values_list(
        "report_id", "kind", "value_index"
    ):
        keys.setdefault(report_id, set()).add((kind, index))
    found = duplicates.suggest(
        _facts(report, keys), [_facts(other, keys) for other in candidates], limit=limit
    )
    by_id = {other.pk: other for other in candidates}
    return [DuplicateSuggestion(by_id[why.report_id], why) for why in found]


def _dismissed_pairs(report_ids: set[int]) -> set[tuple[int, int]]:
    rows = NotDuplicate.objects.filter(Q(report_id__in=report_ids) | Q(other_id__in=report_ids))
    pairs = set(rows.values_list("report_id", "other_id"))
    return pairs | {(b, a) for a, b in pairs}


def duplicate_hints(actor: Actor, reports: Sequence[Report]) -> dict[int, DuplicateSuggestion]:
    """For the triage queue: the most likely duplicate of each of ``reports``, by report id.

    The same rules as :func:`duplicate_suggestions`, over one candidate pool for the whole page:
    the organisation's open reports received within ``WINDOW`` of the page (at most
    ``MAX_CANDIDATES``, newest first) and every open report sharing an identifier with one of them.
    """
    if actor.organisation is None or not actor.can("report.triage"):
        return {}
    page = [r for r in reports if r.organisation_id == actor.organisation.pk and not r.duplicate_of_id]
    if not page:
        return {}
    own = reports_visible_to(actor).filter(organisation=actor.organisation, duplicate_of__isnull=True).open()
    earliest = min(r.created_at for r in page) - WINDOW
    latest = max(r.created_at for r in page) + WINDOW
    pool = set(
        own.filter(created_at__range=(earliest, latest))
        .order_by("-created_at")
        .values_list("pk", flat=True)[:MAX_CANDIDATES]
    )
    page_ids = {r.pk for r in page}
    keys: dict[int, set[tuple[str, str]]] = {}
    for report_id, kind, index in ReportIdentifier.objects.filter(report_id__in=page_ids).values_list(
        "report_id", "kind", "value_index"
    ):
        keys.setdefault(report_id, set()).add((kind, index))
    wanted = {pair for pairs in keys.values() for pair in pairs}
    if wanted:
        query = Q()
        for kind, index in wanted:
            query |= Q(kind=kind, value_index=index)
        pool |= set(
            ReportIdentifier.objects.filter(query, report__in=own).values_list("report_id", flat=True)
        )
    nearby = own.filter(pk__in=pool - page_ids).only(*FACT_FIELDS)  # not the contact or the people
    candidates = {r.pk: r for r in nearby} | {r.pk: r for r in page}
    for report_id, kind, index in ReportIdentifier.objects.filter(
        report_id__in=set(candidates) - page_ids
    ).values_list("report_id", "kind", "value_index"):
        keys.setdefault(report_id, set()).add((kind, index))
    facts = {pk: _facts(report, keys) for pk, report in candidates.items()}
    shingled = {pk: duplicates.shingles(f.narrative) for pk, f in facts.items()}
    # Only a report sharing a word triple or an identifier can be suggested: compare those alone.
    sharing: dict[object, set[int]] = {}  # a word triple or an identifier key → reports
    for pk, fact in facts.items():
        for key in (*shingled[pk], *fact.identifier_keys):
            sharing.setdefault(key, set()).add(pk)
    dismissed = _dismissed_pairs(page_ids)
    hints: dict[int, DuplicateSuggestion] = {}
    for report in page:
        mine = facts[report.pk]
        near = set().union(*(sharing[key] for key in (*shingled[report.pk], *mine.identifier_keys)))
        others = [facts[pk] for pk in sorted(near) if (report.pk, pk) not in dismissed]
        found = duplicates.suggest(mine, others, limit=1, shingled=shingled)
        if found:
            hints[report.pk] = DuplicateSuggestion(candidates[found[0].report_id], found[0])
    return hints
