"""The two actions of a duplicate suggestion on a report's triage page: merge, or not a duplicate."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.intake import access
from safeguard.intake.services import duplicates
from safeguard.intake.views.triage import act_on_report, back_to_report, flash_errors


class SuggestionForm(forms.Form):
    other = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": gettext_lazy("Choose the suggested report."),
            "invalid": gettext_lazy("Choose the suggested report."),
        },
    )


def _act(request: HttpRequest, report_id: int, merge: bool) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return back_to_report(report)
    other = access.report_for(actor, form.cleaned_data["other"], action="report.triage")
    if merge:
        act_on_report(
            request,
            form,
            lambda: duplicates.report_merge_suggested(report=report, other=other, actor=actor),
            _("Merged: %(a)s and %(b)s are one report now.") % {"a": report.reference, "b": other.reference},
        )
    else:
        act_on_report(
            request,
            form,
            lambda: duplicates.report_not_duplicate(report=report, other=other, actor=actor),
            _("Noted: %(reference)s is not a duplicate; it will not be suggested again.")
            % {"reference": other.reference},
        )
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def report_suggestion_merge(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(request, report_id, merge=True)


@require_POST
@staff_view("report.triage")
def report_suggestion_dismiss(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(request, report_id, merge=False)
