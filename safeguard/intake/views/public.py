"""The public pages: the report in short steps, its receipt, and follow-up with the receipt."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from safeguard.core.forms import apply_service_errors
from safeguard.core.geography import country_name
from safeguard.directory.selectors import hotlines_for_country
from safeguard.intake import proofofwork, receipts, selectors, throttling
from safeguard.intake.choices import Channel
from safeguard.intake.forms import FollowUpForm, PublicReportForm
from safeguard.intake.services.follow_up import report_reporter_message
from safeguard.intake.services.submission import report_submit


def no_store(response: HttpResponse) -> HttpResponse:
    # Receipts and follow-up answers must not linger in shared caches or the back button.
    response["Cache-Control"] = "no-store"
    return response


# Anonymous forms carry no CSRF token and set no cookie: decision 090. A forged submission could
# only send a report the attacker could send themselves; honeypot, limits and proof of work guard
# against floods.
@csrf_exempt
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
        return no_store(
            render(request, "intake/public/receipt.html", {"receipt": fake, "reference": "SG-" + fake[:4]})
        )
    if throttling.hit(request, group="intake.report", rate_setting="INTAKE_PUBLIC_REPORT_RATE"):
        refusal = _over_the_limit(request, form)
        if refusal is not None:
            return refusal
    try:
        submission = report_submit(data=form.to_input(language=get_language() or ""), channel=Channel.WEB)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _render_step(request, form, form.first_step_with_errors() or 0, validated=True, status=400)
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
    return no_store(render(request, "intake/public/receipt.html", context, status=201))


def _over_the_limit(request: HttpRequest, form: PublicReportForm) -> HttpResponse | None:
    """Above the limit: nothing typed is lost and the emergency numbers are shown; a report of a
    child in danger is accepted after a proof of work (None: go ahead and store it)."""
    last = len(form.STEPS) - 1
    if form.cleaned_data.get("child_in_danger") != "yes":
        return _render_step(request, form, last, validated=False, status=429, limited=True)
    token = request.POST.get("pow_challenge", "")
    if not token:
        return _render_step(request, form, last, validated=False, status=429, challenge=proofofwork.issue())
    try:
        proofofwork.redeem(token, request.POST.get("pow_nonce", "").strip())
    except proofofwork.Refused as refused:
        challenge = proofofwork.again(token) if refused.too_early else proofofwork.issue()
        return _render_step(
            request,
            form,
            last,
            validated=False,
            status=429 if refused.too_early else 400,
            challenge=challenge,
            challenge_error=refused.message,
        )
    return None


def _render_step(
    request: HttpRequest,
    form: PublicReportForm,
    index: int,
    *,
    validated: bool,
    status: int = 200,
    limited: bool = False,
    challenge: proofofwork.Challenge | None = None,
    challenge_error: object = "",
) -> HttpResponse:
    names = form.step_fields(index)
    if not validated and form.is_bound:
        # Moving between steps: show the next step clean, errors appear when it is sent.
        form.errors.clear()
    danger = form.data.get("child_in_danger") == "yes" if form.is_bound else False
    country = (form.data.get("country") or "").upper()[:2] if form.is_bound else ""
    emergency = (danger and index > 0) or limited or challenge is not None
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
        "danger": emergency,
        "hotlines": hotlines_for_country(country) if emergency and country else [],
        "country": country,
        "country_name": country_name(country) if country else "",
        "has_errors": validated and bool(form.errors),
        "limited": limited,
        "challenge": challenge,
        "challenge_error": challenge_error,
    }
    return no_store(render(request, "intake/public/report_step.html", context, status=status))


@csrf_exempt  # anonymous, like the report form (decision 090)
@never_cache
def follow_up(request: HttpRequest) -> HttpResponse:
    """Open a report with its receipt: coarse status, questions, and a box to answer."""
    if request.method != "POST":
        return no_store(render(request, "intake/public/follow_up.html", {"form": FollowUpForm()}))
    if throttling.exhausted(
        request, group="intake.follow_up_fail", rate_setting="INTAKE_FOLLOW_UP_FAILURE_RATE"
    ) or throttling.hit(request, group="intake.follow_up", rate_setting="INTAKE_FOLLOW_UP_RATE"):
        # Keep what was typed (the message may have taken a while) and show where to call.
        context = {"form": FollowUpForm(request.POST), "limited": True}
        return no_store(render(request, "intake/public/follow_up.html", context, status=429))
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return no_store(render(request, "intake/public/follow_up.html", {"form": form}, status=400))
    report = selectors.report_by_receipt(form.cleaned_data["receipt"])
    if report is None:
        throttling.hit(request, group="intake.follow_up_fail", rate_setting="INTAKE_FOLLOW_UP_FAILURE_RATE")
        form.add_error("receipt", _("We could not open a report with this code. Check it and try again."))
        return no_store(render(request, "intake/public/follow_up.html", {"form": form}, status=404))
    sent = False
    if form.cleaned_data.get("message"):
        try:
            report_reporter_message(report=report, body=form.cleaned_data["message"])
            sent = True
        except ValidationError as error:
            apply_service_errors(form, error)
    reply = form
    if not form.errors:
        parts = receipts.split(form.cleaned_data["receipt"])
        reply = FollowUpForm(initial={"receipt": receipts.format_receipt(*parts) if parts else ""})
    context = {
        "form": reply,
        "report": report,
        "status": report.public_status,
        "thread": list(report.messages.all()),
        "sent": sent,
        "opened": True,
    }
    return no_store(render(request, "intake/public/follow_up.html", context))
