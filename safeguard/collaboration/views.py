"""Pages of collaboration. Thin: fetch through ``access``, validate a form, call one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import Actor, actor_for
from safeguard.accounts.models import Organisation
from safeguard.accounts.permissions import staff_view
from safeguard.collaboration import access, forms, selectors, services
from safeguard.collaboration.models import (
    AccessRequest,
    CollaborationSettings,
    Share,
    TaskForceMember,
    TaskForceParticipant,
)
from safeguard.core.forms import submitted


def _posted_id(request: HttpRequest, name: str) -> int:
    """An id from a POSTed hidden field; anything else is 0, which no object has."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _member_organisations(task_force: Any) -> Any:
    return Organisation.objects.filter(
        pk__in=TaskForceMember.objects.current().filter(task_force=task_force).values("organisation_id")
    )


@staff_view("taskforce.view")
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    return render(
        request,
        "collaboration/home.html",
        {
            "task_forces": access.taskforces_visible_to(actor).select_related("lead_organisation"),
            "actions": selectors.open_actions_of(actor),
            "requests": list(
                access.requests_visible_to(actor).filter(status__in=["sent", "acknowledged"])[:20]
            ),
            "notices": selectors.notices_open_count(actor) if actor.can("notice.view") else None,
            "can_create": actor.can("taskforce.create"),
            "notifications": list(selectors.notifications_for(actor)[:10]),
            "bilateral": access.bilateral_shares_for(actor),
        },
    )


@staff_view("taskforce.create")
def task_force_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = forms.TaskForceForm(request.POST or None)
    created: dict[str, Any] = {}

    def write() -> None:
        created["task_force"] = services.task_force_create(
            actor=actor,
            name=form.cleaned_data["name"],
            purpose=form.cleaned_data["purpose"],
            jurisdictions=form.codes(),
            terms=form.terms(),
        )

    if submitted(
        request, form, write, _("Task force created. Your organisation admin accepts its agreement.")
    ):
        return redirect("collaboration:workspace", created["task_force"].pk)
    return render(request, "collaboration/task_force_new.html", {"form": form})


def _workspace_forms(actor: Actor, task_force: Any, data: Any = None, step: str = "") -> dict[str, Any]:
    organisations = _member_organisations(task_force)
    return {
        "share_form": forms.ShareForm(data if step == "share" else None, prefix="share"),
        "action_form": forms.ActionForm(
            data if step == "action" else None, prefix="action", organisations=organisations
        ),
        "decision_form": forms.DecisionForm(data if step == "decision" else None, prefix="decision"),
        "operation_form": forms.OperationForm(
            data if step == "operation" else None, prefix="operation", organisations=organisations
        ),
    }


@staff_view("taskforce.view")
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    task_force = access.taskforce_for(actor, pk)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    page_forms = _workspace_forms(actor, task_force, request.POST, step)
    writes = {
        "share": lambda f: services.share_create(
            actor=actor,
            task_force=task_force,
            override_reason=f.cleaned_data.pop("override_reason"),
            **f.cleaned_data,
        ),
        "action": lambda f: services.action_assign(actor=actor, task_force=task_force, **f.cleaned_data),
        "decision": lambda f: services.decision_record(actor=actor, task_force=task_force, **f.cleaned_data),
        "operation": lambda f: services.operation_plan(
            actor=actor,
            task_force=task_force,
            name=f.cleaned_data["name"],
            planned_on=f.cleaned_data["planned_on"],
            participants=list(f.cleaned_data["participants"]),
        ),
    }
    if step in writes:
        form = page_forms[f"{step}_form"]
        if submitted(request, form, lambda: writes[step](form), _("Saved.")):
            return redirect("collaboration:workspace", task_force.pk)
    view = selectors.workspace(actor, task_force, shares_page=request.GET.get("page"))
    seat = view.seat
    acting = seat is not None and seat.participant and not seat.is_observer
    return render(
        request,
        "collaboration/workspace.html",
        {
            "view": view,
            "task_force": task_force,
            "can_share": acting
            and actor.can("share.create")
            and seat is not None
            and seat.agreement is not None,
            "can_manage": acting and actor.can("taskforce.manage"),
            "can_request": acting and actor.can("request.send"),
            "status_form": forms.ActionStatusForm(),
            "outcome_form": forms.OutcomeForm(),
            **page_forms,
        },
    )


