"""Triage pages: the queue, the operator's intake form, a report's page and its actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safeguard.accounts.access import Actor, actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.audit import audit_record
from safeguard.core.flags import FlagRaiseForm, FlagResolveForm
from safeguard.core.forms import apply_service_errors, submitted
from safeguard.core.geography import country_name, subdivision_name
from safeguard.intake import access, selectors
from safeguard.intake.channels.selectors import report_transcripts
from safeguard.intake.choices import WORKING_HANDOVERS
from safeguard.intake.duplicate_suggestions import duplicate_hints, duplicate_suggestions
from safeguard.intake.forms import (
    AssignForm,
    DeclineForm,
    DuplicateForm,
    EscalateForm,
    HandoverCloseForm,
    OperatorReportForm,
    QueueFilterForm,
    RouteForm,
    StatusForm,
    TextForm,
)
from safeguard.intake.labels import exploitation_labels, indicator_labels, level_name
from safeguard.intake.models import Report, ReportRoute, SavedQueueView
from safeguard.intake.services import flags, handover, routing, submission, triage

# The queue's columns: heading, and the QUEUE_SORTS key its link sorts by (None: not sortable).
QUEUE_COLUMNS: list[tuple[Any, str | None]] = [
    (gettext_lazy("Urgency"), "urgency"),
    (gettext_lazy("Reference"), "reference"),
    (gettext_lazy("Received"), "received"),
    (gettext_lazy("Target"), "target"),
    (gettext_lazy("Status"), "status"),
    (gettext_lazy("Where"), "region"),
    (gettext_lazy("Channel"), "channel"),
    (gettext_lazy("Assigned to"), "assignee"),
    (gettext_lazy("Flags"), None),
]
QUEUE_PAGE_SIZE = 50
QUEUE_ORDER = "-urgency"  # what the queue is sorted by when no column is chosen (then oldest first)


@staff_view("report.view")
def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = QueueFilterForm(
        request.GET or None,
        users=selectors.queue_filter_users(actor.organisation),
        initial={"status": "open"},
    )
    valid = not form.is_bound or form.is_valid()
    filters = form.cleaned_data if form.is_bound and valid else {}
    reports = selectors.triage_queue(actor, **filters) if valid else Report.objects.none()
    counts = selectors.queue_counts(actor) if actor.organisation else None
    paginator = Paginator(reports, QUEUE_PAGE_SIZE)
    if counts and valid and _open_work_only(filters):
        paginator = CountedPaginator(reports, QUEUE_PAGE_SIZE, count=counts["open"])
    page = paginator.get_page(request.GET.get("page"))
    shown = list(page.object_list)
    hints = duplicate_hints(actor, shown)
    # The queue's own parameters as given (valid or not, so a wrong one can be corrected), for
    # the sort links, the pages and a saved view; never the page or the view opened.
    given = {name: request.GET[name] for name in form.fields if name != "sort" and request.GET.get(name)}
    sort = filters.get("sort", "")
    views = access.queue_views_for(actor)
    context = {
        "page": page,
        "rows": [(report, hints.get(report.pk)) for report in shown],
        "form": form,
        "columns": [_column(label, key, sort or QUEUE_ORDER, given) for label, key in QUEUE_COLUMNS],
        # The subtitle says "most urgent first" only when that is the order; the headings say the rest.
        "default_order": sort in ("", QUEUE_ORDER),
        "query": urlencode({**given, **({"sort": sort} if sort else {})}),
        "saved_views": views,
        "active_view": _opened(views, request.GET.get("view", "")),
        "counts": counts,
        "now": timezone.now(),
        "can_intake": actor.can("report.intake"),
        "organisation_id": getattr(actor.organisation, "pk", None),
    }
    return render(request, "intake/queue.html", context, status=200 if valid else 400)


class CountedPaginator(Paginator):
    """A paginator told its count, where the page has counted the same list another way."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _open_work_only(filters: dict[str, Any]) -> bool:
    """No filter but the open work (in any order): the list is what the counters call "open",
    counted there from indexes; counting the list itself reads every report (decision 186)."""
    narrowing = {name: value for name, value in filters.items() if name not in ("status", "sort")}
    return filters.get("status", "open") == "open" and not any(narrowing.values())


def _column(label: Any, key: str | None, sort: str, given: dict[str, str]) -> dict[str, Any]:
    """A heading: how the list is sorted by it now (aria-sort) and the link that sorts by it,
    ascending first, then descending."""
    if key is None:
        return {"label": label, "key": None, "aria": "", "link": ""}
    aria = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
    return {
        "label": label,
        "key": key,
        "aria": aria,
        "link": "?" + urlencode({**given, "sort": f"-{key}" if aria == "ascending" else key}),
        "next": "descending" if aria == "ascending" else "ascending",
    }


