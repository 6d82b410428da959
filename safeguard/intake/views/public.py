"""The public pages: the report in short steps, its receipt, and follow-up with the receipt."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from safeguard.core.forms import apply_service_errors
from safeguard.core.geography import country_name
from safeguard.directory.selectors import hotlines_for_country
from safeguard.intake import proofofwork, receipts, selectors, submissions, throttling
from safeguard.intake.forms import FollowUpForm, PublicReportForm
from safeguard.intake.services.follow_up import report_reporter_message


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
    """The public report in short steps, then a review of every answer, then the receipt.

    Answers travel along as hidden fields, so nothing is stored before the report is sent and the
    form works without JavaScript or cookies. The language switch of these pages belongs to the
    form: choosing a language sends the answers with it and the same step comes back in that
    language (decision 121). Sending answers 303 to the receipt page; the one-time submission
    token in the form makes a replayed POST go to the same page and store nothing (decision 120).
    """
    steps = PublicReportForm.STEPS
    review = len(steps)
    if request.method != "POST":
        _use_language(request, request.GET.get("lang", ""))
        form = PublicReportForm(initial={"country": request.GET.get("country", "")[:2].upper()})
        return _render_step(request, form, 0, validated=False, token=submissions.issue())
    _use_language(request, request.POST.get("ui_language", ""))
    token = request.POST.get("submission", "")
    if not submissions.valid(token):
        token = submissions.issue()
    form = PublicReportForm(request.POST)
    try:
        current = min(max(int(request.POST.get("step", "0")), 0), review)
    except ValueError:
        current = 0
    action = request.POST.get("action", "next")
    valid = form.is_valid()
    if "edit" in request.POST:
        try:
            index = min(max(int(request.POST["edit"]), 0), review - 1)
        except ValueError:
            index = 0
        return _render_step(request, form, index, validated=False, token=token)
    if action == "language":
        return _render_step(request, form, current, validated=False, token=token)
    if action == "back":
        return _render_step(request, form, max(current - 1, 0), validated=False, token=token)
    if current < review and any(name in form.errors for name in form.step_fields(current)):
        return _render_step(request, form, current, validated=True, status=400, token=token)
    if action != "submit" and current < review - 1:
        return _render_step(request, form, current + 1, validated=False, token=token)
    if not valid:
        first = form.first_step_with_errors() or 0
        return _render_step(request, form, first, validated=True, status=400, token=token)
    if action != "submit":
        return _render_step(request, form, review, validated=False, token=token)
    if form.cleaned_data.get("website"):
        # A bot filled the honeypot: answer as if it worked, store nothing.
        fake = receipts.format_receipt(receipts.new_lookup(), receipts.new_secret())
        return no_store(
            render(request, "intake/public/receipt.html", {"receipt": fake, "reference": "SG-" + fake[:4]})
        )
    if not submissions.replayed(token) and throttling.hit(
        request, group="intake.report", rate_setting="INTAKE_PUBLIC_REPORT_RATE"
    ):
        refusal = _over_the_limit(request, form, token)
        if refusal is not None:
            return refusal
    try:
        sent = submissions.submit_once(token=token, data=form.to_input(language=get_language() or ""))
    except ValidationError as error:
        apply_service_errors(form, error)
        first = form.first_step_with_errors() or 0
        return _render_step(request, form, first, validated=True, status=400, token=token)
    url = reverse("intake:public_receipt", args=[sent.key])
    if request.headers.get("X-Safeguard-Submit") == "fetch":
        # The page's script sent it (and retries when the connection drops): it goes there itself.
        return no_store(JsonResponse({"receipt_page": url}))
    response = HttpResponseRedirect(url)
    response.status_code = 303  # See Other: reloading the receipt page is a GET, never a resend
    return no_store(response)


def _use_language(request: HttpRequest, code: str) -> None:
    """Show this response in ``code`` if it is one of ours, without setting a cookie."""
    if code in dict(settings.LANGUAGES):
        translation.activate(code)
        request.LANGUAGE_CODE = code


@never_cache
def public_receipt(request: HttpRequest, key: str) -> HttpResponse:
    """The page a sent report lands on: the receipt the first time, never again (decision 120)."""
    page = submissions.open_page(key)
    if page is None:
        raise Http404
    _use_language(request, page.language)
    report = page.report
    context = {
        "receipt": page.receipt,
        "already_shown": not page.receipt,
        "reference": report.reference,
        "hotlines": hotlines_for_country(report.country)
        if report.child_in_danger == "yes" and report.country
        else [],
        "danger": report.child_in_danger == "yes",
        "country_name": country_name(report.country) if report.country else "",
        "follow_up_url": request.build_absolute_uri(reverse("intake:follow_up")),
    }
    response = no_store(render(request, "intake/public/receipt.html", context))
    response["X-Robots-Tag"] = "noindex"
    return response


def _over_the_limit(request: HttpRequest, form: PublicReportForm, token: str) -> HttpResponse | None:
    """Above the limit: nothing typed is lost and the emergency numbers are shown; a report of a
    child in danger is accepted after a proof of work (None: go ahead and store it)."""
    last = len(form.STEPS)  # the review page, with "Send the report"
    if form.cleaned_data.get("child_in_danger") != "yes":
        return _render_step(request, form, last, validated=False, status=429, limited=True, token=token)
    pow_token = request.POST.get("pow_challenge", "")
    if not pow_token:
        challenge = proofofwork.issue()
        return _render_step(
            request, form, last, validated=False, status=429, challenge=challenge, token=token
        )
    try:
        proofofwork.redeem(pow_token, request.POST.get("pow_nonce", "").strip())
    except proofofwork.Refused as refused:
        challenge = proofofwork.again(pow_token) if refused.too_early else proofofwork.issue()
        return _render_step(
            request,
            form,
            last,
            validated=False,
            status=429 if refused.too_early else 400,
            challenge=challenge,
            challenge_error=refused.message,
            token=token,
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
    token: str,
) -> HttpResponse:
    reviewing = index == len(form.STEPS)
    names = [] if reviewing else form.step_fields(index)
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
        "step_title": _("Check and send") if reviewing else form.STEPS[index][1],
        "step_key": "review" if reviewing else form.STEPS[index][0],
        "reviewing": reviewing,
        "review": form.review() if reviewing else [],
        "submission_token": token,
        "visible": [form[name] for name in names],
        "hidden": [form[name] for name in form.fields if name not in names and name != "website"],
        "is_last": index == len(form.STEPS) - 1,
        "languages_keep_answers": True,
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
        _use_language(request, request.GET.get("lang", ""))  # from the receipt page: no cookie
        return no_store(render(request, "intake/public/follow_up.html", {"form": FollowUpForm()}))
    _use_language(request, request.POST.get("ui_language", ""))
    if request.POST.get("action") == "language":
        # Only the language changed: the same form back, in it, with what was typed (decision 121).
        kept = FollowUpForm(request.POST)
        kept.is_valid()
        kept.errors.clear()
        return no_store(render(request, "intake/public/follow_up.html", {"form": kept}))
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


SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "intake" / "sw.js"
APP_ASSETS = (
    "vendor/pico-2.1.1.min.css",
    "css/app.css",
    "js/app.js",
    "js/proof-of-work.js",
    "js/location-picker.js",
    "intake/public-app.js",
    "intake/icon.svg",
    "intake/icon-192.png",
)


def service_worker(request: HttpRequest) -> HttpResponse:
    """The reporting app's service worker, served from /report/ so that its scope is the public
    report pages and stays apart from the learning worker's /learn/ (decisions 083, 123)."""
    body = (
        SERVICE_WORKER.read_text(encoding="utf-8")
        .replace("__STATIC_URL__", settings.STATIC_URL)
        .replace("__ASSETS__", json.dumps([static(name) for name in APP_ASSETS]))
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the report form opens full-screen from the home screen."""
    start = reverse("intake:public_report")
    body = {
        "name": _("Safeguard: report a child at risk"),
        "short_name": _("Report"),
        "description": _("Report a child at risk, anonymously, and follow up your report."),
        "id": start,
        "start_url": start,
        "scope": start,
        "display": "fullscreen",
        "display_override": ["fullscreen", "standalone"],
        "background_color": "#ffffff",
        "theme_color": "#1b6ca8",
        "lang": get_language() or "en",
        "icons": [
            {"src": static("intake/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {
                "src": static("intake/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any maskable",
            },
            {
                "src": static("intake/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")