@staff_view("taskforce.view")
def members(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    task_force = access.taskforce_for(actor, pk)
    seat = access.seat_of(actor, task_force)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    member_form = forms.MemberForm(
        request.POST if step == "member" else None,
        prefix="member",
        exclude=list(_member_organisations(task_force).values_list("pk", flat=True)),
    )
    own = seat.member if seat is not None else None
    participant_form = (
        forms.ParticipantForm(
            request.POST if step == "participant" else None,
            prefix="participant",
            organisation=own.organisation,
        )
        if own is not None
        else None
    )
    if step == "member" and submitted(
        request,
        member_form,
        lambda: services.member_add(
            actor=actor,
            task_force=task_force,
            organisation=member_form.cleaned_data["organisation"],
            role=member_form.cleaned_data["role"],
            terms=member_form.terms(),
        ),
        _("Member added; its organisation admin accepts its agreement."),
    ):
        return redirect("collaboration:members", task_force.pk)
    if step == "participant" and own is not None and participant_form is not None:
        mine = access.member_of_mine(actor, own.pk)
        if submitted(
            request,
            participant_form,
            lambda: services.participant_add(
                actor=actor, member=mine, user=participant_form.cleaned_data["user"]
            ),
            _("The user now takes part."),
        ):
            return redirect("collaboration:members", task_force.pk)
    if step in ("accept", "remove", "leave"):
        if step == "accept":
            agreement = access.agreement_to_accept(actor, _posted_id(request, "agreement"))
            services.agreement_accept(actor=actor, agreement=agreement)
            messages.success(request, _("Agreement accepted."))
        elif step == "remove" and own is not None:
            participant = TaskForceParticipant.objects.filter(
                pk=_posted_id(request, "participant"), member=access.member_of_mine(actor, own.pk)
            ).first()
            if participant is None:
                raise PermissionDenied("participant")
            services.participant_remove(actor=actor, participant=participant)
            messages.success(request, _("The user no longer takes part."))
        elif step == "leave" and own is not None:
            services.member_leave(actor=actor, member=access.member_of_mine(actor, own.pk))
            messages.success(request, _("Your organisation left the task force."))
            return redirect("collaboration:home")
        return redirect("collaboration:members", task_force.pk)
    view = selectors.workspace(actor, task_force, limit=0)
    return render(
        request,
        "collaboration/members.html",
        {
            "task_force": task_force,
            "view": view,
            "member_form": member_form
            if seat is not None and seat.is_lead and actor.can("taskforce.manage")
            else None,
            "participant_form": participant_form if actor.can("taskforce.agree") else None,
            "participants": list(
                TaskForceParticipant.objects.current().filter(member=own).select_related("user")
            )
            if own is not None and actor.can("taskforce.agree")
            else [],
            "pending": list(own.agreements.filter(accepted_at__isnull=True))
            if own is not None and actor.can("taskforce.agree")
            else [],
            "can_leave": own is not None
            and not (seat is not None and seat.is_lead)
            and actor.can("taskforce.agree"),
        },
    )


@require_POST
@staff_view("taskforce.view")
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    action = access.action_for(actor, pk)
    form = forms.ActionStatusForm(request.POST)
    submitted(
        request,
        form,
        lambda: services.action_set_status(actor=actor, action=action, status=form.cleaned_data["status"]),
        _("Action updated."),
    )
    return redirect("collaboration:workspace", action.task_force_id)


@require_POST
@staff_view("taskforce.manage")
def operation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    operation = access.operation_for(actor, pk)
    form = forms.OutcomeForm(request.POST)
    submitted(
        request,
        form,
        lambda: services.operation_record_outcome(actor=actor, operation=operation, **form.cleaned_data),
        _("Outcome recorded."),
    )
    return redirect("collaboration:workspace", operation.task_force_id)


@staff_view("taskforce.view")
def share_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    form = forms.RevokeForm(request.POST or None)
    if request.method == "POST":
        share = access.share_of_mine(actor, pk)
        if submitted(
            request,
            form,
            lambda: services.share_revoke(actor=actor, share=share, reason=form.cleaned_data["reason"]),
            _("Share revoked."),
        ):
            return redirect("collaboration:share", share.pk)
    visible, view = services.shared_item_open(actor=actor, share_id=pk)
    return render(
        request,
        "collaboration/share.html",
        {
            "visible": visible,
            "share": visible.share,
            "view": view,
            "revoke_form": form if visible.own and actor.can("share.create") else None,
        },
    )


@staff_view("taskforce.view")
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    task_force = access.taskforce_for(actor, pk, action="request.send")
    organisations = _member_organisations(task_force).exclude(pk=getattr(actor.organisation, "pk", None))
    shares = Share.objects.active().filter(task_force=task_force, organisation=actor.organisation)
    form = forms.RequestForm(request.POST or None, organisations=organisations, shares=shares)
    created: dict[str, Any] = {}

    def write() -> None:
        data = form.cleaned_data
        created["request"] = services.request_send(
            actor=actor,
            task_force=task_force,
            to_organisation=data["to_organisation"],
            kind=data["kind"],
            legal_basis=data["legal_basis"],
            subject=data["subject"],
            deadline=data["deadline"],
            shares=list(data["shares"]),
        )

    if submitted(request, form, write, _("Request sent.")):
        return redirect("collaboration:request", created["request"].pk)
    return render(request, "collaboration/request_new.html", {"form": form, "task_force": task_force})


@staff_view()
def request_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    if not (actor.can("request.send") or actor.can("request.respond")):
        raise PermissionDenied("request.send")
    return render(request, "collaboration/requests.html", {"requests": access.requests_visible_to(actor)})


@staff_view()
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    cross_border = access.request_for(actor, pk)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    answer_form = forms.AnswerForm(request.POST if step == "answer" else None, prefix="answer")
    decline_form = forms.DeclineForm(request.POST if step == "decline" else None, prefix="decline")
    if step == "acknowledge":
        services.request_acknowledge(actor=actor, request=cross_border)
        messages.success(request, _("Request acknowledged."))
        return redirect("collaboration:request", cross_border.pk)
    if step == "answer" and submitted(
        request,
        answer_form,
        lambda: services.request_answer(
            actor=actor, request=cross_border, response=answer_form.cleaned_data["response"]
        ),
        _("Answer sent."),
    ):
        return redirect("collaboration:request", cross_border.pk)
    if step == "decline" and submitted(
        request,
        decline_form,
        lambda: services.request_decline(
            actor=actor, request=cross_border, reason=decline_form.cleaned_data["decline_reason"]
        ),
        _("Request declined."),
    ):
        return redirect("collaboration:request", cross_border.pk)
    receiving = cross_border.to_organisation_id == getattr(actor.organisation, "pk", None) and actor.can(
        "request.respond"
    )
    return render(
        request,
        "collaboration/request.html",
        {
            "cross_border": cross_border,
            "attached": list(cross_border.shares.all()),
            "can_answer": receiving and cross_border.is_open,
            "answer_form": answer_form,
            "decline_form": decline_form,
        },
    )


@staff_view("notice.view")
def notice_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    notices = [(notice, selectors.notice_text(notice)) for notice in access.notices_for(actor)[:100]]
    return render(
        request,
        "collaboration/notices.html",
        {
            "notices": notices,
            "to_answer": list(access.access_requests_to_answer(actor).filter(status="pending")),
            "opted_in": selectors.opted_in(actor.organisation.pk) if actor.organisation else False,
        },
    )


@staff_view("notice.view")
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    notice = access.notice_for(actor, pk)
    form = forms.AccessRequestForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.access_request_create(actor=actor, notice=notice, **form.cleaned_data),
        _("Access requested. The other organisation's supervisors decide."),
    ):
        return redirect("collaboration:notice", notice.pk)
    access_request = AccessRequest.objects.filter(notice=notice).first()
    return render(
        request,
        "collaboration/notice.html",
        {
            "notice": notice,
            "text": selectors.notice_text(notice),
            "form": form if notice.status == "open" and notice.counterpart_id else None,
            "access_request": access_request,
        },
    )