def _opened(views: QuerySet[SavedQueueView], view_id: str) -> SavedQueueView | None:
    """The saved view the queue was opened from (``?view=``), if it is one of the actor's."""
    return views.filter(pk=int(view_id)).first() if view_id.isdigit() else None


@staff_view("report.intake")
def report_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    # The region select offers the organisation's own country's regions until another is chosen.
    home = actor.organisation.country if actor.organisation else ""
    form = OperatorReportForm(request.POST or None, initial={"country": home})
    if request.method == "POST" and form.is_valid():
        try:
            entered = submission.report_enter(
                data=form.to_input(), channel=form.cleaned_data["channel"], actor=actor
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # The success message carries what the service returned, so ``submitted`` cannot flash it.
            messages.success(
                request,
                _(
                    "Report %(reference)s saved. If the reporter wants to follow up, read them this receipt code: %(receipt)s"
                )
                % {"reference": entered.report.reference, "receipt": entered.receipt},
            )
            return redirect("intake:report", report_id=entered.report.pk)
    return render(request, "intake/report_new.html", {"form": form}, status=400 if form.errors else 200)


def _case_link(actor: Actor, report: Report, incoming: ReportRoute | None) -> str | None:
    """The case-from-report link: for the report's own organisation, or one that accepted it."""
    own = report.organisation_id == getattr(actor.organisation, "pk", None)
    accepted = incoming is not None and incoming.status in WORKING_HANDOVERS
    if not actor.can("case.edit") or not (own or accepted):
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
    incoming = None if owner else report.routes.filter(organisation=actor.organisation).first()
    working = incoming is not None and incoming.status in WORKING_HANDOVERS
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
        # Each organisation reads its own notes; the receiver of a hand-over also the sender's.
        "notes": list(
            report.notes.filter(
                organisation_id__in={report.organisation_id, getattr(actor.organisation, "pk", None)}
            ).select_related("author", "organisation")
        ),
        "thread": selectors.report_thread(report, actor.organisation),
        "transcripts": report_transcripts(report),
        "routes": list(report.routes.select_related("organisation", "rule")),
        "incoming": incoming,
        "can_answer": incoming is not None and actor.can("report.triage"),
        "can_work": working and actor.can("report.triage"),
        "decline_form": DeclineForm(),
        "close_form": HandoverCloseForm(),
        "escalations": list(report.escalations.select_related("organisation")),
        "duplicates": list(report.duplicates.all()),
        "duplicate_suggestions": duplicate_suggestions(actor, report) if can_triage else [],
        "timeline": selectors.report_timeline(report, actor.organisation),
        "case_link": _case_link(actor, report, incoming),
        "status_form": StatusForm(initial={"status": report.status}),
        "assign_form": AssignForm(
            users=selectors.assignable_users(report.organisation), initial={"assignee": report.assigned_to_id}
        )
        if can_triage and report.organisation
        else None,
        "note_form": TextForm(),
        "flags": list(
            report.flags.filter(organisation=actor.organisation).select_related("raised_by", "resolved_by")
        ),
        "flag_form": FlagRaiseForm(),
        "question_form": TextForm(),
        "route_form": RouteForm(organisations=selectors.route_destinations(actor)),
        "duplicate_form": DuplicateForm(),
        "escalate_form": EscalateForm(organisations=selectors.law_enforcement_organisations()),
        "now": timezone.now(),
    }
    return render(request, "intake/report_detail.html", context)


def back_to_report(report: Report) -> HttpResponse:
    return redirect("intake:report", report_id=report.pk)


def flash_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """The report page's action forms are not shown again: their errors become messages."""
    for field_messages in form.errors.values():
        for message in field_messages:
            messages.error(request, str(message))


def act_on_report(request: HttpRequest, form: forms.BaseForm, write: Callable[[], Any], success: str) -> None:
    """Run a report page action (a form and its service call); errors are flashed on the report page."""
    if not submitted(request, form, write, success):
        flash_errors(request, form)


