"""Webhook pages for organisation admins: the endpoints, one endpoint with its delivery log, and
the actions on it (pause, resume, send a test event, rotate the secret, delete)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import apply_service_errors
from safeguard.webhooks import services
from safeguard.webhooks.access import endpoint_of_my_organisation
from safeguard.webhooks.catalogue import EventType
from safeguard.webhooks.forms import EndpointForm
from safeguard.webhooks.models import Endpoint
from safeguard.webhooks.selectors import delivery_log, endpoints_of


@staff_view("webhooks.manage")
def endpoint_list(request: HttpRequest) -> HttpResponse:
    endpoints = endpoints_of(actor_for(request))
    return render(request, "webhooks/endpoints.html", {"endpoints": endpoints})


@staff_view("webhooks.manage")
def endpoint_new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Endpoint created."))
            return _detail(request, endpoint, secret=secret)
    return render(request, "webhooks/endpoint_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_view("webhooks.manage")
def endpoint_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    return _detail(request, endpoint_of_my_organisation(actor_for(request), endpoint_id))


def _detail(request: HttpRequest, endpoint: Endpoint, secret: str = "") -> HttpResponse:
    labels = dict(EventType.choices)
    return render(
        request,
        "webhooks/endpoint.html",
        {
            "endpoint": endpoint,
            "event_labels": [labels.get(value, value) for value in endpoint.event_types],
            "deliveries": delivery_log(endpoint),
            "secret": secret,
        },
    )


@staff_view("webhooks.manage")
@require_POST
def endpoint_action(request: HttpRequest, endpoint_id: int, action: str) -> HttpResponse:
    actor = actor_for(request)
    endpoint = endpoint_of_my_organisation(actor, endpoint_id)
    if action == "pause":
        services.endpoint_pause(actor=actor, endpoint=endpoint)
        messages.success(request, _("Endpoint paused: events wait until you resume it."))
    elif action == "resume":
        services.endpoint_resume(actor=actor, endpoint=endpoint)
        messages.success(request, _("Endpoint resumed: waiting events are being sent."))
    elif action == "test":
        services.endpoint_send_test(actor=actor, endpoint=endpoint)
        messages.success(request, _("Test event queued; its attempt appears in the log below."))
    elif action == "rotate":
        secret = services.endpoint_rotate_secret(actor=actor, endpoint=endpoint)
        messages.success(request, _("New secret made; deliveries are signed with it from now on."))
        return _detail(request, endpoint, secret=secret)
    elif action == "delete":
        services.endpoint_delete(actor=actor, endpoint=endpoint)
        messages.success(request, _("Endpoint deleted."))
        return redirect("webhooks:endpoints")
    else:
        raise Http404("action")
    return redirect("webhooks:endpoint", endpoint_id=endpoint.pk)
