"""Pages of a case's legal matters: open, update, hearings, protection measures, compensation, calendar.

Reached by the case team and by the representing legal-aid provider (``legal.access``); each
view validates its form and calls one service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor, actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import case_for
from safeguard.core.audit import audit_record
from safeguard.core.forms import submitted
from safeguard.legal import forms
from safeguard.legal.access import hearing_for, matter_for, measure_for
from safeguard.legal.models import LegalMatter
from safeguard.legal.selectors import hearings_for
from safeguard.legal.services import matters


def _page(
    request: HttpRequest, form: Any, title: str, submit: str, matter: LegalMatter | None = None, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "matter": matter, **extra}
    return render(request, "legal/action.html", context, status=400 if form.is_bound and form.errors else 200)


def _matter_action(
    request: HttpRequest,
    matter: LegalMatter,
    form: Any,
    write: Callable[[], Any],
    *,
    success: str,
    title: str,
    submit: str,
) -> HttpResponse:
    if submitted(request, form, write, success):
        return redirect("legal:matter", pk=matter.pk)
    return _page(request, form, title, submit, matter)


@staff_view("case.edit")
def matter_new(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, case_id, action="case.edit")
    form = forms.MatterOpenForm(request.POST or None, case=case)
    created: list[LegalMatter] = []

    def write() -> None:
        created.append(
            matters.matter_open(actor=actor, case=case, details=matters.MatterDetails(**form.cleaned_data))
        )

    if submitted(request, form, write, _("Legal matter opened.")):
        return redirect("legal:matter", pk=created[0].pk)
    return _page(request, form, _("Open a legal matter"), _("Open"), case=case)


@staff_view()
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    matter = matter_for(actor, pk)
    audit_record(action="legal.matter.viewed", actor=actor, target=matter, detail={"case": matter.case_id})
    return render(
        request,
        "legal/matter.html",
        {
            "matter": matter,
            "case": matter.case,
            "hearings": matter.hearings.all(),
            "measures": matter.protection_measures.all(),
            "events": matter.events.select_related("actor")[:50],
            "on_case_team": _on_case_team(actor, matter),
        },
    )


def _on_case_team(actor: Actor, matter: LegalMatter) -> bool:
    from safeguard.cases.access import cases_visible_to

    return cases_visible_to(actor).filter(pk=matter.case_id).exists()


@staff_view()
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    matter = matter_for(actor, pk)
    initial = {name: getattr(matter, name) for name in forms.MatterUpdateForm.base_fields}
    form = forms.MatterUpdateForm(request.POST or None, matter=matter, initial=initial)
    return _matter_action(
        request, matter, form,
        lambda: matters.matter_update(actor=actor, matter=matter, **form.cleaned_data),
        success=_("Legal matter updated."), title=_("Update the legal matter"), submit=_("Save"),
    )  # fmt: skip


@staff_view()
def compensation(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    matter = matter_for(actor, pk)
    initial = {
        "currency": matter.currency, "claimed": matter.compensation_claimed,
        "awarded": matter.compensation_awarded, "paid": matter.compensation_paid,
    }  # fmt: skip
    form = forms.CompensationForm(request.POST or None, initial=initial)
    return _matter_action(
        request, matter, form,
        lambda: matters.matter_record_compensation(actor=actor, matter=matter, **form.cleaned_data),
        success=_("Compensation recorded."), title=_("Compensation"), submit=_("Save"),
    )  # fmt: skip


@staff_view()
def hearing_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    matter = matter_for(actor, pk)
    form = forms.HearingForm(request.POST or None)
    return _matter_action(
        request, matter, form,
        lambda: matters.hearing_schedule(actor=actor, matter=matter, **form.cleaned_data),
        success=_("Hearing scheduled; it is on the case's tasks."), title=_("Schedule a hearing"), submit=_("Schedule"),
    )  # fmt: skip


@staff_view()
def hearing_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    hearing = hearing_for(actor, pk)
    form = forms.PreparationForm(request.POST or None)
    return _matter_action(
        request, hearing.matter, form,
        lambda: matters.hearing_prepare_child(actor=actor, hearing=hearing, **form.cleaned_data),
        success=_("Preparation recorded."), title=_("The child's preparation for the hearing"), submit=_("Save"),
    )  # fmt: skip


@staff_view()
def hearing_record(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    hearing = hearing_for(actor, pk)
    form = forms.HearingRecordForm(request.POST or None, matter=hearing.matter)
    return _matter_action(
        request, hearing.matter, form,
        lambda: matters.hearing_record(actor=actor, hearing=hearing, **form.cleaned_data),
        success=_("Hearing recorded."), title=_("Record the hearing"), submit=_("Record"),
    )  # fmt: skip


@staff_view()
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    matter = matter_for(actor, pk)
    form = forms.MeasureForm(request.POST or None)
    return _matter_action(
        request, matter, form,
        lambda: matters.measure_request(actor=actor, matter=matter, **form.cleaned_data),
        success=_("Protection measure recorded."), title=_("Request a protection measure"), submit=_("Save"),
    )  # fmt: skip


@staff_view()
def measure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    measure = measure_for(actor, pk)
    form = forms.MeasureDecisionForm(request.POST or None)
    return _matter_action(
        request, measure.matter, form,
        lambda: matters.measure_decide(actor=actor, measure=measure, **form.cleaned_data),
        success=_("Decision recorded."), title=measure.get_kind_display(), submit=_("Save"),
    )  # fmt: skip


@staff_view()
def calendar(request: HttpRequest) -> HttpResponse:
    """Hearings of every matter the user may see: their cases' and those their organisation represents."""
    actor = actor_for(request)
    if not (actor.can("case.view") or actor.can("referral.respond")):
        raise PermissionDenied("case.view")
    return render(request, "legal/calendar.html", {"hearings": hearings_for(actor)})