@require_POST
@staff_view("report.triage")
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = StatusForm(request.POST)
    act_on_report(
        request,
        form,
        lambda: triage.report_change_status(
            report=report,
            status=form.cleaned_data["status"],
            outcome=form.cleaned_data["outcome"],
            actor=actor,
        ),
        _("Status changed."),
    )
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def report_assign(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    users = selectors.assignable_users(report.organisation) if report.organisation else []
    form = AssignForm(request.POST, users=users)

    def assign() -> None:
        assignee = next((user for user in users if str(user.pk) == form.cleaned_data["assignee"]), None)
        triage.report_assign(report=report, assignee=assignee, actor=actor)

    act_on_report(request, form, assign, _("Assignment saved."))
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def report_note(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_to_handle(actor, report_id)
    form = TextForm(request.POST)
    act_on_report(
        request,
        form,
        lambda: triage.report_add_note(report=report, body=form.cleaned_data["body"], actor=actor),
        _("Note added."),
    )
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def report_question(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_to_handle(actor, report_id)
    form = TextForm(request.POST)
    act_on_report(
        request,
        form,
        lambda: triage.report_ask_reporter(report=report, body=form.cleaned_data["body"], actor=actor),
        _("Question saved. The reporter sees it when they follow up with their receipt."),
    )
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def report_route(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = RouteForm(request.POST, organisations=selectors.route_destinations(actor))
    name = form.cleaned_data["organisation"].name if form.is_valid() else ""
    act_on_report(
        request,
        form,
        lambda: routing.report_route(
            report=report, organisation=form.cleaned_data["organisation"], actor=actor
        ),
        _("Report routed to %(name)s.") % {"name": name},
    )
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def report_duplicate(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_for(actor, report_id, action="report.triage")
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return back_to_report(report)
    reference = form.cleaned_data["original"].strip().upper()
    original = access.own_report_by_reference(actor, reference)
    if original is None:
        messages.error(
            request,
            _("No report of your organisation has the reference %(reference)s.") % {"reference": reference},
        )
        return back_to_report(report)
    act_on_report(
        request,
        form,
        lambda: triage.report_merge_duplicate(duplicate=report, original=original, actor=actor),
        _("Marked as a duplicate of %(reference)s and merged.") % {"reference": original.reference},
    )
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def handover_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    actor, route = _incoming(request, report_id)
    act_on_report(
        request,
        forms.Form(request.POST),
        lambda: handover.handover_accept(route=route, actor=actor),
        _("Hand-over accepted: the report is now your organisation's work."),
    )
    return back_to_report(route.report)


@require_POST
@staff_view("report.triage")
def handover_decline(request: HttpRequest, report_id: int) -> HttpResponse:
    actor, route = _incoming(request, report_id)
    form = DeclineForm(request.POST)
    if submitted(
        request,
        form,
        lambda: handover.handover_decline(route=route, reason=form.cleaned_data["reason"], actor=actor),
        _("Hand-over declined. The report went back to %(name)s with your reason.")
        % {"name": route.report.organisation.name if route.report.organisation else ""},
    ):
        return redirect("intake:queue")
    flash_errors(request, form)
    return back_to_report(route.report)


@require_POST
@staff_view("report.triage")
def handover_close(request: HttpRequest, report_id: int) -> HttpResponse:
    actor, route = _incoming(request, report_id)
    form = HandoverCloseForm(request.POST)
    act_on_report(
        request,
        form,
        lambda: handover.handover_close(route=route, outcome=form.cleaned_data["outcome"], actor=actor),
        _("Hand-over closed. The sender sees the outcome."),
    )
    return back_to_report(route.report)


def _incoming(request: HttpRequest, report_id: int) -> tuple[Actor, ReportRoute]:
    """The actor and the hand-over of ``report_id`` to their organisation ("not found" if none)."""
    actor = actor_for(request)
    route = access.handovers_for(actor).filter(report_id=report_id, organisation=actor.organisation).first()
    return actor, access.incoming_handover_for(actor, route.pk if route else 0)


@require_POST
@staff_view("report.triage")
def report_flag(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = access.report_to_handle(actor, report_id)
    form = FlagRaiseForm(request.POST)
    act_on_report(
        request,
        form,
        lambda: flags.report_flag_raise(actor=actor, report=report, **form.cleaned_data),
        _("Flag raised."),
    )
    return back_to_report(report)


@require_POST
@staff_view("report.triage")
def report_flag_resolve(request: HttpRequest, flag_id: int) -> HttpResponse:
    actor = actor_for(request)
    flag = access.report_flag_for(actor, flag_id)
    form = FlagResolveForm(request.POST)
    act_on_report(
        request,
        form,
        lambda: flags.report_flag_resolve(actor=actor, flag=flag, note=form.cleaned_data["note"]),
        _("Flag resolved."),
    )
    return back_to_report(flag.report)
