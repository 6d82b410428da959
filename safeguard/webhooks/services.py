"""Writes for webhooks: endpoints (admin actions), and publishing and sending deliveries (system).

The admin services take the ``Actor`` and check ``webhooks.manage`` in its organisation
themselves; each runs in one transaction with its audit event. ``event_publish`` runs inside the
transaction of the audit event it publishes; ``delivery_attempt`` runs in the background worker,
sends outside any transaction and records the answer in a short one.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Membership
from safeguard.accounts.roles import Role
from safeguard.core.audit import audit_record
from safeguard.core.models import AuditEvent
from safeguard.core.validation import no_control_characters
from safeguard.webhooks import catalogue, signing
from safeguard.webhooks.destinations import DestinationRefused, check_destination
from safeguard.webhooks.models import Attempt, Delivery, DeliveryStatus, Endpoint, PauseReason

# After this many failed attempts in a row an endpoint is paused and its admins are told.
PAUSE_AFTER_FAILURES = 10
# A delivery is tried this many times, waiting BACKOFF_BASE·2ⁿ between tries (≈ 2 h in all).
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 10.0
ENDPOINTS_PER_ORGANISATION = 20


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: 1, 2, 4, 8 … minutes, ≤ 6 hours."""
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _check_url(url: str) -> str:
    url = url.strip()
    try:
        check_destination(url, allow_loopback=settings.WEBHOOKS_ALLOW_LOOPBACK)
    except DestinationRefused as refusal:
        raise ValidationError({"url": str(refusal)}, code="destination_refused") from None
    return url


def _check_event_types(event_types: Sequence[str]) -> list[str]:
    chosen = sorted(set(event_types))
    if not chosen:
        raise ValidationError({"event_types": _("Choose at least one event type.")}, code="required")
    unknown = sorted(set(chosen) - set(catalogue.EventType.values))
    if unknown:
        raise ValidationError(
            {"event_types": _("Unknown event types: %(types)s") % {"types": ", ".join(unknown)}},
            code="unknown_event_type",
        )
    return chosen


@transaction.atomic
def endpoint_create(
    *, actor: Actor, url: str, event_types: Sequence[str], description: str = ""
) -> tuple[Endpoint, str]:
    """Subscribe an HTTPS address of the actor's organisation; returns it and its secret (shown once)."""
    actor.require("webhooks.manage")
    assert actor.organisation is not None  # webhooks.manage is held only within an organisation
    if Endpoint.objects.filter(organisation=actor.organisation).count() >= ENDPOINTS_PER_ORGANISATION:
        raise ValidationError(
            _("Your organisation has %(count)d endpoints, the most allowed. Delete one first.")
            % {"count": ENDPOINTS_PER_ORGANISATION},
            code="too_many",
        )
    no_control_characters(description)
    secret = new_secret()
    endpoint = Endpoint(
        organisation=actor.organisation,
        url=_check_url(url),
        description=description.strip(),
        event_types=_check_event_types(event_types),
        secret=secret,
        created_by=actor.user,
    )
    endpoint.full_clean()
    endpoint.save()
    audit_record(
        action="webhook.created",
        actor=actor,
        target=endpoint,
        detail={"event_types": endpoint.event_types},
    )
    return endpoint, secret


@transaction.atomic
def endpoint_rotate_secret(*, actor: Actor, endpoint: Endpoint) -> str:
    """Give the endpoint a new secret (shown once); deliveries from now on are signed with it."""
    _require_own(actor, endpoint)
    secret = new_secret()
    endpoint.secret = secret
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    audit_record(action="webhook.secret_rotated", actor=actor, target=endpoint)
    return secret


@transaction.atomic
def endpoint_pause(*, actor: Actor, endpoint: Endpoint) -> Endpoint:
    """Stop sending; deliveries wait (and are sent on resume)."""
    _require_own(actor, endpoint)
    if not endpoint.is_paused:
        endpoint.paused_at = timezone.now()
        endpoint.pause_reason = PauseReason.ADMIN
        endpoint.save(update_fields=["paused_at", "pause_reason"])
        audit_record(action="webhook.paused", actor=actor, target=endpoint)
    return endpoint


