"""Web pages: the public report and follow-up, the triage queue and report page, escalations,
routing rules, partner channels and notifications. Views validate and call services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.permissions import staff_view
from safeguard.core.audit import audit_record
from safeguard.core.geography import country_name, subdivision_name
from safeguard.directory.selectors import hotlines_for_country
from safeguard.intake import access, receipts, selectors, services, throttling
from safeguard.intake.choices import Channel, Status, Urgency
from safeguard.intake.forms import (
    AssignForm,
    DuplicateForm,
    EscalateForm,
    EscalationOutcomeForm,
    FollowUpForm,
    OperatorReportForm,
    PartnerChannelForm,
    PublicReportForm,
    RouteForm,
    RoutingRuleForm,
    StatusForm,
    TextForm,
)
from safeguard.intake.labels import exploitation_labels, indicator_labels, level_name
from safeguard.intake.models import Notification, PartnerChannel, Report, RoutingRule
from safeguard.intake.pdf import escalation_pdf


def _no_store(response: HttpResponse) -> HttpResponse:
    # Receipts and follow-up answers must not linger in shared caches or the back button.
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- public pages


@never_cache
def public_report(request: HttpRequest) -> HttpResponse:
    """The public report in short steps. Answers travel along as hidden fields, so nothing is
    stored before the last step and the form works without JavaScript or cookies."""
    steps = PublicReportForm.STEPS
    if request.method != "POST":
        form = PublicReportForm(initial={"country": request.GET.get("country", "")[:2].upper()})
        return _render_step(request, form, 0, validated=False)
    form = PublicReportForm(request.POST)
    try:
        current = min(max(int(request.POST.get("step", "0")), 0), len(steps) - 1)
    except ValueError:
        current = 0
    action = request.POST.get("action", "next")
    valid = form.is_valid()
    if action == "back":
        return _render_step(request, form, max(current - 1, 0), validated=False)
    if any(name in form.errors for name in form.step_fields(current)):
        return _render_step(request, form, current, validated=True, status=400)
    if action != "submit" or current < len(steps) - 1:
        return _render_step(request, form, min(current + 1, len(steps) - 1), validated=False)
    if not valid:
        return _render_step(request, form, form.first_step_with_errors() or 0, validated=True, status=400)
    if form.cleaned_data.get("website"):
        # A bot filled the honeypot: answer as if it worked, store nothing.
        fake = receipts.format_receipt(receipts.new_lookup(), receipts.new_secret())
        return _no_store(
            render(request, "intake/public/receipt.html", {"receipt": fake, "reference": "SG-" + fake[:4]})
        )
    if throttling.hit(request, group="intake.report", rate_setting="INTAKE_PUBLIC_REPORT_RATE"):
        return render(request, "intake/public/throttled.html", status=429)
    submission = services.report_submit(
        data=form.to_input(language=get_language() or ""), channel=Channel.WEB
    )
    report = submission.report
    context = {
        "receipt": submission.receipt,
        "reference": report.reference,
        "hotlines": hotlines_for_country(report.country)
        if report.child_in_danger == "yes" and report.country
        else [],
        "danger": report.child_in_danger == "yes",
        "country_name": country_name(report.country) if report.country else "",
    }
    return _no_store(render(request, "intake/public/receipt.html", context, status=201))


def _render_step(
    request: HttpRequest, form: PublicReportForm, index: int, *, validated: bool, status: int = 200
) -> HttpResponse:
    names = form.step_fields(index)
    if not validated and form.is_bound:
        # Moving between steps: show the next step clean, errors appear when it is sent.
        form._errors = {}
    danger = form.data.get("child_in_danger") == "yes" if form.is_bound else False
    country = (form.data.get("country") or "").upper() if form.is_bound else ""
    context: dict[str, Any] = {
        "form": form,
        "step_index": index,
        "step_number": index + 1,
        "steps": [(number + 1, title) for number, (_key, title, _names) in enumerate(form.STEPS)],
        "step_title": form.STEPS[index][1],
        "step_key": form.STEPS[index][0],
        "visible": [form[name] for name in names],
        "hidden": [form[name] for name in form.fields if name not in names and name != "website"],
        "is_last": index == len(form.STEPS) - 1,
        "danger": danger and index > 0,
        "hotlines": hotlines_for_country(country) if danger and country and index > 0 else [],
        "country_name": country_name(country) if country else "",
        "has_errors": validated and bool(form.errors),
    }
    return _no_store(render(request, "intake/public/report_step.html", context, status=status))


@never_cache
def follow_up(request: HttpRequest) -> HttpResponse:
    """Open a report with its receipt: coarse status, questions, and a box to answer."""
    if request.method != "POST":
        return _no_store(render(request, "intake/public/follow_up.html", {"form": FollowUpForm()}))
    if throttling.exhausted(
        request, group="intake.follow_up_fail", rate_setting="INTAKE_FOLLOW_UP_FAILURE_RATE"
    ) or throttling.hit(request, group="intake.follow_up", rate_setting="INTAKE_FOLLOW_UP_RATE"):
        return render(request, "intake/public/throttled.html", status=429)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _no_store(render(request, "intake/public/follow_up.html", {"form": form}, status=400))
    report = selectors.report_by_receipt(form.cleaned_data["receipt"])
    if report is None:
        throttling.hit(request, group="intake.follow_up_fail", rate_setting="INTAKE_FOLLOW_UP_FAILURE_RATE")
        form.add_error("receipt", _("We could not open a report with this code. Check it and try again."))
        return _no_store(render(request, "intake/public/follow_up.html", {"form": form}, status=404))
    sent = False
    if form.cleaned_data.get("message"):
        try:
            services.report_reporter_message(report=report, body=form.cleaned_data["message"])
            sent = True
        except ValidationError as error:
            form.add_error("message", error.messages)
    reply = FollowUpForm(
        initial={"receipt": receipts.format_receipt(*receipts.split(form.cleaned_data["receipt"]))}
    )  # type: ignore[misc]
    if form.errors:
        reply = form
    context = {
        "form": reply,
        "report": report,
        "status": report.public_status,
        "thread": list(report.messages.all()),
        "sent": sent,
        "opened": True,
    }
    return _no_store(render(request, "intake/public/follow_up.html", context))


# ---------------------------------------------------------------- triage


@staff_view("report.view")
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    status_filter = request.GET.get("status", "open")
    try:
        urgency = int(request.GET.get("urgency", "") or 0) or None
    except ValueError:
        urgency = None
    mine = request.GET.get("mine") == "1"
    reports = selectors.triage_queue(actor, status=status_filter, urgency=urgency, mine=mine)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status_filter": status_filter,
        "urgency_filter": urgency,
        "mine": mine,
        "statuses": Status.choices,
        "levels": Urgency.choices,
        "counts": selectors.queue_counts(actor) if actor.organisation else None,
        "now": timezone.now(),
        "can_intake": actor.can("report.intake"),
    }
    return render(request, "intake/queue.html", context)


@staff_view("report.intake")
def report_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = OperatorReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission = services.report_submit(
            data=form.to_input(),
            channel=form.cleaned_data["channel"],
            organisation=actor.organisation,
            actor=actor,
        )
        messages.success(
            request,
            _(
                "Report %(reference)s saved. If the reporter wants to follow up, read them this receipt code: %(receipt)s"
            )
            % {"reference": submission.report.reference, "receipt": submission.receipt},
        )
        return redirect("intake:report", report_id=submission.report.pk)
    return render(request, "intake/report_new.html", {"form": form}, status=400 if form.errors else 200)


def _case_link(actor: Any, report: Report) -> str | None:
    if not actor.can("case.edit") or report.organisation_id != getattr(actor.organisation, "pk", None):
        return None
    try:
        return reverse("cases:register") + f"?report={report.pk}"
    except NoReverseMatch:
        return None


@staff_view("report.view")
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id)
    owner = report.organisation_id == getattr(actor.organisation, "pk", None)
    show_contact = access.may_see_contact(actor, report)
    audit_record(
        action="report.viewed",
        actor=actor.user,
        organisation=actor.organisation,
        target=report,
        detail={"contact_shown": show_contact and bool(report.contact)},
    )
    can_triage = owner and actor.can("report.triage")
    context = {
        "report": report,
        "owner": owner,
        "show_contact": show_contact,
        "can_triage": can_triage,
        "can_escalate": owner and actor.can("report.escalate"),
        "reasons": selectors.urgency_explanation(report),
        "level": level_name(report.urgency),
        "country_name": country_name(report.country) if report.country else "",
        "subdivision_name": subdivision_name(report.subdivision) if report.subdivision else "",
        "indicator_labels": indicator_labels(report.indicators),
        "exploitation_labels": exploitation_labels(report.exploitation_types),
        "identifiers": list(report.identifiers.all()),
        "linked": selectors.reports_sharing_identifiers(report, actor),
        "notes": list(report.notes.select_related("author", "organisation")),
        "thread": list(report.messages.select_related("author")),
        "routes": list(report.routes.select_related("organisation", "rule")),
        "escalations": list(report.escalations.select_related("organisation")),
        "duplicates": list(report.duplicates.all()),
        "timeline": selectors.report_timeline(report) if owner else [],
        "case_link": _case_link(actor, report),
        "status_form": StatusForm(initial={"status": report.status}),
        "assign_form": AssignForm(
            users=selectors.assignable_users(report.organisation), initial={"assignee": report.assigned_to_id}
        )
        if can_triage
        else None,
        "note_form": TextForm(),
        "question_form": TextForm(),
        "route_form": RouteForm(
            organisations=Organisation.objects.filter(
                pk__in=[o.pk for o in selectors.route_destinations(actor)]
            )
        ),
        "duplicate_form": DuplicateForm(),
        "escalate_form": EscalateForm(
            organisations=Organisation.objects.filter(
                pk__in=[o.pk for o in selectors.law_enforcement_organisations()]
            )
        ),
        "now": timezone.now(),
    }
    return render(request, "intake/report_detail.html", context)


def _back(report: Report) -> HttpResponse:
    return redirect("intake:report", report_id=report.pk)


def _form_errors(request: HttpRequest, error: ValidationError | dict[str, Any]) -> None:
    errors = (
        error.messages if isinstance(error, ValidationError) else [m for ms in error.values() for m in ms]
    )
    for message in errors:
        messages.error(request, message)


@require_POST
@staff_view("report.triage")
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = StatusForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return _back(report)
    try:
        services.report_change_status(
            report=report,
            status=form.cleaned_data["status"],
            outcome=form.cleaned_data["outcome"],
            actor=actor,
        )
        messages.success(request, _("Status changed."))
    except ValidationError as error:
        _form_errors(request, error)
    return _back(report)


@require_POST
@staff_view("report.triage")
def report_assign(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    users = selectors.assignable_users(report.organisation)
    form = AssignForm(request.POST, users=users)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return _back(report)
    assignee = next((user for user in users if str(user.pk) == form.cleaned_data["assignee"]), None)
    services.report_assign(report=report, assignee=assignee, actor=actor)
    messages.success(request, _("Assignment saved."))
    return _back(report)


@require_POST
@staff_view("report.triage")
def report_note(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = TextForm(request.POST)
    if form.is_valid():
        services.report_add_note(report=report, body=form.cleaned_data["body"], actor=actor)
        messages.success(request, _("Note added."))
    else:
        _form_errors(request, form.errors)
    return _back(report)


@require_POST
@staff_view("report.triage")
def report_question(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = TextForm(request.POST)
    if form.is_valid():
        services.report_ask_reporter(report=report, body=form.cleaned_data["body"], actor=actor)
        messages.success(
            request, _("Question saved. The reporter sees it when they follow up with their receipt.")
        )
    else:
        _form_errors(request, form.errors)
    return _back(report)


@require_POST
@staff_view("report.triage")
def report_route(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    destinations = Organisation.objects.filter(is_active=True).exclude(pk=actor.organisation.pk)  # type: ignore[union-attr]
    form = RouteForm(request.POST, organisations=destinations)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return _back(report)
    try:
        services.report_route(report=report, organisation=form.cleaned_data["organisation"], actor=actor)
        messages.success(
            request, _("Report routed to %(name)s.") % {"name": form.cleaned_data["organisation"].name}
        )
    except ValidationError as error:
        _form_errors(request, error)
    return _back(report)


@require_POST
@staff_view("report.triage")
def report_duplicate(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form.errors)
        return _back(report)
    reference = form.cleaned_data["original"].strip().upper()
    original = (
        access.reports_visible_to(actor).filter(organisation=actor.organisation, reference=reference).first()
    )
    if original is None:
        messages.error(
            request,
            _("No report of your organisation has the reference %(reference)s.") % {"reference": reference},
        )
        return _back(report)
    try:
        services.report_merge_duplicate(duplicate=report, original=original, actor=actor)
        messages.success(
            request,
            _("Marked as a duplicate of %(reference)s and merged.") % {"reference": original.reference},
        )
    except ValidationError as error:
        _form_errors(request, error)
    return _back(report)


@require_POST
@staff_view("report.escalate")
def report_escalate(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.escalate")
    form = EscalateForm(
        request.POST,
        organisations=Organisation.objects.filter(
            pk__in=[o.pk for o in selectors.law_enforcement_organisations()]
        ),
    )
    if not form.is_valid():
        _form_errors(request, form.errors)
        return _back(report)
    try:
        services.report_escalate(
            report=report,
            organisation=form.cleaned_data["organisation"],
            summary=form.cleaned_data["summary"],
            actor=actor,
        )
        messages.success(
            request, _("Escalated to %(name)s.") % {"name": form.cleaned_data["organisation"].name}
        )
    except ValidationError as error:
        _form_errors(request, error)
    return _back(report)


# ---------------------------------------------------------------- escalations (liaison)


@staff_view("escalation.receive")
def escalations(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    page = Paginator(access.escalations_for(actor), 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(request, "intake/escalations.html", {"page": page})


@staff_view("escalation.receive")
def escalation_detail(request: HttpRequest, escalation_id: int) -> HttpResponse:
    actor = actor_for(request)
    escalation = access.escalation_for(actor, escalation_id)
    audit_record(
        action="escalation.viewed", actor=actor.user, organisation=actor.organisation, target=escalation
    )
    form = EscalationOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_record_outcome(
                escalation=escalation,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=actor,
            )
            messages.success(request, _("Outcome sent to the hotline."))
            return redirect("intake:escalation", escalation_id=escalation.pk)
        except ValidationError as error:
            _form_errors(request, error)
    return render(
        request,
        "intake/escalation_detail.html",
        {"escalation": escalation, "package": escalation.package, "form": form},
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
    name = f"escalation-{escalation.package.get('reference', escalation.pk)}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            escalation.package, json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    elif fmt == "pdf":
        response = HttpResponse(escalation_pdf(escalation.package), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    else:
        raise Http404
    return _no_store(response)


# ---------------------------------------------------------------- administration


@staff_view("routing.manage")
def routing_rules(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    destinations = Organisation.objects.filter(is_active=True).exclude(pk=actor.organisation.pk)  # type: ignore[union-attr]
    form = RoutingRuleForm(request.POST or None, organisations=destinations)
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(
                rule=form.save(commit=False),
                destinations=list(form.cleaned_data["destinations"]),
                actor=actor,
            )
            messages.success(request, _("Routing rule saved."))
            return redirect("intake:routing")
        except ValidationError as error:
            form.add_error(None, error)
    rules = RoutingRule.objects.filter(organisation=actor.organisation).prefetch_related("destinations")
    return render(
        request, "intake/routing.html", {"form": form, "rules": rules}, status=400 if form.errors else 200
    )


@require_POST
@staff_view("routing.manage")
def routing_rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    actor = actor_for(request)
    services.routing_rule_delete(rule=access.routing_rule_for(actor, rule_id), actor=actor)
    messages.success(request, _("Routing rule deleted."))
    return redirect("intake:routing")


@staff_view("channel.manage")
def partner_channels(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = PartnerChannelForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _channel, new_key = services.partner_channel_create(name=form.cleaned_data["name"], actor=actor)
    channels = PartnerChannel.objects.filter(organisation=actor.organisation)
    response = render(
        request,
        "intake/channels.html",
        {"form": PartnerChannelForm() if new_key else form, "channels": channels, "new_key": new_key},
    )
    return _no_store(response)


@require_POST
@staff_view("channel.manage")
def partner_channel_revoke(request: HttpRequest, channel_id: int) -> HttpResponse:
    actor = actor_for(request)
    services.partner_channel_revoke(channel=access.partner_channel_for(actor, channel_id), actor=actor)
    messages.success(request, _("Channel key revoked; the partner can no longer submit with it."))
    return redirect("intake:channels")


@staff_view("dashboard.view")
def notifications(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    user: User = actor.user
    if request.method == "POST":
        Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("intake:notifications")
    rows = Notification.objects.filter(recipient=user).select_related("report", "escalation", "organisation")[
        :100
    ]
    return render(request, "intake/notifications.html", {"notifications": rows})
