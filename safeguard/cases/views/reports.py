"""Caseload reports: the page with its charts and tables, and the same figures as CSV or XLSX."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import caseload
from safeguard.cases.forms import CaseloadPeriodForm
from safeguard.core.audit import audit_record
from safeguard.core.charts import counts_chart_svg

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _chart(title: str, rows: list[tuple[str, int]]) -> str:
    if not rows:
        return ""
    return counts_chart_svg(
        caseload.chart_bars(rows), title=title, prefix="caseload", label_chars=26, label_width=170
    )


@staff_view("case.reports")
def caseload_reports(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = CaseloadPeriodForm(request.GET)
    if not form.is_valid():
        # A bad period shows its error and no figures, never figures of another period.
        return render(request, "cases/reports.html", {"form": form}, status=400)
    period = caseload.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    report = caseload.caseload_report(actor, period)
    query = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
    charts = {
        "caseload": _chart(
            _("Open cases at the end of the period, per caseworker"),
            [(row.caseworker, row.open_at_end) for row in report.caseworkers],
        ),
        "overdue_follow_ups": _chart(
            _("Overdue follow-ups per caseworker"), [(row.caseworker, row.overdue) for row in report.overdue]
        ),
        "referrals": _chart(
            _("Referrals by service type"), [(row.service_type, row.total) for row in report.referrals]
        ),
        "closures": _chart(_("Closures by reason"), [(row.reason, row.closed) for row in report.closures]),
    }
    for index, step in enumerate(report.times):
        if step.reached:
            charts[f"time_{index}"] = _chart(step.step, [(band.label, band.cases) for band in step.bands])
    times = [svg for key, svg in charts.items() if key.startswith("time_")]
    sections = [
        (table, times if table.key == "time_distribution" else [charts.get(table.key, "")])
        for table in caseload.report_tables(report)
    ]
    context = {"form": form, "report": report, "sections": sections, "query": query}
    return render(request, "cases/reports.html", context)


@staff_view("case.reports")
def caseload_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in EXPORT_TYPES:
        raise Http404("format")
    actor = actor_for(request)
    form = CaseloadPeriodForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    period = caseload.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    report = caseload.caseload_report(actor, period)
    content = caseload.report_csv(report) if file_format == "csv" else caseload.report_xlsx(report)
    audit_record(
        action="case.caseload_exported",
        actor=actor,
        detail={"format": file_format, "start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    response = HttpResponse(content, content_type=EXPORT_TYPES[file_format])
    name = f"caseload-{period.start.isoformat()}-{period.end.isoformat()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