@transaction.atomic
def endpoint_resume(*, actor: Actor, endpoint: Endpoint) -> Endpoint:
    """Send again, starting with the deliveries that waited; the failure count starts afresh."""
    _require_own(actor, endpoint)
    if endpoint.is_paused:
        endpoint.paused_at = None
        endpoint.pause_reason = PauseReason.NONE
        endpoint.consecutive_failures = 0
        endpoint.save(update_fields=["paused_at", "pause_reason", "consecutive_failures"])
        waiting = list(
            Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).values_list(
                "pk", flat=True
            )
        )
        Delivery.objects.filter(pk__in=waiting).update(next_attempt_at=timezone.now())
        audit_record(action="webhook.resumed", actor=actor, target=endpoint, detail={"waiting": len(waiting)})
        for delivery_id in waiting:
            _send_after_commit(delivery_id)
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor: Actor, endpoint: Endpoint) -> None:
    """Delete the endpoint and its delivery log; nothing more is sent to it."""
    _require_own(actor, endpoint)
    audit_record(action="webhook.deleted", actor=actor, target=endpoint, detail={"url": endpoint.url})
    endpoint.delete()


@transaction.atomic
def endpoint_send_test(*, actor: Actor, endpoint: Endpoint) -> Delivery:
    """Queue a ``webhook.test`` event for this endpoint only (even while it is paused: it shows
    whether the receiver works again)."""
    _require_own(actor, endpoint)
    now = timezone.now()
    delivery = _delivery(
        endpoint=endpoint,
        event_type=catalogue.TEST_EVENT,
        at=now,
        data={"object": "webhook", "id": endpoint.pk},
    )
    audit_record(action="webhook.test_sent", actor=actor, target=endpoint, detail={"delivery": delivery.pk})
    _send_after_commit(delivery.pk)
    return delivery


def _require_own(actor: Actor, endpoint: Endpoint) -> None:
    actor.require("webhooks.manage")
    if actor.organisation is None or endpoint.organisation_id != actor.organisation.pk:
        raise ValidationError(_("This endpoint belongs to another organisation."), code="not_yours")


def payload_of(event: AuditEvent, event_type: str) -> dict[str, Any]:
    """What a subscriber learns of ``event``: the record's kind and id and a few codes."""
    data: dict[str, Any] = {"action": event.action}
    kind = catalogue.OBJECTS.get(event.object_type)
    if kind is not None and event.object_id.isdigit():
        data["object"] = kind
        data["id"] = int(event.object_id)
    for key, name in catalogue.CODES.items():
        value = event.detail.get(key) if isinstance(event.detail, dict) else None
        if isinstance(value, str | int) and not isinstance(value, bool) and len(str(value)) <= 40:
            data[name] = value
    return data


def event_publish(*, event: AuditEvent) -> list[Delivery]:
    """Queue ``event`` for every active endpoint that may see it and subscribed to its type.

    It reaches the organisation that recorded it, and the one a hand-over went to (a routed or
    escalated report), never any other. Runs in the transaction of the audit event.
    """
    event_type = catalogue.ACTIONS.get(event.action)
    if event_type is None or event.organisation_id is None:
        return []
    organisations = {event.organisation_id}
    handed_to = catalogue.HANDED_TO.get(event.action)
    if handed_to and isinstance(event.detail, dict) and isinstance(event.detail.get(handed_to), int):
        organisations.add(event.detail[handed_to])
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(organisation_id__in=organisations, paused_at__isnull=True)
        if event_type.value in endpoint.event_types
    ]
    if not endpoints:
        return []
    data = payload_of(event, event_type.value)
    deliveries = [
        _delivery(endpoint=endpoint, event_type=event_type.value, at=event.at, data=data)
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        _send_after_commit(delivery.pk)
    return deliveries


def _delivery(*, endpoint: Endpoint, event_type: str, at: datetime, data: dict[str, Any]) -> Delivery:
    delivery = Delivery(endpoint=endpoint, event_type=event_type, created_at=at, next_attempt_at=at)
    body = {
        "id": str(delivery.event_id),
        "type": event_type,
        "created_at": at.isoformat().replace("+00:00", "Z"),
        "organisation": endpoint.organisation_id,
        "data": data,
    }
    delivery.body = json.dumps(body, sort_keys=True, separators=(",", ":"))
    delivery.save(force_insert=True)
    return delivery


def _send_after_commit(delivery_id: int, run_after: datetime | None = None) -> None:
    def enqueue() -> None:
        from safeguard.webhooks.tasks import deliver_webhook

        task = deliver_webhook
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # no deferred tasks here: ``deliveries_send_due`` sends it when due
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id=delivery_id)

    transaction.on_commit(enqueue)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """Send one delivery; the answer's status code. Redirects are not followed (they could lead
    anywhere, past the destination check)."""
    answer = requests.post(
        url, data=body, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False
    )
    answer.close()
    return answer.status_code


