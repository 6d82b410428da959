"""Escalation to law enforcement: escalating from a report's page, and the liaison's pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.audit import audit_record
from safeguard.core.forms import submitted
from safeguard.intake import access, selectors
from safeguard.intake.forms import EscalateForm, EscalationOutcomeForm
from safeguard.intake.pdf import escalation_pdf, package_for_reading
from safeguard.intake.services import escalation as escalation_services
from safeguard.intake.views.public import no_store
from safeguard.intake.views.triage import act_on_report, back_to_report


@require_POST
@staff_view("report.escalate")
def report_escalate(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.escalate")
    form = EscalateForm(request.POST, organisations=selectors.law_enforcement_organisations())
    name = form.cleaned_data["organisation"].name if form.is_valid() else ""
    act_on_report(
        request,
        form,
        lambda: escalation_services.report_escalate(
            report=report,
            organisation=form.cleaned_data["organisation"],
            summary=form.cleaned_data["summary"],
            actor=actor,
        ),
        _("Escalated to %(name)s.") % {"name": name},
    )
    return back_to_report(report)


@staff_view("escalation.receive")
def escalations(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    page = Paginator(access.escalations_for(actor), 50).get_page(request.GET.get("page"))
    return render(request, "intake/escalations.html", {"page": page})


@staff_view("escalation.receive")
def escalation_detail(request: HttpRequest, escalation_id: int) -> HttpResponse:
    actor = actor_for(request)
    escalation = access.escalation_for(actor, escalation_id)
    audit_record(
        action="escalation.viewed", actor=actor.user, organisation=actor.organisation, target=escalation
    )
    form = EscalationOutcomeForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: escalation_services.escalation_record_outcome(
            escalation=escalation,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            actor=actor,
        ),
        _("Outcome sent to the hotline."),
    ):
        return redirect("intake:escalation", escalation_id=escalation.pk)
    return render(
        request,
        "intake/escalation_detail.html",
        {"escalation": escalation, "package": package_for_reading(escalation.package), "form": form},
    )


@staff_view("escalation.receive")
def escalation_download(request: HttpRequest, escalation_id: int, fmt: str) -> HttpResponse:
    actor = actor_for(request)
    escalation = access.escalation_for(actor, escalation_id)
    audit_record(
        action="escalation.downloaded",
        actor=actor.user,
        organisation=actor.organisation,
        target=escalation,
        detail={"format": fmt},
    )
    package = escalation.package
    name = f"escalation-{package.get('reference', escalation.pk)}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    elif fmt == "pdf":
        response = HttpResponse(escalation_pdf(package), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    else:
        raise Http404
    return no_store(response)
