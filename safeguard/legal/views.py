"""Registry pages (read by every staff member, edited by platform admins and legal editors), the
duties and provisions on a report, and the statistics page."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import platform_admin_view, staff_view
from safeguard.core.forms import submitted
from safeguard.directory.models import Hotline
from safeguard.intake.access import report_for
from safeguard.legal import forms
from safeguard.legal.access import (
    jurisdiction_by_code,
    may_edit_jurisdiction,
    report_duty_for,
    require_jurisdiction_editor,
)
from safeguard.legal.models import Instrument, Jurisdiction, LegalEditor, ReportingDuty
from safeguard.legal.selectors import (
    chosen_provisions,
    legal_aid_statistics,
    provisions_for_report,
    stale_entries,
    suggested_provision_ids,
)
from safeguard.legal.services import duties, profiles, registry


def _user_view(view: Any) -> Any:
    """Registry pages: any signed-in staff member with a role, or a platform administrator."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "is_platform_admin", False):
            return platform_admin_view(view)(request, *args, **kwargs)
        return staff_view("legal.view")(view)(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_user_view
def registry_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "legal/home.html",
        {
            "jurisdictions": Jurisdiction.objects.all(),
            "instruments": Instrument.objects.all(),
            "is_platform_admin": request.user.is_platform_admin,  # type: ignore[union-attr]
        },
    )


@_user_view
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    instrument = get_object_or_404(Instrument, code=code)
    statuses = instrument.statuses.select_related("jurisdiction")
    return render(request, "legal/instrument.html", {"instrument": instrument, "statuses": statuses})


@_user_view
def jurisdiction_detail(request: HttpRequest, code: str) -> HttpResponse:
    jurisdiction = jurisdiction_by_code(code)
    stale = stale_entries(jurisdiction)
    return render(
        request,
        "legal/jurisdiction.html",
        {
            "jurisdiction": jurisdiction,
            "statuses": jurisdiction.instrument_statuses.select_related("instrument"),
            "laws": jurisdiction.laws.prefetch_related("provisions"),
            "duties": jurisdiction.reporting_duties.select_related("authority", "provision__law"),
            "authorities": jurisdiction.authorities.all(),
            "hotlines": Hotline.objects.filter(country=jurisdiction.country, is_active=True),
            "stale_count": len(stale),
            "can_edit": may_edit_jurisdiction(request.user, jurisdiction),
            "is_platform_admin": request.user.is_platform_admin,  # type: ignore[union-attr]
        },
    )


def _entry_for(jurisdiction: Jurisdiction | None, record: str, pk: int | None) -> models.Model:
    model = registry.ENTRY_MODELS.get(record)
    if model is None:
        raise Http404("record")
    if record == "jurisdiction":
        if pk is None:
            return Jurisdiction()
        assert jurisdiction is not None
        return jurisdiction
    lookup = {"law__jurisdiction": jurisdiction} if record == "provision" else {"jurisdiction": jurisdiction}
    if pk is None:
        return model() if record == "provision" else model(jurisdiction=jurisdiction)
    return get_object_or_404(model, pk=pk, **lookup)


