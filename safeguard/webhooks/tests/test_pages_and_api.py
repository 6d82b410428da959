"""The webhook pages and API: organisation admins only, their own organisation only, audited;
and one delivery for real, over HTTP to the shipped verifying receiver."""

from __future__ import annotations

import io
import threading

import pytest
from rest_framework.test import APIClient

from safeguard.accounts.roles import Role
from safeguard.accounts.services import api_token_create
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of, make_member
from safeguard.webhooks import services
from safeguard.webhooks.models import Delivery, DeliveryStatus, Endpoint
from safeguard.webhooks.receiver import make_server

pytestmark = pytest.mark.django_db

NON_ADMIN_ROLES = [role for role in Role if role != Role.ORG_ADMIN]


def _api(user, organisation, scopes=()) -> APIClient:
    client = APIClient()
    key = api_token_create(actor=actor_of(user, organisation), name="t", scopes=scopes)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_every_page_answers_the_admin_of_its_organisation(alice, org_a, subscribe, client_for):
    endpoint, _ = subscribe(alice, org_a, ["report.received"])
    client = client_for(alice)
    pages = {
        "/webhooks/": 200,
        "/webhooks/new/": 200,
        f"/webhooks/{endpoint.pk}/": 200,
    }
    assert {url: client.get(url).status_code for url in pages} == pages
    assert b'href="/webhooks/"' in client.get("/").content  # in the navigation


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_other_roles_get_no_page_and_change_nothing(role, alice, org_a, subscribe, client_for):
    endpoint, _ = subscribe(alice, org_a, ["report.received"])
    client = client_for(make_member(org_a, role))
    for url in ("/webhooks/", "/webhooks/new/", f"/webhooks/{endpoint.pk}/"):
        assert client.get(url).status_code == 403, url
    for action in ("pause", "test", "rotate", "delete"):
        assert client.post(f"/webhooks/{endpoint.pk}/{action}/").status_code == 403
    assert (
        client.post(
            "/webhooks/new/", {"url": "https://x.example.org/", "event_types": ["case.opened"]}
        ).status_code
        == 403
    )
    endpoint.refresh_from_db()
    assert not endpoint.is_paused and endpoint.secret_rotated_at is None
    assert Endpoint.objects.count() == 1 and not Delivery.objects.exists()
    assert b'href="/webhooks/"' not in client.get("/").content


def test_the_admin_of_another_organisation_finds_nothing(alice, charlie, org_a, subscribe, client_for):
    endpoint, _ = subscribe(alice, org_a, ["report.received"])
    client = client_for(charlie)
    assert endpoint.url.encode() not in client.get("/webhooks/").content
    assert client.get(f"/webhooks/{endpoint.pk}/").status_code == 404
    for action in ("pause", "resume", "test", "rotate", "delete"):
        assert client.post(f"/webhooks/{endpoint.pk}/{action}/").status_code == 404
    endpoint.refresh_from_db()
    assert not endpoint.is_paused and not Delivery.objects.exists()


def test_creating_shows_the_secret_once_and_keeps_what_was_typed_on_error(alice, org_a, network, client_for):
    client = client_for(alice)
    refused = client.post(
        "/webhooks/new/",
        {"url": "http://hooks.example.org/in", "description": "Warehouse", "event_types": ["case.opened"]},
    )
    assert refused.status_code == 400
    assert b"Only https:// addresses" in refused.content and b"Warehouse" in refused.content
    assert not Endpoint.objects.exists()

    created = client.post(
        "/webhooks/new/",
        {"url": "https://hooks.example.org/in", "event_types": ["case.opened", "report.received"]},
    )
    assert created.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.secret.encode() in created.content
    assert endpoint.event_types == ["case.opened", "report.received"]
    assert endpoint.secret.encode() not in client.get(f"/webhooks/{endpoint.pk}/").content
    assert AuditEvent.objects.filter(action="webhook.created", actor=alice, organisation=org_a).count() == 1


def test_page_actions_pause_resume_test_rotate_delete(alice, org_a, subscribe, network, client_for):
    endpoint, secret = subscribe(alice, org_a, ["report.received"])
    client = client_for(alice)
    base = f"/webhooks/{endpoint.pk}"
    assert client.post(f"{base}/pause/").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_paused
    assert client.post(f"{base}/resume/").status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_paused
    with_callbacks = client.post(f"{base}/test/")
    assert with_callbacks.status_code == 302
    delivery = Delivery.objects.get(endpoint=endpoint, event_type="webhook.test")
    services.delivery_attempt(delivery_id=delivery.pk)
    log = client.get(f"{base}/").content.decode()
    assert "webhook.test" in log and "HTTP 204" in log and " ms)" in log
    rotated = client.post(f"{base}/rotate/")
    endpoint.refresh_from_db()
    assert endpoint.secret != secret and endpoint.secret.encode() in rotated.content
    assert client.post(f"{base}/delete/").status_code == 302
    assert not Endpoint.objects.exists()
    assert list(
        AuditEvent.objects.filter(object_type="webhooks.endpoint")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "webhook.created",
        "webhook.paused",
        "webhook.resumed",
        "webhook.test_sent",
        "webhook.secret_rotated",
        "webhook.deleted",
    ]


