"""Reads for the webhook pages and API: an organisation's endpoints and an endpoint's log."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from safeguard.accounts.access import Actor
from safeguard.webhooks.models import Attempt, Delivery, Endpoint

LOG_SIZE = 50


def endpoints_of(actor: Actor) -> QuerySet[Endpoint]:
    actor.require("webhooks.manage")
    return Endpoint.objects.filter(organisation=actor.organisation)


def delivery_log(endpoint: Endpoint, *, limit: int = LOG_SIZE) -> list[Delivery]:
    """The endpoint's latest deliveries, newest first, each with its attempts (newest first)."""
    deliveries = Delivery.objects.filter(endpoint=endpoint).prefetch_related(
        Prefetch("attempt_log", queryset=Attempt.objects.order_by("-at", "-id"))
    )
    return list(deliveries[:limit])