@staff_view("notice.respond")
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    access_request = access.access_request_for(actor, pk)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    task_forces = access.taskforces_visible_to(actor).filter(
        members__organisation=access_request.from_organisation, members__left_at__isnull=True
    )
    grant_form = forms.GrantForm(
        request.POST if step == "grant" else None, prefix="grant", task_forces=task_forces
    )
    decline_form = forms.DeclineForm(request.POST if step == "decline" else None, prefix="decline")
    if step == "grant" and submitted(
        request,
        grant_form,
        lambda: services.access_request_grant(
            actor=actor, access_request=access_request, **grant_form.cleaned_data
        ),
        _("The matching records are shared."),
    ):
        return redirect("collaboration:access_request", access_request.pk)
    if step == "decline" and submitted(
        request,
        decline_form,
        lambda: services.access_request_decline(
            actor=actor, access_request=access_request, reason=decline_form.cleaned_data["decline_reason"]
        ),
        _("Access declined."),
    ):
        return redirect("collaboration:access_request", access_request.pk)
    counterpart = access_request.notice.counterpart
    return render(
        request,
        "collaboration/access_request.html",
        {
            "access_request": access_request,
            "own_records": counterpart.own_records if counterpart else [],
            "grant_form": grant_form,
            "decline_form": decline_form,
        },
    )


@staff_view("collaboration.settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    current = CollaborationSettings.objects.filter(organisation=actor.organisation).first()
    form = forms.SettingsForm(
        request.POST or None, initial={"match_notices": bool(current and current.match_notices)}
    )
    if submitted(
        request,
        form,
        lambda: services.settings_update(actor=actor, match_notices=form.cleaned_data["match_notices"]),
        _("Settings saved."),
    ):
        return redirect("collaboration:settings")
    return render(request, "collaboration/settings.html", {"form": form})
