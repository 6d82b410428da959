"""Fetching webhook endpoints for an organisation admin: another organisation's is "not found"."""

from __future__ import annotations

from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.webhooks.models import Delivery, Endpoint


def endpoint_of_my_organisation(actor: Actor, endpoint_id: int) -> Endpoint:
    actor.require("webhooks.manage")
    endpoint = Endpoint.objects.filter(pk=endpoint_id, organisation=actor.organisation).first()
    if endpoint is None:
        raise Http404("webhook endpoint")
    return endpoint


def delivery_of_my_organisation(actor: Actor, delivery_id: int) -> Delivery:
    actor.require("webhooks.manage")
    delivery = (
        Delivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, endpoint__organisation=actor.organisation)
        .first()
    )
    if delivery is None:
        raise Http404("webhook delivery")
    return delivery
