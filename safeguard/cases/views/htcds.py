"""HTCDS v2.0 export and import."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms, htcds
from safeguard.cases.models import CaseStatus
from safeguard.cases.selectors import case_list
from safeguard.core.audit import audit_record
from safeguard.customfields import exchange


@staff_view("htcds.export")
def export(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = forms.ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        deidentified = form.cleaned_data["deidentified"]
        cases = case_list(actor, status=form.cleaned_data["status"]).exclude(status=CaseStatus.MERGED)
        cases = cases.prefetch_related("consents").order_by("registered_at", "id")
        extensions = [] if deidentified else exchange.export_definitions(actor)
        columns = [*htcds.export_columns(deidentified=deidentified), *(d.column for d in extensions)]
        exported = list(cases)
        cells = exchange.extension_cells(extensions, (case.pk for case in exported))
        rows = [{**htcds.case_row(case, deidentified=deidentified), **cells[case.pk]} for case in exported]
        audit_record(
            action="htcds.exported",
            actor=actor.user,
            organisation=actor.organisation,
            detail={
                "cases": len(rows),
                "deidentified": deidentified,
                "format": form.cleaned_data["file_format"],
            },
        )
        stamp = timezone.localdate().isoformat()
        if form.cleaned_data["file_format"] == "xlsx":
            content = htcds.export_xlsx(rows, columns)
            response = HttpResponse(
                content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="htcds-{stamp}.xlsx"'
        else:
            response = HttpResponse(htcds.export_csv(rows, columns), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="htcds-{stamp}.csv"'
        return response
    return render(request, "cases/export.html", {"form": form})


@staff_view("htcds.import")
def import_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = htcds.read_table(upload.name, upload.read())
        except htcds.UnreadableFile as error:
            form.add_error("file", str(error))
        else:
            report = htcds.validate_rows(rows, extensions=exchange.import_definitions(actor))
            htcds.import_rows(
                actor=actor, report=report, import_valid_rows=form.cleaned_data["import_valid_rows"]
            )
            if report.imported:
                messages.success(request, _("%(count)d cases imported.") % {"count": len(report.imported)})
    status = 400 if form.errors or (report is not None and report.errors) else 200
    return render(request, "cases/import.html", {"form": form, "report": report}, status=status)