def test_the_api_creates_lists_and_operates_endpoints(alice, org_a, network):
    api = _api(alice, org_a)
    created = api.post(
        "/api/v1/webhooks",
        {"url": "https://hooks.example.org/in", "event_types": ["report.received"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    endpoint = Endpoint.objects.get()
    assert body["secret"] == endpoint.secret and body["paused"] is False
    listed = api.get("/api/v1/webhooks").json()
    assert [row["id"] for row in listed] == [endpoint.pk] and "secret" not in listed[0]
    assert api.post(f"/api/v1/webhooks/{endpoint.pk}/pause").json()["paused"] is True
    assert api.post(f"/api/v1/webhooks/{endpoint.pk}/resume").json()["paused"] is False
    test = api.post(f"/api/v1/webhooks/{endpoint.pk}/test")
    assert test.status_code == 202 and test.json()["event_type"] == "webhook.test"
    services.delivery_attempt(delivery_id=test.json()["id"])
    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").json()
    assert log[0]["status"] == "delivered" and log[0]["attempts"][0]["status_code"] == 204
    secret = api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret").json()["secret"]
    endpoint.refresh_from_db()
    assert secret == endpoint.secret
    assert api.delete(f"/api/v1/webhooks/{endpoint.pk}").status_code == 204
    assert not Endpoint.objects.exists()


def test_the_api_refuses_bad_input_with_field_errors(alice, org_a, network):
    api = _api(alice, org_a)
    answer = api.post(
        "/api/v1/webhooks", {"url": "https://10.0.0.1/", "event_types": ["case.opened"]}, format="json"
    )
    assert answer.status_code == 400
    assert "private" in answer.json()["error"]["fields"]["url"][0]
    answer = api.post(
        "/api/v1/webhooks", {"url": "https://hooks.example.org/", "event_types": []}, format="json"
    )
    assert answer.status_code == 400 and "event_types" in answer.json()["error"]["fields"]
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_the_api_refuses_other_roles(role, alice, org_a, subscribe):
    endpoint, _ = subscribe(alice, org_a, ["report.received"])
    api = _api(make_member(org_a, role), org_a)
    assert api.get("/api/v1/webhooks").status_code == 403
    assert (
        api.post(
            "/api/v1/webhooks",
            {"url": "https://x.example.org/", "event_types": ["case.opened"]},
            format="json",
        ).status_code
        == 403
    )
    assert api.delete(f"/api/v1/webhooks/{endpoint.pk}").status_code == 403
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_the_api_of_another_organisation_answers_not_found(alice, charlie, org_a, org_b, subscribe):
    endpoint, _ = subscribe(alice, org_a, ["report.received"])
    api = _api(charlie, org_b)
    assert api.get("/api/v1/webhooks").json() == []
    for method, path in [
        ("get", ""),
        ("delete", ""),
        ("post", "/pause"),
        ("post", "/test"),
        ("post", "/rotate-secret"),
        ("get", "/deliveries"),
    ]:
        assert getattr(api, method)(f"/api/v1/webhooks/{endpoint.pk}{path}").status_code == 404
    endpoint.refresh_from_db()
    assert not endpoint.is_paused and endpoint.secret_rotated_at is None


def test_a_token_needs_the_webhooks_scope(alice, org_a, subscribe):
    endpoint, _ = subscribe(alice, org_a, ["report.received"])
    assert _api(alice, org_a, scopes=["reports:write"]).get("/api/v1/webhooks").status_code == 403
    reader = _api(alice, org_a, scopes=["webhooks:read"])
    assert reader.get("/api/v1/webhooks").status_code == 200
    assert reader.post(f"/api/v1/webhooks/{endpoint.pk}/pause").status_code == 403
    assert (
        _api(alice, org_a, scopes=["webhooks:write"])
        .post(f"/api/v1/webhooks/{endpoint.pk}/pause")
        .status_code
        == 200
    )


@pytest.fixture
def receiver():
    out = io.StringIO()
    server = make_server(port=0, secret="whsec_placeholder", out=out)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, out
    server.shutdown()
    server.server_close()


def test_a_real_delivery_reaches_the_verifying_receiver(
    alice, org_a, settings, receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    server, out = receiver
    endpoint, secret = services.endpoint_create(
        actor=actor_of(alice, org_a),
        url=f"http://127.0.0.1:{server.server_port}/hook",
        event_types=["case.opened"],
    )
    server.secret = secret
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.endpoint_send_test(actor=actor_of(alice, org_a), endpoint=endpoint)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempt_log.get().status_code == 204
    assert [event["id"] for event in server.received] == [str(delivery.event_id)]
    assert out.getvalue().startswith("verified webhook.test ")

    # A receiver holding another secret refuses the delivery; Safeguard logs the 400.
    server.secret = "whsec_wrong"
    with django_capture_on_commit_callbacks(execute=True):
        refused = services.endpoint_send_test(actor=actor_of(alice, org_a), endpoint=endpoint)
    refused.refresh_from_db()
    assert refused.status == DeliveryStatus.FAILED and refused.attempt_log.get().status_code == 400
    assert "refused (400): signature not valid" in out.getvalue()


def test_without_the_loopback_setting_the_local_receiver_is_refused(alice, org_a, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(services.ValidationError):
        services.endpoint_create(
            actor=actor_of(alice, org_a), url="http://127.0.0.1:9000/hook", event_types=["case.opened"]
        )
