"""Case pages. Each view fetches through ``cases.access``, validates a form, calls one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import Actor, actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms, htcds, services
from safeguard.cases.access import (
    case_for,
    plan_for_approver,
    referral_for_provider,
    team_for,
    transfer_for_receiver,
)
from safeguard.cases.intake_link import report_prefill
from safeguard.cases.matching import Profile
from safeguard.cases.models import (
    Case,
    CaseStatus,
    Consent,
    FollowUp,
    ReferralStatus,
    RiskLevel,
    Task,
    Team,
)
from safeguard.cases.selectors import (
    case_list,
    case_timeline,
    caseworker_home,
    find_duplicates,
    incoming_referrals,
    supervisor_overview,
)
from safeguard.core.audit import audit_record
from safeguard.core.forms import apply_service_errors, submitted
from safeguard.directory.models import Service
from safeguard.directory.selectors import services_search


def _action(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    submit: str,
    case: Case | None = None,
    intro: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "case": case, "intro": intro, **(extra or {})}
    return render(request, "cases/action.html", context, status=400 if form.is_bound and form.errors else 200)


# ---- lists and homes -------------------------------------------------------------------


@staff_view("case.view")
def case_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    filters = {key: request.GET.get(key, "").strip() for key in ("status", "risk", "name", "reference")}
    cases = case_list(actor, **filters)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    audit_record(
        action="case.list_viewed",
        actor=actor.user,
        organisation=actor.organisation,
        detail={"case_ids": [case.pk for case in page.object_list]},
    )
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "statuses": CaseStatus.choices,
            "risks": RiskLevel.choices,
        },
    )


@staff_view("case.view")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/home.html", {"home": caseworker_home(actor_for(request))})


@staff_view("case.approve")
def supervision(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/supervision.html", {"overview": supervisor_overview(actor_for(request))})


# ---- registration ----------------------------------------------------------------------


def _profile_from(form: forms.RegistrationForm) -> Profile:
    data = form.cleaned_data
    name = " ".join(part for part in (data["first_name"], data["middle_name"], data["second_name"]) if part)
    birth_year = data["birth_date"].year if data["birth_date"] else None
    estimated = False
    if birth_year is None and data["estimated_age"] is not None:
        birth_year, estimated = timezone.localdate().year - data["estimated_age"], True
    return Profile(
        names=[name, *form.alias_list()],
        birth_year=birth_year,
        birth_year_estimated=estimated,
        gender=data["gender"],
        citizenships=data["citizenships"],
        place=(data["subdivision"] or data["country"] or "").upper(),
    )


@staff_view("case.edit")
def register(request: HttpRequest) -> HttpResponse:
    """Register a child; likely duplicates among the cases the user may see are shown first."""
    actor = actor_for(request)
    report_id = request.GET.get("report") or request.POST.get("report") or ""
    initial, report = report_prefill(actor, report_id)
    candidates: list[Any] = []
    if request.method == "POST":
        form = forms.RegistrationForm(request.POST, organisation=actor.organisation)
        if form.is_valid():
            candidates = find_duplicates(actor, _profile_from(form))
            if candidates and not form.cleaned_data["not_a_duplicate"]:
                form.add_error(
                    None, _("This child may already have a case. Check the possible matches before saving.")
                )
            else:
                data = form.cleaned_data
                details = services.PersonDetails(
                    **{
                        name: data[name] or ("" if name not in ("birth_date", "estimated_age") else None)
                        for name in (
                            "first_name",
                            "middle_name",
                            "second_name",
                            "birth_date",
                            "estimated_age",
                            "gender",
                            "primary_language",
                            "secondary_language",
                            "country",
                            "subdivision",
                            "identity_number",
                            "phone",
                            "email",
                            "street",
                            "city",
                            "postal_code",
                            "guardian_name",
                            "guardian_relationship",
                            "guardian_phone",
                        )
                    },
                    aliases=form.alias_list(),
                    citizenships=data["citizenships"],
                )
                try:
                    case = services.case_register(
                        actor=actor,
                        person=details,
                        risk_level=data["risk_level"],
                        team=data["team"],
                        source_report=report,
                        context={
                            "trafficking_status": data["trafficking_status"],
                            "exploitation_types": data["exploitation_types"],
                        },
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(
                        request, _("Case %(reference)s registered.") % {"reference": case.reference}
                    )
                    return redirect("cases:detail", pk=case.pk)
    else:
        form = forms.RegistrationForm(initial=initial, organisation=actor.organisation)
    return render(
        request,
        "cases/register.html",
        {"form": form, "candidates": candidates, "report": report, "report_id": report_id},
        status=400 if form.is_bound and form.errors else 200,
    )


# ---- one case --------------------------------------------------------------------------


@staff_view("case.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk)
    audit_record(action="case.viewed", actor=actor.user, organisation=actor.organisation, target=case)
    today = timezone.localdate()
    context = {
        "case": case,
        "person": case.person,
        "age": case.person.age_on(today),
        "timeline": case_timeline(case)[:100],
        "consents": case.consents.select_related("organisation"),
        "assessment": case.assessments.first(),
        "plans": case.care_plans.prefetch_related("items").select_related("submitted_by", "decided_by"),
        "referrals": case.referrals.select_related("service", "provider").prefetch_related("service_records"),
        "follow_ups": case.follow_ups.all(),
        "milestones": case.milestones.all(),
        "tasks": case.tasks.pending().select_related("assignee"),
        "transfers": case.transfers.select_related("to_organisation"),
        "perpetrators": case.perpetrators.all(),
        "merged_cases": case.merged_cases.all(),
        "can_approve": actor.can("case.approve"),
        "can_merge": actor.can("case.merge"),
        "today": today,
    }
    return render(request, "cases/detail.html", context)


PERSON_FIELDS = (
    "first_name",
    "middle_name",
    "second_name",
    "birth_date",
    "estimated_age",
    "gender",
    "primary_language",
    "secondary_language",
    "country",
    "subdivision",
    "phone",
    "email",
    "street",
    "city",
    "postal_code",
    "guardian_name",
    "guardian_relationship",
    "guardian_phone",
)


def _person_initial(case: Case) -> dict[str, Any]:
    person = case.person
    contact, guardian = person.contact or {}, person.guardian or {}
    return {
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "second_name": person.second_name,
        "aliases": "\n".join(person.aliases or []),
        "birth_date": person.birth_date or None,
        "estimated_age": person.estimated_age,
        "gender": person.gender,
        "citizenships": ", ".join(person.citizenships or []),
        "primary_language": person.primary_language,
        "secondary_language": person.secondary_language,
        "country": person.country,
        "subdivision": person.subdivision,
        **{name: contact.get(name, "") for name in ("phone", "email", "street", "city", "postal_code")},
        **{f"guardian_{name}": guardian.get(name, "") for name in ("name", "relationship", "phone")},
        **{name: getattr(case, name) for name in forms.PersonEditForm.CONTEXT_FIELDS},
    }


@staff_view("case.edit")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the child's details and the victim context after registration."""
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    posted = request.method == "POST"
    form = forms.PersonEditForm(
        request.POST if posted else None, initial=None if posted else _person_initial(case)
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        details = services.PersonDetails(
            **{
                name: data[name] or ("" if name not in ("birth_date", "estimated_age") else None)
                for name in PERSON_FIELDS
            },
            aliases=form.alias_list(),
            citizenships=data["citizenships"],
        )
        try:
            with transaction.atomic():
                services.person_update(actor=actor, case=case, person=details)
                services.case_update_context(actor=actor, case=case, **form.context_values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("cases:detail", pk=case.pk)
    return _action(
        request, form=form, title=_("Edit the child's details"), submit=_("Save details"), case=case
    )


@staff_view("case.edit")
def perpetrator_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.PerpetratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.perpetrator_add(
                actor=actor,
                case=case,
                name=data["name"],
                identifiers=form.identifier_list(),
                roles=data["roles"],
                role_details=data["role_details"],
                gender=data["gender"],
                citizenships=data["citizenships"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Perpetrator recorded."))
            return redirect("cases:detail", pk=case.pk)
    return _action(
        request, form=form, title=_("Record a perpetrator"), submit=_("Save perpetrator"), case=case
    )


@staff_view("case.edit")
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.AssessmentForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.assessment_record(
            actor=actor, case=case, ratings=form.ratings(), notes=form.notes()
        ),
        _("Assessment recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(request, form=form, title=_("Initial assessment"), submit=_("Save assessment"), case=case)


@staff_view("case.edit")
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.CarePlanForm(request.POST or None)
    items = forms.PlanItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [
            services.PlanItemInput(need=row["need"], action=row["action"], due_on=row["due_on"])
            for row in items.cleaned_data
            if row and not row.get("DELETE")
        ]
        try:
            services.care_plan_submit(
                actor=actor,
                case=case,
                goals=form.cleaned_data["goals"],
                support_type=form.cleaned_data["support_type"],
                planned_end=form.cleaned_data["planned_end"],
                items=rows,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Care plan submitted for approval."))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if form.is_bound and (form.errors or items.errors or items.non_form_errors()) else 200
    return render(request, "cases/plan.html", {"case": case, "form": form, "items": items}, status=status)


@staff_view("case.approve")
def plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    care_plan = plan_for_approver(actor, pk)
    form = forms.DecisionForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.care_plan_decide(
            actor=actor,
            plan=care_plan,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        _("Decision recorded."),
    ):
        return redirect("cases:detail", pk=care_plan.case_id)
    return _action(
        request,
        form=form,
        title=_("Approve the care plan"),
        submit=_("Record decision"),
        case=care_plan.case,
        extra={"plan": care_plan, "plan_items": care_plan.items.all()},
    )


@staff_view("case.edit")
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.ConsentForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.consent_record(actor=actor, case=case, **form.cleaned_data),
        _("Consent recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(request, form=form, title=_("Record consent"), submit=_("Save consent"), case=case)


@require_POST
@staff_view("case.edit")
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    consent = get_object_or_404(Consent, pk=pk)
    case = case_for(actor, consent.case_id, action="case.edit")
    try:
        services.consent_withdraw(actor=actor, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("cases:detail", pk=case.pk)


@staff_view("case.edit")
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a service (by need, place, language) and send the referral."""
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    search = forms.ServiceSearchForm(request.GET or {"place": case.person.subdivision or case.person.country})
    search.is_valid()
    found = services_search(
        need=search.cleaned_data.get("need", ""),
        place=search.cleaned_data.get("place", ""),
        language=search.cleaned_data.get("language", ""),
    )[:50]
    service_id = request.GET.get("service") or request.POST.get("service")
    service = (
        Service.objects.active().select_related("provider").filter(pk=service_id).first()
        if service_id
        else None
    )
    form = forms.ReferralForm(request.POST or None, can_override=actor.can("case.override_consent"))
    if request.method == "POST":
        if service is None:
            form.add_error(None, _("Choose a service."))
        elif form.is_valid():
            try:
                services.referral_create(
                    actor=actor,
                    case=case,
                    service=service,
                    summary=form.cleaned_data["summary"],
                    share_first_name=form.cleaned_data["share_first_name"],
                    respond_by=form.cleaned_data["respond_by"],
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("Referral sent to %(provider)s.") % {"provider": service.provider.name}
                )
                return redirect("cases:detail", pk=case.pk)
    context = {"case": case, "search": search, "services": found, "service": service, "form": form}
    return render(request, "cases/refer.html", context, status=400 if form.errors else 200)


@staff_view("case.edit")
def follow_up_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.FollowUpForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.follow_up_schedule(actor=actor, case=case, **form.cleaned_data),
        _("Follow-up scheduled."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(request, form=form, title=_("Schedule a follow-up"), submit=_("Schedule"), case=case)


@staff_view("case.edit")
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    follow_up = get_object_or_404(FollowUp, pk=pk)
    case = case_for(actor, follow_up.case_id, action="case.edit")
    form = forms.FollowUpRecordForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.follow_up_record(actor=actor, follow_up=follow_up, **form.cleaned_data),
        _("Follow-up recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(request, form=form, title=follow_up.purpose, submit=_("Record follow-up"), case=case)


@staff_view("case.edit")
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.MilestoneForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.milestone_record(actor=actor, case=case, **form.cleaned_data),
        _("Milestone recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(
        request, form=form, title=_("Reintegration milestone"), submit=_("Save milestone"), case=case
    )


@staff_view("case.edit")
def closure_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.ReasonForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.case_request_closure(actor=actor, case=case, reason=form.cleaned_data["reason"]),
        _("Closure put forward for a supervisor's approval."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(request, form=form, title=_("Close the case"), submit=_("Ask for approval"), case=case)


@staff_view("case.approve")
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.approve")
    form = forms.DecisionForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.case_decide_closure(
            actor=actor,
            case=case,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        _("Decision recorded."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(
        request,
        form=form,
        title=_("Approve closure"),
        submit=_("Record decision"),
        case=case,
        intro=_("Reason given: %(reason)s") % {"reason": case.closure_reason},
    )


@staff_view("case.edit")
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.ReasonForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.case_reopen(actor=actor, case=case, reason=form.cleaned_data["reason"]),
        _("Case reopened."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(request, form=form, title=_("Reopen the case"), submit=_("Reopen"), case=case)


@staff_view("case.edit")
def transfer_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    form = forms.TransferForm(
        request.POST or None, organisation=case.organisation, can_override=actor.can("case.override_consent")
    )
    if submitted(
        request,
        form,
        lambda: services.transfer_request(
            actor=actor,
            case=case,
            to_organisation=form.cleaned_data["to_organisation"],
            reason=form.cleaned_data["reason"],
            override_reason=form.cleaned_data.get("override_reason", ""),
        ),
        _("Transfer offered; the case moves once the organisation accepts."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return _action(request, form=form, title=_("Transfer the case"), submit=_("Offer transfer"), case=case)


@staff_view("case.approve")
def transfer_respond(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    transfer = transfer_for_receiver(actor, pk)
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.transfer_respond(
                actor=actor, transfer=transfer, accept=accept, note=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if accept:
                messages.success(request, _("Transfer accepted; the case is now yours."))
                return redirect("cases:detail", pk=transfer.case_id)
            messages.success(request, _("Transfer declined."))
            return redirect("cases:supervision")
    intro = _("%(organisation)s offers case %(reference)s. Reason: %(reason)s") % {
        "organisation": transfer.from_organisation.name,
        "reference": transfer.case.reference,
        "reason": transfer.reason,
    }
    return _action(request, form=form, title=_("Transfer offered"), submit=_("Answer"), intro=intro)


@staff_view("case.merge")
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.merge")
    form = forms.MergeForm(request.POST or None, initial={"duplicate": request.GET.get("duplicate", "")})
    if request.method == "POST" and form.is_valid():
        duplicate = case_list(actor, reference=form.cleaned_data["duplicate"]).first()
        if duplicate is None:
            form.add_error("duplicate", _("No case with this reference in your organisation."))
        else:
            try:
                services.case_merge(
                    actor=actor, primary=case, duplicate=duplicate, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Case %(reference)s merged into this one.") % {"reference": duplicate.reference},
                )
                return redirect("cases:detail", pk=case.pk)
    intro = _("The duplicate keeps its records and history and points to this case; nothing is deleted.")
    return _action(
        request,
        form=form,
        title=_("Merge a duplicate into this case"),
        submit=_("Merge"),
        case=case,
        intro=intro,
    )


@require_POST
@staff_view("case.edit")
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    task = get_object_or_404(Task, pk=pk, assignee=actor.user)
    case_for(actor, task.case_id)
    services.task_complete(actor=actor, task=task)
    return redirect(
        request.POST.get("next") if request.POST.get("next", "").startswith("/") else "cases:home"
    )


# ---- teams ------------------------------------------------------------------------------


@staff_view("team.manage")
def teams(request: HttpRequest) -> HttpResponse:
    """The organisation's teams, and a form to create one."""
    actor = actor_for(request)
    form = forms.TeamForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=actor, name=form.cleaned_data["name"], members=list(form.cleaned_data["members"])
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return redirect("cases:teams")
    context = {
        "teams": Team.objects.filter(organisation=actor.organisation).prefetch_related("members"),
        "form": form,
    }
    return render(request, "cases/teams.html", context, status=400 if form.errors else 200)


@staff_view("team.manage")
def team_members(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    team = team_for(actor, pk)
    posted = request.method == "POST"
    form = forms.TeamMembersForm(
        request.POST if posted else None,
        organisation=actor.organisation,
        initial=None if posted else {"members": list(team.members.all())},
    )
    if posted and form.is_valid():
        try:
            services.team_set_members(actor=actor, team=team, members=list(form.cleaned_data["members"]))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Members of %(name)s saved.") % {"name": team.name})
            return redirect("cases:teams")
    return _action(
        request,
        form=form,
        title=_("Members of %(name)s") % {"name": team.name},
        submit=_("Save members"),
        extra={"back": "cases:teams"},
    )


# ---- referrals for providers -----------------------------------------------------------


@staff_view("referral.respond")
def referral_inbox(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    status = request.GET.get("status", "")
    referrals = incoming_referrals(actor, status=status)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    return render(
        request, "cases/referrals.html", {"page": page, "status": status, "statuses": ReferralStatus.choices}
    )


def _referral_view(actor: Actor, referral: Any) -> dict[str, Any]:
    """What a provider may see of a referral: the summary, age, gender, languages and optionally
    the first name — and nothing once the consent it relied on is withdrawn."""
    person = referral.case.person
    shares = services.referral_shares_data(referral)
    return {
        "shares": shares,
        "summary": referral.summary if shares else "",
        "first_name": person.first_name if shares and referral.share_first_name else "",
        "age": person.age_on(timezone.localdate()) if shares else None,
        "gender": person.get_gender_display() if shares else "",
        "languages": [code for code in (person.primary_language, person.secondary_language) if code]
        if shares
        else [],
    }


@staff_view("referral.respond")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    referral = referral_for_provider(actor, pk)
    respond_form = forms.RespondForm(request.POST if request.POST.get("step") == "respond" else None)
    record_form = forms.ServiceRecordForm(request.POST if request.POST.get("step") == "record" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            with transaction.atomic():
                if step == "respond" and respond_form.is_valid():
                    services.referral_respond(
                        actor=actor,
                        referral=referral,
                        accept=respond_form.cleaned_data["decision"] == "accept",
                        reason=respond_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Answer recorded."))
                    return redirect("cases:referral", pk=referral.pk)
                if step == "record" and record_form.is_valid():
                    services.service_record_add(actor=actor, referral=referral, **record_form.cleaned_data)
                    messages.success(request, _("Service recorded."))
                    return redirect("cases:referral", pk=referral.pk)
                if step == "complete":
                    services.referral_complete(actor=actor, referral=referral)
                    messages.success(request, _("Referral completed."))
                    return redirect("cases:referral", pk=referral.pk)
        except ValidationError as error:
            apply_service_errors(respond_form if step == "respond" else record_form, error)
            if step == "complete":
                messages.error(request, " ".join(error.messages))
    audit_record(action="referral.viewed", actor=actor.user, organisation=actor.organisation, target=referral)
    context = {
        "referral": referral,
        "view": _referral_view(actor, referral),
        "records": referral.service_records.all(),
        "respond_form": respond_form,
        "record_form": record_form,
    }
    has_errors = respond_form.errors or record_form.errors
    return render(request, "cases/referral.html", context, status=400 if has_errors else 200)


# ---- HTCDS exchange --------------------------------------------------------------------


@staff_view("htcds.export")
def export(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = forms.ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        deidentified = form.cleaned_data["deidentified"]
        cases = case_list(actor, status=form.cleaned_data["status"]).exclude(status=CaseStatus.MERGED)
        cases = cases.prefetch_related("consents").order_by("registered_at", "id")
        columns = htcds.export_columns(deidentified=deidentified)
        rows = [htcds.case_row(case, deidentified=deidentified) for case in cases]
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
            report = htcds.validate_rows(rows)
            htcds.import_rows(
                actor=actor, report=report, import_valid_rows=form.cleaned_data["import_valid_rows"]
            )
            if report.imported:
                messages.success(request, _("%(count)d cases imported.") % {"count": len(report.imported)})
    status = 400 if form.errors or (report is not None and report.errors) else 200
    return render(request, "cases/import.html", {"form": form, "report": report}, status=status)
