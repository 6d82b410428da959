"""Administration pages: an organisation's routing rules and partner channels."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import apply_service_errors, submitted
from safeguard.intake import access, selectors
from safeguard.intake.forms import HandoverSettingsForm, PartnerChannelForm, RoutingRuleForm
from safeguard.intake.notifications import emails_handovers
from safeguard.intake.services import channels, handover, routing
from safeguard.intake.views.public import no_store


@staff_view("routing.manage")
def routing_rules(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = RoutingRuleForm(request.POST or None, organisations=selectors.route_destinations(actor))
    if submitted(
        request,
        form,
        lambda: routing.routing_rule_save(
            rule=form.save(commit=False), destinations=list(form.cleaned_data["destinations"]), actor=actor
        ),
        _("Routing rule saved."),
    ):
        return redirect("intake:routing")
    return render(
        request,
        "intake/routing.html",
        {
            "form": form,
            "rules": selectors.routing_rules_of(actor),
            "settings_form": HandoverSettingsForm(
                initial={"email_steps": emails_handovers(actor.organisation) if actor.organisation else False}
            ),
            "contact_email": actor.organisation.contact_email if actor.organisation else "",
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_view("routing.manage")
def handover_settings(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = HandoverSettingsForm(request.POST)
    submitted(
        request,
        form,
        lambda: handover.handover_settings_save(email_steps=form.cleaned_data["email_steps"], actor=actor),
        _("Hand-over e-mail setting saved."),
    )
    return redirect("intake:routing")


@require_POST
@staff_view("routing.manage")
def routing_rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    actor = actor_for(request)
    routing.routing_rule_delete(rule=access.routing_rule_for(actor, rule_id), actor=actor)
    messages.success(request, _("Routing rule deleted."))
    return redirect("intake:routing")


@staff_view("channel.manage")
def partner_channels(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = PartnerChannelForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        # The new key is shown on this page once, not flashed, so ``submitted`` does not fit.
        try:
            _channel, new_key = channels.partner_channel_create(name=form.cleaned_data["name"], actor=actor)
        except ValidationError as error:
            apply_service_errors(form, error)
    response = render(
        request,
        "intake/channels.html",
        {
            "form": PartnerChannelForm() if new_key else form,
            "channels": selectors.partner_channels_of(actor),
            "new_key": new_key,
        },
    )
    return no_store(response)


@require_POST
@staff_view("channel.manage")
def partner_channel_revoke(request: HttpRequest, channel_id: int) -> HttpResponse:
    actor = actor_for(request)
    channels.partner_channel_revoke(channel=access.partner_channel_for(actor, channel_id), actor=actor)
    messages.success(request, _("Channel key revoked; the partner can no longer submit with it."))
    return redirect("intake:channels")
