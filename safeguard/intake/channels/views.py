"""Webhooks of the providers (thin, fast: check, store, enqueue) and the channel staff pages."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safeguard.accounts.access import Actor, actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import submitted
from safeguard.intake import access as intake_access
from safeguard.intake.channels import providers, selectors, services
from safeguard.intake.channels.forms import MessagingChannelForm, ReplyForm, TestMessageForm
from safeguard.intake.channels.models import MessagingChannel, Provider
from safeguard.intake.views.public import no_store
from safeguard.intake.views.triage import act_on_report, back_to_report, flash_errors

logger = logging.getLogger(__name__)

TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _channel(key: str) -> MessagingChannel:
    channel = MessagingChannel.objects.filter(webhook_key=key, is_active=True).first()
    if channel is None:
        raise Http404
    return channel


def _ok(channel: MessagingChannel) -> HttpResponse:
    if channel.provider in (Provider.TWILIO_SMS, Provider.TWILIO_WHATSAPP):
        return HttpResponse(TWIML_EMPTY, content_type="text/xml")
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def inbound(request: HttpRequest, key: str) -> HttpResponse:
    """A provider delivers messages: check, store, enqueue, answer at once (no reply in the answer)."""
    channel = _channel(key)
    if channel.is_ussd:
        return ussd(request, channel)
    try:
        items = providers.parse_inbound(channel, request)
    except providers.Refused as refused:
        # Logged without the payload: it holds the sender's number.
        logger.warning("channel %s refused a webhook: %s", channel.pk, refused)
        return HttpResponse(status=403)
    allowed = [item for item in items if not services.over_sender_limit(channel, item.sender)]
    if len(allowed) < len(items):
        logger.warning("channel %s: a sender is over the rate limit; message dropped", channel.pk)
    services.inbound_store(channel=channel, inbound=allowed)
    return _ok(channel)


def ussd(request: HttpRequest, channel: MessagingChannel) -> HttpResponse:
    """Africa's Talking USSD: the next screen, answered in the request (USSD is a live session)."""
    try:
        providers.check_query_secret(channel, request)
    except providers.Refused as refused:
        logger.warning("channel %s refused a USSD request: %s", channel.pk, refused)
        return HttpResponse(status=403)
    session, sender = request.POST.get("sessionId", ""), request.POST.get("phoneNumber", "")
    if not session or not sender:
        return HttpResponse("END", content_type="text/plain", status=400)
    if services.over_sender_limit(channel, sender):
        return HttpResponse("END Too many requests. Please try later.", content_type="text/plain")
    answer = services.ussd_answer(
        channel=channel, session_id=session, sender=sender, text=request.POST.get("text", "")
    )
    return HttpResponse(answer, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def delivery_status(request: HttpRequest, key: str) -> HttpResponse:
    """A provider's delivery report: Twilio's status callback (signed), Africa's Talking's (secret)."""
    channel = _channel(key)
    try:
        if channel.provider in (Provider.TWILIO_SMS, Provider.TWILIO_WHATSAPP):
            from twilio.request_validator import RequestValidator

            validator = RequestValidator(str(channel.credentials.get("auth_token", "")))
            params = {name: request.POST.get(name, "") for name in request.POST}
            if not validator.validate(
                providers.webhook_url(request), params, request.headers.get("X-Twilio-Signature", "")
            ):
                raise providers.Refused("bad Twilio signature")
            status = providers.TWILIO_STATUSES.get(params.get("MessageStatus", ""), "")
            services.outbound_status(
                channel=channel, provider_message_id=params.get("MessageSid", ""), status=status
            )
        elif channel.provider == Provider.AFRICASTALKING_SMS:
            providers.check_query_secret(channel, request)
            status = {"Success": "delivered", "Failed": "failed", "Rejected": "failed"}.get(
                request.POST.get("status", ""), ""
            )
            services.outbound_status(
                channel=channel, provider_message_id=request.POST.get("id", ""), status=status
            )
        else:
            raise Http404
    except providers.Refused:
        return HttpResponse(status=403)
    return _ok(channel)


# --- staff pages ------------------------------------------------------------------------------


def _channel_for(actor: Actor, channel_id: int) -> MessagingChannel:
    channel = selectors.channels_of(actor).filter(pk=channel_id).first()
    if channel is None:
        raise Http404
    return channel


def webhook_address(request: HttpRequest, channel: MessagingChannel, name: str) -> str:
    path = reverse(name, args=[channel.webhook_key])
    base = services.settings.CHANNEL_WEBHOOK_BASE_URL
    url = base + path if base else request.build_absolute_uri(path)
    if channel.provider in (Provider.AFRICASTALKING_SMS, Provider.AFRICASTALKING_USSD):
        url += "?secret=<webhook secret>"
    return url


@staff_view("channel.manage")
def channel_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    channels = list(selectors.channels_of(actor))
    form = MessagingChannelForm(request.POST or None, initial={"languages": ["en", "es", "fr"]})
    created: list[MessagingChannel] = []
    if submitted(
        request,
        form,
        lambda: created.append(
            services.channel_save(
                channel=form.save(commit=False), credentials=form.credentials(), actor=actor
            )
        ),
        _("Channel saved. Give the provider its webhook address, shown on the channel's page."),
    ):
        return redirect("intake:messaging_channel", channel_id=created[0].pk)
    stats = selectors.channel_stats(channels)
    return render(
        request,
        "intake/channels/list.html",
        {"form": form, "rows": [(channel, stats[channel.pk]) for channel in channels]},
        status=400 if form.errors else 200,
    )


@staff_view("channel.manage")
def channel_detail(request: HttpRequest, channel_id: int) -> HttpResponse:
    actor = actor_for(request)
    channel = _channel_for(actor, channel_id)
    form = MessagingChannelForm(request.POST or None, instance=channel)
    if submitted(
        request,
        form,
        lambda: services.channel_save(
            channel=form.save(commit=False), credentials=form.credentials(), actor=actor
        ),
        _("Channel saved."),
    ):
        return redirect("intake:messaging_channel", channel_id=channel.pk)
    response = render(
        request,
        "intake/channels/detail.html",
        {
            "channel": channel,
            "form": form,
            "test_form": TestMessageForm(),
            "stats": selectors.channel_stats([channel])[channel.pk],
            "failures": selectors.recent_failures(channel),
            "webhook": webhook_address(request, channel, "intake:channel_inbound"),
            "status_webhook": webhook_address(request, channel, "intake:channel_status"),
        },
        status=400 if form.errors else 200,
    )
    return no_store(response)


@require_POST
@staff_view("channel.manage")
def channel_test(request: HttpRequest, channel_id: int) -> HttpResponse:
    actor = actor_for(request)
    channel = _channel_for(actor, channel_id)
    form = TestMessageForm(request.POST)
    if not submitted(
        request,
        form,
        lambda: services.channel_test_message(channel=channel, to=form.cleaned_data["to"], actor=actor),
        _("Test message queued: its status shows in the counts below."),
    ):
        flash_errors(request, form)
    return redirect("intake:messaging_channel", channel_id=channel.pk)


@require_POST
@staff_view("report.triage")
def report_channel_reply(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = actor_for(request)
    report = intake_access.report_to_handle(actor, report_id)
    form = ReplyForm(request.POST)
    act_on_report(
        request,
        form,
        lambda: services.conversation_reply(report=report, body=form.cleaned_data["body"], actor=actor),
        _("Reply sent through the channel; it is also in the questions to the reporter."),
    )
    return back_to_report(report)
