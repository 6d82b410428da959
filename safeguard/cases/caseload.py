"""Caseload reports and indicators for supervisors and programme managers (reads only).

Every figure is computed in the database over the cases in the viewer's report scope
(:func:`cases_in_report_scope`): a supervisor's teams, or a programme manager's whole
organisation — never another organisation's cases. Nothing personal is read: the reports group
by caseworker, service type, outcome and listed reason, and count.

The time-to measures group the cases registered in the period by the number of days to the
step (one small row per distinct day count, in SQL); the median and the distribution are read
from that histogram, so they are exact and no case row is loaded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import User
from safeguard.cases.models import (
    Assessment,
    CarePlan,
    Case,
    CaseQuerySet,
    CaseStatus,
    ClosureReason,
    PlanStatus,
    Referral,
    ReferralStatus,
    ServiceRecord,
    Team,
)
from safeguard.directory.models import ServiceKind

OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED)
# Upper bounds (in days, inclusive) of the distribution's bands; the last band is open-ended.
DAY_BANDS = (0, 3, 7, 14, 30, 60)


def cases_in_report_scope(actor: Actor) -> CaseQuerySet:
    """The cases whose figures ``actor`` may see: a programme manager's organisation, a
    supervisor's teams (cases of the team and cases owned by its members); refused to everyone
    else. Merged duplicates are never counted twice."""
    actor.require("case.reports")
    if actor.organisation is None:
        return Case.objects.none()
    cases = Case.objects.filter(organisation=actor.organisation).exclude(status=CaseStatus.MERGED)
    if actor.can("case.reports_organisation"):
        return cases
    # A few ids, read first, so the planner can use the team and owner indexes.
    teams = list(
        Team.objects.filter(organisation=actor.organisation, members=actor.user).values_list("pk", flat=True)
    )
    members = set(Team.members.through.objects.filter(team_id__in=teams).values_list("user_id", flat=True))
    return cases.filter(Q(team_id__in=teams) | Q(owner_id__in=members))


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in the installation's time zone."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first instant after the period (exclusive bound, so indexes on timestamps are used)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def holds(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})


# ---- open cases per caseworker -----------------------------------------------------------


@dataclass(frozen=True)
class CaseworkerLoad:
    caseworker: str
    open_at_end: int  # open on the period's last day
    registered: int  # registered in the period
    closed: int  # closed in the period


def caseload_by_caseworker(cases: CaseQuerySet, period: Period) -> list[CaseworkerLoad]:
    """Per case owner: cases open on the last day of the period, registered and closed in it."""
    open_at_end = Q(registered_at__lt=period.until) & (
        Q(status__in=OPEN_STATUSES) | Q(status=CaseStatus.CLOSED, closed_at__gte=period.until)
    )
    counts = (
        cases.filter(Q(registered_at__lt=period.until))
        .values("owner_id")
        .annotate(
            open_at_end=Count("pk", filter=open_at_end),
            registered=Count("pk", filter=period.holds("registered_at")),
            closed=Count("pk", filter=Q(status=CaseStatus.CLOSED) & period.holds("closed_at")),
        )
        .order_by()
    )
    rows = [row for row in counts if row["open_at_end"] or row["registered"] or row["closed"]]
    names = dict(User.objects.filter(pk__in=[row["owner_id"] for row in rows]).values_list("pk", "name"))
    loads = [
        CaseworkerLoad(names.get(row["owner_id"], ""), row["open_at_end"], row["registered"], row["closed"])
        for row in rows
    ]
    return sorted(loads, key=lambda load: (-load.open_at_end, load.caseworker))


# ---- time from registration to a step ----------------------------------------------------


@dataclass(frozen=True)
class Band:
    label: str
    cases: int


@dataclass(frozen=True)
class TimeToStep:
    step: str  # what was measured, translated
    registered: int  # cases registered in the period
    reached: int  # of which reached the step
    median_days: float | None  # None when no case reached it
    bands: list[Band]

    @property
    def not_reached(self) -> int:
        return self.registered - self.reached


def _band_labels() -> list[str]:
    labels, low = [], 0
    for high in DAY_BANDS:
        if high == 0:
            labels.append(_("same day"))
        elif low == high:
            labels.append(_("%(days)s days") % {"days": high})
        else:
            labels.append(_("%(low)s–%(high)s days") % {"low": low, "high": high})
        low = high + 1
    labels.append(_("over %(days)s days") % {"days": DAY_BANDS[-1]})
    return labels


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """The exact median of values given as sorted (value, how many) pairs."""
    total = sum(n for _value, n in histogram)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # zero-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value, n in histogram:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return (found[0] + found[1]) / 2


def time_to_step(step: str, cases: CaseQuerySet, reached_on: Any) -> TimeToStep:
    """Days from registration to the date ``reached_on`` (an expression per case, None if not
    reached) for the cases registered in the period; grouped by day count in SQL."""
    days = ExpressionWrapper(F("reached_on") - TruncDate("registered_at"), output_field=DurationField())
    histogram_rows = (
        cases.annotate(reached_on=reached_on)
        .annotate(days=days)
        .values("days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    registered, histogram = 0, []
    for row in histogram_rows:
        registered += row["n"]
        if row["days"] is not None:
            histogram.append((max(row["days"].days, 0), row["n"]))
    histogram.sort()
    bands = [0] * (len(DAY_BANDS) + 1)
    for value, n in histogram:
        bands[next((i for i, high in enumerate(DAY_BANDS) if value <= high), len(DAY_BANDS))] += n
    return TimeToStep(
        step=step,
        registered=registered,
        reached=sum(n for _value, n in histogram),
        median_days=_median(histogram),
        bands=[Band(label, n) for label, n in zip(_band_labels(), bands, strict=True)],
    )


def _first(queryset: Any, field: str) -> Subquery:
    return Subquery(queryset.order_by(field).values(field)[:1])


def step_expressions() -> list[tuple[str, Any]]:
    """(what is measured, the date per case it was reached): the first assessment, the first
    approved care plan, the first service delivered under any referral."""
    assessed = TruncDate(_first(Assessment.objects.filter(case=OuterRef("pk")), "assessed_at"))
    planned = TruncDate(
        _first(CarePlan.objects.filter(case=OuterRef("pk"), status=PlanStatus.APPROVED), "decided_at")
    )
    served = _first(ServiceRecord.objects.filter(referral__case=OuterRef("pk")), "delivered_on")
    return [
        (_("Registration to initial assessment"), assessed),
        (_("Registration to approved care plan"), planned),
        (_("Registration to first service delivered"), served),
    ]


def times_to_steps(cases: CaseQuerySet, period: Period) -> list[TimeToStep]:
    """Time to each step of :func:`step_expressions` for the cases registered in the period."""
    registered = cases.filter(period.holds("registered_at"))
    return [time_to_step(step, registered, reached_on) for step, reached_on in step_expressions()]


# ---- overdue follow-ups ------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueFollowUps:
    caseworker: str
    overdue: int
    oldest_due: date


def overdue_follow_ups(cases: CaseQuerySet, period: Period) -> list[OverdueFollowUps]:
    """Follow-ups due in the period, not done and past due today, per owner of the case."""
    today = timezone.localdate()
    # Joined to the scope's cases once (not ``case__in`` a second scan of them), grouped by owner.
    rows = list(
        cases.filter(
            follow_ups__done_on__isnull=True,
            follow_ups__due_on__gte=period.start,
            follow_ups__due_on__lte=min(period.end, today - timedelta(days=1)),
        )
        .values("owner_id")
        .annotate(overdue=Count("follow_ups__id"), oldest=Min("follow_ups__due_on"))
        .order_by()
    )
    names = dict(User.objects.filter(pk__in=[row["owner_id"] for row in rows]).values_list("pk", "name"))
    found = [OverdueFollowUps(names.get(row["owner_id"], ""), row["overdue"], row["oldest"]) for row in rows]
    return sorted(found, key=lambda row: (-row.overdue, row.caseworker))


# ---- referrals by service type and outcome -----------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    service_type: str
    by_outcome: list[int]  # in the order of REFERRAL_OUTCOMES

    @property
    def total(self) -> int:
        return sum(self.by_outcome)


REFERRAL_OUTCOMES = [
    ReferralStatus.PENDING,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
    ReferralStatus.CANCELLED,
]


def referral_outcome_labels() -> list[str]:
    return [str(outcome.label) for outcome in REFERRAL_OUTCOMES]


def referrals_by_type(cases: CaseQuerySet, period: Period) -> list[ReferralRow]:
    """Referrals sent in the period, by the need they address and where they stand now."""
    counts = (
        Referral.objects.filter(period.holds("created_at"), case__in=cases.values("pk"))
        .values_list("need", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict[str, list[int]] = {}
    for need, status, n in counts:
        table.setdefault(need, [0] * len(REFERRAL_OUTCOMES))[REFERRAL_OUTCOMES.index(status)] += n
    rows = [ReferralRow(str(ServiceKind(need).label), by_outcome) for need, by_outcome in table.items()]
    return sorted(rows, key=lambda row: (-row.total, row.service_type))


# ---- closures by reason ------------------------------------------------------------------


@dataclass(frozen=True)
class ClosureRow:
    reason: str
    closed: int


def closures_in_period(cases: CaseQuerySet, period: Period) -> list[ClosureRow]:
    """Cases closed in the period (and still closed), by listed reason, most first."""
    counts = (
        cases.filter(period.holds("closed_at"), status=CaseStatus.CLOSED)
        .values_list("closure_reason_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        ClosureRow(str(ClosureReason(code).label) if code else _("not recorded"), n) for code, n in counts
    ]
    return sorted(rows, key=lambda row: (-row.closed, row.reason))


# ---- the whole report --------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadReport:
    period: Period
    organisation_wide: bool  # a programme manager's view; else a supervisor's teams
    caseworkers: list[CaseworkerLoad]
    times: list[TimeToStep]
    overdue: list[OverdueFollowUps]
    referrals: list[ReferralRow]
    closures: list[ClosureRow]


@contextmanager
def report_queries() -> Iterator[None]:
    """Run the report's queries without PostgreSQL's JIT compiler.

    Their estimated cost (one small correlated lookup per case of the period) passes
    ``jit_above_cost``, and compiling then takes seconds where the queries take milliseconds
    (bench/cases/README.md); ``SET LOCAL`` ends with the transaction.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def caseload_report(actor: Actor, period: Period) -> CaseloadReport:
    """Every caseload indicator for ``period`` over the actor's report scope (PermissionDenied
    for anyone who may not see caseload reports)."""
    cases = cases_in_report_scope(actor)
    with report_queries():
        return _report(actor, cases, period)