@_user_view
def entry_edit(request: HttpRequest, code: str, record: str, pk: int | None = None) -> HttpResponse:
    """Add or change one entry of a jurisdiction's profile (or a new jurisdiction, ``code`` "new")."""
    jurisdiction = None if code == "new" else jurisdiction_by_code(code)
    if jurisdiction is None and record != "jurisdiction":
        raise Http404("jurisdiction")
    require_jurisdiction_editor(request.user, jurisdiction)
    entry = _entry_for(jurisdiction, record, pk)
    form_class = forms.ENTRY_FORMS[record]
    kwargs: dict[str, Any] = {"jurisdiction": jurisdiction} if record in ("provision", "duty") else {}
    form = form_class(request.POST or None, instance=entry, **kwargs)
    if submitted(
        request,
        form,
        lambda: registry.registry_entry_save(user=request.user, entry=form.save(commit=False)),  # type: ignore[arg-type]
        _("Saved."),
    ):
        return redirect("legal:jurisdiction", code=form.instance.code if record == "jurisdiction" else code)
    return render(
        request,
        "legal/edit.html",
        {"form": form, "jurisdiction": jurisdiction, "record": record, "entry": entry},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@_user_view
def entry_delete(request: HttpRequest, code: str, record: str, pk: int) -> HttpResponse:
    jurisdiction = jurisdiction_by_code(code)
    require_jurisdiction_editor(request.user, jurisdiction)
    entry = _entry_for(jurisdiction, record, pk)
    try:
        registry.registry_entry_delete(user=request.user, entry=entry)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("legal:jurisdiction", code=code)
    messages.success(request, _("Deleted."))
    if record == "jurisdiction":
        return redirect("legal:home")
    return redirect("legal:jurisdiction", code=code)


@platform_admin_view
def instrument_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    instrument = get_object_or_404(Instrument, code=code) if code else Instrument()
    form = forms.InstrumentForm(request.POST or None, instance=instrument)
    if submitted(
        request,
        form,
        lambda: registry.instrument_save(user=request.user, instrument=form.save(commit=False)),  # type: ignore[arg-type]
        _("Saved."),
    ):
        return redirect("legal:instrument", code=form.instance.code)
    return render(
        request,
        "legal/edit.html",
        {"form": form, "record": "instrument", "entry": instrument},
        status=400 if form.is_bound and form.errors else 200,
    )


@_user_view
def profile_export(request: HttpRequest, code: str, extension: str) -> HttpResponse:
    if extension not in ("json", "csv"):
        raise Http404("format")
    jurisdiction = jurisdiction_by_code(code)
    document = profiles.profile_export(jurisdiction)
    if extension == "csv":
        response = HttpResponse(profiles.profile_to_csv(document), content_type="text/csv; charset=utf-8")
    else:
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="legal-profile-{jurisdiction.code}.{extension}"'
    return response


@_user_view
def profile_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a whole profile; a file with any problem is refused whole, with the list of problems."""
    jurisdiction = None if code == "new" else jurisdiction_by_code(code)
    require_jurisdiction_editor(request.user, jurisdiction)
    form = forms.ProfileImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
            text = None
        if text is not None:
            result = _import_text(request, text, jurisdiction)
            if result.ok and result.jurisdiction is not None:
                messages.success(request, _("Profile imported."))
                return redirect("legal:jurisdiction", code=result.jurisdiction.code)
    return render(
        request,
        "legal/import.html",
        {"form": form, "jurisdiction": jurisdiction, "result": result, "format": profiles.FORMAT},
        status=400 if (form.is_bound and form.errors) or (result and not result.ok) else 200,
    )


def _import_text(request: HttpRequest, text: str, jurisdiction: Jurisdiction | None) -> profiles.ImportResult:
    if text.lstrip().startswith("{"):
        try:
            document, lines = json.loads(text), dict[str, int]()
        except json.JSONDecodeError as error:
            return profiles.ImportResult(
                [profiles.Problem("file", error.lineno, "", _("This is not valid JSON."))]
            )
    else:
        document, lines = profiles.profile_from_csv(text)
    header = document.get("jurisdiction") if isinstance(document, dict) else None
    named = str(header.get("code", "")).upper() if isinstance(header, dict) else ""
    if jurisdiction is not None and named != jurisdiction.code:
        return profiles.ImportResult(
            [
                profiles.Problem(
                    "jurisdiction",
                    lines.get("jurisdiction"),
                    "code",
                    _("The file is the profile of another jurisdiction."),
                )
            ]
        )
    return profiles.profile_import(user=request.user, document=document, lines=lines)  # type: ignore[arg-type]


@platform_admin_view
def editors(request: HttpRequest, code: str) -> HttpResponse:
    jurisdiction = jurisdiction_by_code(code)
    form = forms.EditorGrantForm(request.POST or None)
    if request.POST.get("revoke"):
        revoke = request.POST["revoke"]
        grant = get_object_or_404(
            LegalEditor, pk=int(revoke) if revoke.isdigit() else 0, jurisdiction=jurisdiction
        )
        registry.legal_editor_revoke(user=request.user, grant=grant)  # type: ignore[arg-type]
        messages.success(request, _("Editor removed."))
        return redirect("legal:editors", code=code)
    if submitted(
        request,
        form,
        lambda: registry.legal_editor_grant(
            user=request.user,  # type: ignore[arg-type]
            jurisdiction=jurisdiction,
            email=form.cleaned_data["email"],
        ),
        _("Editor added."),
    ):
        return redirect("legal:editors", code=code)
    grants = jurisdiction.editors.select_related("user")
    return render(
        request, "legal/editors.html", {"jurisdiction": jurisdiction, "form": form, "grants": grants}
    )


# --- duties and provisions on a report -------------------------------------------------------


@staff_view("report.triage")
def report_duty_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    report_duty = report_duty_for(actor, pk)
    form = forms.FulfilForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: duties.report_duty_fulfil(
            actor=actor, report_duty=report_duty, note=form.cleaned_data["note"]
        ),
        _("The duty is recorded as met."),
    ):
        return redirect("intake:report", pk=report_duty.report_id)
    return render(
        request,
        "legal/action.html",
        {
            "form": form,
            "title": report_duty.duty.title,
            "submit": _("Record as reported"),
            "report": report_duty.report,
            "duty": report_duty,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_view("report.escalate")
def report_provisions(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    report = report_for(actor, pk, action="report.escalate")
    provisions = provisions_for_report(report)
    chosen = {provision.pk for provision in chosen_provisions(report)} or suggested_provision_ids(
        report, provisions
    )
    form = forms.ProvisionChoiceForm(
        request.POST or None, provisions=provisions, initial={"provisions": [str(pk) for pk in chosen]}
    )
    if submitted(
        request,
        form,
        lambda: duties.report_provisions_set(
            actor=actor,
            report=report,
            provision_ids=[int(value) for value in form.cleaned_data["provisions"]],
        ),
        _("The provisions are saved; they go with the escalation package."),
    ):
        return redirect("intake:report", pk=report.pk)
    return render(
        request,
        "legal/action.html",
        {
            "form": form,
            "title": _("Provisions that may apply"),
            "intro": _(
                "Offences of the report's jurisdiction; those matching the report's types of exploitation are suggested."
            ),
            "submit": _("Save"),
            "report": report,
            "illustrative": any(p.law.jurisdiction.is_illustrative for p in provisions),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_view("legal.duty_configure")
def duty_settings(request: HttpRequest) -> HttpResponse:
    """An organisation admin takes reporting duties on for the organisation (or gives them up)."""
    actor = actor_for(request)
    if request.method == "POST":
        chosen = request.POST.get("duty", "")
        duty = get_object_or_404(ReportingDuty, pk=int(chosen) if chosen.isdigit() else 0)
        duties.duty_configure(actor=actor, duty=duty, taken_on=request.POST.get("taken_on") == "1")
        messages.success(request, _("Saved."))
        return redirect("legal:duty_settings")
    assert actor.organisation is not None
    rows = ReportingDuty.objects.select_related("jurisdiction").prefetch_related("configured_by")
    return render(
        request,
        "legal/duty_settings.html",
        {"duties": [(duty, actor.organisation in duty.configured_by.all()) for duty in rows]},
    )


@staff_view("legal.statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    return render(
        request,
        "legal/statistics.html",
        {"figures": legal_aid_statistics(actor), "min_count": settings.LEGAL_STATISTICS_MIN_COUNT},
    )