def delivery_attempt(*, delivery_id: int) -> str:
    """Try to send one pending delivery now; record the attempt; schedule a retry or give up.

    Returns the delivery's status afterwards. A delivery already delivered or given up, or
    whose endpoint is paused (it waits for resume) is left alone, so running twice is harmless.
    """
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "missing"
    endpoint = delivery.endpoint
    if endpoint.is_paused and delivery.event_type != catalogue.TEST_EVENT:
        return delivery.status
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > timezone.now():
        return delivery.status  # not due yet (a sweep already tried it; its retry task waits)
    body = delivery.body.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Safeguard-Webhooks/1",
        "Safeguard-Event": delivery.event_type,
        "Safeguard-Delivery": str(delivery.event_id),
        signing.HEADER: signing.signature_header(endpoint.secret, body),
    }
    status_code: int | None = None
    error = ""
    started = time.monotonic()
    try:
        check_destination(endpoint.url, allow_loopback=settings.WEBHOOKS_ALLOW_LOOPBACK)
        status_code = post(endpoint.url, body, headers)
    except DestinationRefused as refusal:
        error = str(refusal)
    except requests.Timeout:
        error = "timeout"
    except requests.RequestException as failure:
        error = type(failure).__name__
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record_attempt(
        delivery_id=delivery.pk, status_code=status_code, error=error[:200], duration_ms=duration_ms
    )


@transaction.atomic
def _record_attempt(*, delivery_id: int, status_code: int | None, error: str, duration_ms: int) -> str:
    delivery = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery_id)
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    now = timezone.now()
    attempt = Attempt.objects.create(
        delivery=delivery, at=now, status_code=status_code, duration_ms=duration_ms, error=error
    )
    delivery.attempts += 1
    if attempt.succeeded:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "attempts"])
        if endpoint.consecutive_failures:
            Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return delivery.status
    if delivery.attempts >= MAX_ATTEMPTS or delivery.event_type == catalogue.TEST_EVENT:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        _send_after_commit(delivery.pk, run_after=delivery.next_attempt_at)
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    endpoint.refresh_from_db(fields=["consecutive_failures"])
    if endpoint.consecutive_failures >= PAUSE_AFTER_FAILURES and not endpoint.is_paused:
        _pause_for_failures(endpoint)
    return delivery.status


def _pause_for_failures(endpoint: Endpoint) -> None:
    endpoint.paused_at = timezone.now()
    endpoint.pause_reason = PauseReason.FAILURES
    endpoint.save(update_fields=["paused_at", "pause_reason"])
    audit_record(
        action="webhook.paused_after_failures",
        organisation=endpoint.organisation,
        target=endpoint,
        detail={"failures": endpoint.consecutive_failures},
    )
    admins = sorted(
        set(
            Membership.objects.active()
            .filter(organisation_id=endpoint.organisation_id, role=Role.ORG_ADMIN)
            .values_list("user__email", flat=True)
        )
    )
    if not admins:
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {"url": endpoint.url, "failures": endpoint.consecutive_failures}
        subject = _("Webhook paused: %(url)s") % values
        message = (
            _(
                "Safeguard could not deliver to your webhook endpoint %(url)s %(failures)s times in a "
                "row and has paused it. Events wait for it. Check the receiver, then sign in to "
                "Safeguard, open Webhooks and resume the endpoint."
            )
            % values
        )
    transaction.on_commit(lambda: send_mail(subject, message, None, admins, fail_silently=True))


def deliveries_send_due(*, now: datetime | None = None) -> int:
    """Try every pending delivery whose time has come (of active endpoints); how many were tried.

    The worker sends retries itself when its backend defers tasks; this also catches up after an
    outage (``manage.py send_webhooks``).
    """
    moment = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=moment, endpoint__paused_at__isnull=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
    for delivery_id in due:
        delivery_attempt(delivery_id=delivery_id)
    return len(due)
