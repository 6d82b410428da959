"""Publishing, signing, sending, retrying and pausing webhook deliveries."""

from __future__ import annotations

import json

import pytest
import requests
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend

from safeguard.accounts.roles import Role
from safeguard.core.audit import audit_record
from safeguard.core.models import AuditEvent
from safeguard.intake.services.routing import report_route
from safeguard.intake.services.triage import report_assign
from safeguard.testing.fixtures import actor_of, make_member
from safeguard.webhooks import services, signing
from safeguard.webhooks.models import Delivery, DeliveryStatus, Endpoint, PauseReason

pytestmark = pytest.mark.django_db


def test_an_event_reaches_the_subscriber_signed_with_ids_and_codes_only(
    alice, bob, org_a, subscribe, new_report, network, django_capture_on_commit_callbacks
):
    endpoint, secret = subscribe(alice, org_a, ["report.triaged"])
    report = new_report(org_a)
    with django_capture_on_commit_callbacks(execute=True):
        report_assign(report=report, assignee=bob, actor=actor_of(bob, org_a))

    assert len(network.sent) == 1
    sent = network.sent[0]
    body = json.loads(sent["body"])
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert body == {
        "id": str(delivery.event_id),
        "type": "report.triaged",
        "created_at": body["created_at"],
        "organisation": org_a.pk,
        "data": {"action": "report.assigned", "object": "report", "id": report.pk},
    }
    # Nothing of the report itself: no narrative, no name, not the assignee.
    assert b"Zed" not in sent["body"] and b"narrative" not in sent["body"]
    assert str(bob.pk) not in json.dumps(body["data"]).replace(str(report.pk), "")
    assert sent["headers"]["Safeguard-Event"] == "report.triaged"
    assert sent["headers"]["Safeguard-Delivery"] == str(delivery.event_id)
    assert signing.verify(secret, sent["headers"]["Safeguard-Signature"], sent["body"])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert delivery.attempt_log.get().status_code == 204


def test_the_status_code_is_carried_but_never_free_text(alice, bob, org_a, subscribe, new_report, network):
    endpoint, _secret = subscribe(alice, org_a, ["report.triaged"])
    report = new_report(org_a)
    audit_record(
        action="report.status_changed",
        actor=actor_of(bob, org_a),
        target=report,
        detail={"from": "new", "to": "closed", "outcome": "no_action", "note": "Zed Example said so"},
    )
    data = json.loads(Delivery.objects.get(endpoint=endpoint).body)["data"]
    assert data == {
        "action": "report.status_changed",
        "object": "report",
        "id": report.pk,
        "status": "closed",
        "outcome": "no_action",
    }


def test_events_of_another_organisation_never_reach_the_endpoint(
    alice, charlie, org_a, org_b, operator_b, subscribe, new_report, network
):
    endpoint_a, _ = subscribe(alice, org_a, [value for value in services.catalogue.EventType.values])
    endpoint_b, _ = subscribe(charlie, org_b, ["report.triaged", "report.received"])
    report_b = new_report(org_b)
    report_assign(report=report_b, assignee=operator_b, actor=actor_of(operator_b, org_b))

    assert not Delivery.objects.filter(endpoint=endpoint_a).exists()
    assert sorted(Delivery.objects.filter(endpoint=endpoint_b).values_list("event_type", flat=True)) == [
        "report.received",
        "report.triaged",
    ]


def test_a_report_routed_to_another_organisation_tells_the_receiver_and_the_sender(
    alice, bob, charlie, org_a, org_b, subscribe, new_report, network
):
    endpoint_a, _ = subscribe(alice, org_a, ["report.routed"])
    endpoint_b, _ = subscribe(charlie, org_b, ["report.routed"])
    report = new_report(org_a)
    report_route(report=report, organisation=org_b, actor=actor_of(bob, org_a))

    for endpoint in (endpoint_a, endpoint_b):
        data = json.loads(Delivery.objects.get(endpoint=endpoint).body)["data"]
        assert data == {"action": "report.routed", "object": "report", "id": report.pk}


def test_only_subscribed_types_and_active_endpoints_get_deliveries(alice, bob, org_a, subscribe, new_report):
    received, _ = subscribe(alice, org_a, ["report.received"])
    paused, _ = subscribe(alice, org_a, ["report.received"], url="https://hooks.example.org/two")
    services.endpoint_pause(actor=actor_of(alice, org_a), endpoint=paused)
    report = new_report(org_a)
    report_assign(report=report, assignee=bob, actor=actor_of(bob, org_a))

    assert list(Delivery.objects.filter(endpoint=received).values_list("event_type", flat=True)) == [
        "report.received"
    ]
    assert not Delivery.objects.filter(endpoint=paused).exists()