def _report(actor: Actor, cases: CaseQuerySet, period: Period) -> CaseloadReport:
    return CaseloadReport(
        period=period,
        organisation_wide=actor.can("case.reports_organisation"),
        caseworkers=caseload_by_caseworker(cases, period),
        times=times_to_steps(cases, period),
        overdue=overdue_follow_ups(cases, period),
        referrals=referrals_by_type(cases, period),
        closures=closures_in_period(cases, period),
    )


# ---- tables for the page and the exports -------------------------------------------------


@dataclass(frozen=True)
class Table:
    key: str  # stable, for sheet names and the CSV's first column
    title: str
    header: list[str]
    rows: list[list[Any]]


def _days(value: float | None) -> Any:
    if value is None:
        return ""
    return int(value) if value == int(value) else value


def report_tables(report: CaseloadReport) -> list[Table]:
    """The report as the tables the page, the CSV and the XLSX all show (same figures)."""
    time_header = [_("Measure"), _("Cases registered"), _("Reached"), _("Not reached yet"), _("Median days")]
    band_header = [_("Measure"), *(band.label for band in report.times[0].bands)] if report.times else []
    return [
        Table(
            "caseload",
            _("Open cases per caseworker"),
            [
                _("Caseworker"),
                _("Open at the end of the period"),
                _("Registered in the period"),
                _("Closed in the period"),
            ],
            [[row.caseworker, row.open_at_end, row.registered, row.closed] for row in report.caseworkers],
        ),
        Table(
            "time_to_step",
            _("Time from registration"),
            time_header,
            [[t.step, t.registered, t.reached, t.not_reached, _days(t.median_days)] for t in report.times],
        ),
        Table(
            "time_distribution",
            _("Days from registration, distribution"),
            band_header,
            [[t.step, *(band.cases for band in t.bands)] for t in report.times],
        ),
        Table(
            "overdue_follow_ups",
            _("Overdue follow-ups"),
            [_("Caseworker"), _("Overdue follow-ups"), _("Oldest due date")],
            [[row.caseworker, row.overdue, row.oldest_due] for row in report.overdue],
        ),
        Table(
            "referrals",
            _("Referrals by service type and outcome"),
            [_("Service type"), *referral_outcome_labels(), _("Total")],
            [[row.service_type, *row.by_outcome, row.total] for row in report.referrals],
        ),
        Table(
            "closures",
            _("Closures by reason"),
            [_("Reason for closure"), _("Cases closed")],
            [[row.reason, row.closed] for row in report.closures],
        ),
    ]


def chart_bars(rows: Iterable[tuple[str, int]]) -> list[tuple[str, int | None, int | None, int | None]]:
    """(label, count) pairs as bars of :func:`safeguard.core.charts.counts_chart_svg`."""
    return [(label, count, None, None) for label, count in rows]


# ---- exports ------------------------------------------------------------------------------

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_value(value: Any) -> Any:
    """Numbers stay numbers; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(report: CaseloadReport) -> bytes:
    """One long table: report, row label, column, value — every figure of every table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["report", "period_start", "period_end", "row", "column", "value"])
    for table in report_tables(report):
        for row in table.rows:
            for column, value in zip(table.header[1:], row[1:], strict=True):
                writer.writerow(
                    [
                        spreadsheet_value(table.title),
                        report.period.start.isoformat(),
                        report.period.end.isoformat(),
                        spreadsheet_value(row[0]),
                        spreadsheet_value(column),
                        spreadsheet_value(value),
                    ]
                )
    return buffer.getvalue().encode("utf-8")


def report_xlsx(report: CaseloadReport) -> bytes:
    """One sheet per table, as on the page, after a sheet naming the period."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    about = workbook.create_sheet(_("Period")[:31])
    about.append([_("From"), report.period.start.isoformat()])
    about.append([_("Until"), report.period.end.isoformat()])
    for table in report_tables(report):
        sheet = workbook.create_sheet(table.key[:31])
        sheet.append([spreadsheet_value(table.title)])
        sheet.append([spreadsheet_value(cell) for cell in table.header])
        for row in table.rows:
            sheet.append([spreadsheet_value(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