def test_deliveries_are_rolled_back_with_the_change_they_announce(alice, org_a, subscribe):
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    with pytest.raises(RuntimeError), django_atomic():
        audit_record(action="case.registered", organisation=org_a, object_type="cases.case", object_id=7)
        raise RuntimeError("the change failed")
    assert not Delivery.objects.filter(endpoint=endpoint).exists()


def django_atomic():
    from django.db import transaction

    return transaction.atomic()


def test_a_failed_attempt_is_retried_with_exponential_backoff_then_given_up(
    alice, org_a, subscribe, network, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    network.answers = [500, 503, requests.ConnectionError("refused"), requests.Timeout("slow")]
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    audit_record(action="case.registered", organisation=org_a, object_type="cases.case", object_id=7)
    delivery = Delivery.objects.get(endpoint=endpoint)

    waits = []
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(1, services.MAX_ATTEMPTS + 1):
            before = timezone.now()
            status = services.delivery_attempt(delivery_id=delivery.pk)
            delivery.refresh_from_db()
            assert delivery.attempts == attempt
            if attempt < services.MAX_ATTEMPTS:
                assert status == DeliveryStatus.PENDING
                assert delivery.next_attempt_at is not None
                waits.append(round((delivery.next_attempt_at - before).total_seconds() / 60))
                # Not due yet: a second run now sends nothing.
                services.delivery_attempt(delivery_id=delivery.pk)
                assert len(network.sent) == attempt
                Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert waits == [1, 2, 4, 8, 16, 32, 64]
    assert delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    log = list(delivery.attempt_log.order_by("at", "id").values_list("status_code", "error"))
    assert log[:4] == [(500, ""), (503, ""), (None, "ConnectionError"), (None, "timeout")]
    # Every retry was handed to the worker as a task deferred to its time.
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    retries = [result for result in backend.results if result.task.run_after is not None]
    assert len(retries) == services.MAX_ATTEMPTS - 1
    assert all(result.kwargs == {"delivery_id": delivery.pk} for result in retries)


def test_a_success_resets_the_failure_count(alice, org_a, subscribe, network):
    network.answers = [500, 200]
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    audit_record(action="case.registered", organisation=org_a, object_type="cases.case", object_id=7)
    delivery = Delivery.objects.get(endpoint=endpoint)
    services.delivery_attempt(delivery_id=delivery.pk)
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert services.deliveries_send_due() == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DELIVERED


def test_an_endpoint_that_keeps_failing_is_paused_and_its_admins_told(
    alice, bob, charlie, org_a, subscribe, network, django_capture_on_commit_callbacks
):
    second_admin = make_member(org_a, Role.ORG_ADMIN, email="ada@alpha.example")
    network.answers = [500]
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    for case_id in range(services.PAUSE_AFTER_FAILURES):
        audit_record(
            action="case.registered", organisation=org_a, object_type="cases.case", object_id=case_id
        )
    deliveries = list(Delivery.objects.filter(endpoint=endpoint).order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        for delivery in deliveries[:-1]:
            services.delivery_attempt(delivery_id=delivery.pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_paused and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_attempt(delivery_id=deliveries[-1].pk)
    endpoint.refresh_from_db()
    assert endpoint.is_paused and endpoint.pause_reason == PauseReason.FAILURES
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([alice.email, second_admin.email])
    assert endpoint.url in mail.outbox[0].body and "10 times" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="webhook.paused_after_failures", organisation=org_a).count() == 1

    # While paused, nothing is sent and new events are not queued; they wait for resume.
    sent = len(network.sent)
    Delivery.objects.filter(endpoint=endpoint).update(next_attempt_at=timezone.now())
    assert services.deliveries_send_due() == 0
    assert len(network.sent) == sent

    network.answers = [204]
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_resume(actor=actor_of(alice, org_a), endpoint=endpoint)
    endpoint.refresh_from_db()
    assert not endpoint.is_paused and endpoint.consecutive_failures == 0
    assert set(Delivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)) == {
        DeliveryStatus.DELIVERED
    }


def test_a_redirect_is_a_failure_not_followed(alice, org_a, subscribe, network):
    network.answers = [302]
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    audit_record(action="case.registered", organisation=org_a, object_type="cases.case", object_id=7)
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert services.delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.PENDING
    assert delivery.attempt_log.get().status_code == 302


def test_an_address_that_now_resolves_inside_the_network_is_refused_at_delivery(
    alice, org_a, subscribe, network, monkeypatch
):
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    audit_record(action="case.registered", organisation=org_a, object_type="cases.case", object_id=7)
    monkeypatch.setattr("safeguard.webhooks.destinations.resolve", lambda host, port: ["10.0.0.5"])
    delivery = Delivery.objects.get(endpoint=endpoint)
    services.delivery_attempt(delivery_id=delivery.pk)
    assert network.sent == []
    assert "private" in delivery.attempt_log.get().error


def test_endpoint_create_refuses_bad_input_and_keeps_nothing(alice, org_a, network, monkeypatch):
    actor = actor_of(alice, org_a)
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(
            actor=actor, url="http://hooks.example.org/in", event_types=["report.received"]
        )
    assert "https://" in str(refused.value.message_dict["url"])
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(actor=actor, url="https://hooks.example.org/in", event_types=[])
    assert "event_types" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(
            actor=actor, url="https://hooks.example.org/in", event_types=["report.eaten"]
        )
    assert "report.eaten" in str(refused.value.message_dict["event_types"])
    monkeypatch.setattr("safeguard.webhooks.destinations.resolve", lambda host, port: ["192.168.1.20"])
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(actor=actor, url="https://router.example.org/", event_types=["case.opened"])
    assert "private" in str(refused.value.message_dict["url"])
    assert not Endpoint.objects.exists()


def test_the_secret_is_encrypted_at_rest_and_rotation_changes_the_signature(alice, org_a, subscribe, network):
    from django.db import connection

    endpoint, secret = subscribe(alice, org_a, ["case.opened"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_endpoint WHERE id = %s", [endpoint.pk])
        stored = cursor.fetchone()[0]
    assert secret.startswith("whsec_") and secret not in stored
    new = services.endpoint_rotate_secret(actor=actor_of(alice, org_a), endpoint=endpoint)
    assert new != secret
    audit_record(action="case.registered", organisation=org_a, object_type="cases.case", object_id=7)
    services.delivery_attempt(delivery_id=Delivery.objects.get(endpoint=endpoint).pk)
    sent = network.sent[-1]
    assert signing.verify(new, sent["headers"]["Safeguard-Signature"], sent["body"])
    assert not signing.verify(secret, sent["headers"]["Safeguard-Signature"], sent["body"])
    assert AuditEvent.objects.filter(action="webhook.secret_rotated", object_id=str(endpoint.pk)).exists()


def test_the_test_event_is_sent_once_and_not_retried(
    alice, org_a, subscribe, network, django_capture_on_commit_callbacks
):
    network.answers = [500]
    endpoint, _secret = subscribe(alice, org_a, ["case.opened"])
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.endpoint_send_test(actor=actor_of(alice, org_a), endpoint=endpoint)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert json.loads(network.sent[0]["body"])["type"] == "webhook.test"


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ORG_ADMIN])
def test_only_organisation_admins_manage_endpoints(role, org_a, alice, subscribe):
    from django.core.exceptions import PermissionDenied

    user = make_member(org_a, role)
    with pytest.raises(PermissionDenied):
        services.endpoint_create(
            actor=actor_of(user, org_a), url="https://hooks.example.org/in", event_types=["case.opened"]
        )
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    for service in (services.endpoint_pause, services.endpoint_delete, services.endpoint_rotate_secret):
        with pytest.raises(PermissionDenied):
            service(actor=actor_of(user, org_a), endpoint=endpoint)
    assert Endpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=True).exists()


def test_an_admin_of_another_organisation_cannot_touch_the_endpoint(alice, charlie, org_a, org_b, subscribe):
    endpoint, _ = subscribe(alice, org_a, ["case.opened"])
    for service in (services.endpoint_pause, services.endpoint_delete, services.endpoint_rotate_secret):
        with pytest.raises(ValidationError):
            service(actor=actor_of(charlie, org_b), endpoint=endpoint)
    endpoint.refresh_from_db()
    assert not endpoint.is_paused and endpoint.secret_rotated_at is None
