"""Federated match notices and access requests, without a second server.

The other installation is played by this test: it holds its private key and signs what it sends
to our protocol endpoints; what we send it is captured (``sent``) instead of leaving the machine.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client

from safeguard.accounts.roles import Role
from safeguard.collaboration.models import MatchNotice, NoticeStatus, Notification
from safeguard.core.models import AuditEvent
from safeguard.sharing import federated_access, federation, signing
from safeguard.sharing.models import FederatedMatch, Peer, PeerStatus, RemoteAccessRequest, RemoteAccessStatus
from safeguard.sharing.tests.federation_world import hold_report
from safeguard.testing.fixtures import actor_of

OTHER = "https://other.example"
PHONE = "+442079460001"
KEY = f"phone:{PHONE}"


def _signed_post(client: Client, action: str, payload: dict[str, Any], private_key: str) -> Any:
    body = json.dumps(payload).encode()
    path = f"/federation/v1/{action}"
    timestamp, signature = signing.sign(private_key, "POST", path, body)
    return client.post(
        path, body, content_type="application/json",
        headers={signing.HEADER_INSTALLATION: OTHER, signing.HEADER_TIME: timestamp, signing.HEADER_SIGNATURE: signature},
    )  # fmt: skip


@pytest.fixture
def other_key() -> str:
    return signing.new_private_key()


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """What this installation sends the other one (nothing leaves the machine)."""
    captured: list[tuple[str, dict[str, Any]]] = []

    def fake_post(me: Any, peer_url: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        assert peer_url == OTHER
        captured.append((action, payload))
        return {}

    monkeypatch.setattr(federation, "post", fake_post)
    return captured


@pytest.fixture
def world(org_a: Any, other_key: str, client: Client) -> dict[str, Any]:
    """Org A holds a report with PHONE; the paired other installation found it in common."""
    report = hold_report(org_a, PHONE, reference="RPT-A0001")
    federation.ensure_identity(url="https://testserver", name="A")
    peer = Peer.objects.create(
        url=OTHER, name="Other", status=PeerStatus.PAIRED, public_key=signing.public_key_of(other_key)
    )
    response = _signed_post(client, "matched", {"records": {KEY: [["case", 0], ["report", 1]]}}, other_key)
    assert response.status_code == 200
    (entry,) = response.json()["matches"]
    match = FederatedMatch.objects.get(reference=entry["reference"])
    return {"peer": peer, "report": report, "match": match, "entry": entry}


def test_a_match_found_by_the_other_side_writes_a_notice_here(world: dict[str, Any], org_a: Any) -> None:
    entry, match = world["entry"], world["match"]
    assert entry["keys"] == [KEY] and entry["counts"] == {"report": 1} and entry["organisation"] == org_a.name
    notice = MatchNotice.objects.get(organisation=org_a)
    assert (
        match.notice == notice and notice.other_organisation is None and notice.other_installation == "Other"
    )
    assert notice.own_records == [{"type": "report", "id": world["report"]}]
    assert notice.other_counts == {"case": 1, "report": 1} and notice.kinds == ["phone"]
    assert Notification.objects.filter(organisation=org_a, kind="match_notice").count() == 1
    assert AuditEvent.objects.filter(action="collaboration.match_notice", organisation=org_a).count() == 1


def test_the_other_side_asks_and_only_a_supervisor_here_decides(
    world: dict[str, Any], org_a: Any, org_b: Any, member: Any, other_key: str, client: Client,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:  # fmt: skip
    match = world["match"]
    ask = {"reference": match.reference, "purpose": "protection", "note": "Same phone"}
    assert _signed_post(client, "access", {**ask, "reference": "unknown"}, other_key).status_code == 403
    assert _signed_post(client, "access", ask, signing.new_private_key()).status_code == 403
    assert _signed_post(client, "access", ask, other_key).status_code == 200
    assert _signed_post(client, "access", ask, other_key).status_code == 403  # once per match
    request = RemoteAccessRequest.objects.get()
    assert (request.outgoing, request.status) == (False, RemoteAccessStatus.PENDING)
    assert MatchNotice.objects.get(organisation=org_a).status == NoticeStatus.REQUESTED
    assert AuditEvent.objects.filter(
        action="sharing.federation_access_requested", organisation=org_a
    ).exists()

    for role in [r for r in Role if r != Role.SUPERVISOR]:
        with pytest.raises(PermissionDenied):
            federated_access.remote_access_decide(
                actor=actor_of(member(org_a, role), org_a), access_request=request, grant=True
            )
    with pytest.raises(PermissionDenied):  # a supervisor of a second organisation
        federated_access.remote_access_decide(
            actor=actor_of(member(org_b, Role.SUPERVISOR), org_b), access_request=request, grant=True
        )
    supervisor = actor_of(member(org_a, Role.SUPERVISOR), org_a)
    with pytest.raises(ValidationError):
        federated_access.remote_access_decide(
            actor=supervisor, access_request=request, grant=False, reason=" "
        )
    assert sent == []
    federated_access.remote_access_decide(actor=supervisor, access_request=request, grant=True)
    ((action, payload),) = sent
    assert action == "decided" and payload["granted"] is True and payload["reference"] == match.reference
    (view,) = payload["views"]
    assert view["title"] == "RPT-A0001" and view["level"] == "deidentified"
    assert PHONE.lstrip("+") not in json.dumps(payload) and "Fictional narrative" not in json.dumps(payload)
    request.refresh_from_db()
    assert request.status == RemoteAccessStatus.GRANTED and request.decided_by == supervisor.user
    assert AuditEvent.objects.filter(action="sharing.federation_access_granted", organisation=org_a).exists()


def test_our_request_goes_out_and_its_answer_is_kept_while_paired(
    world: dict[str, Any], org_a: Any, org_b: Any, member: Any, other_key: str, client: Client,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:  # fmt: skip
    match, peer = world["match"], world["peer"]
    with pytest.raises(PermissionDenied):  # a second organisation's analyst
        federated_access.remote_access_request(
            actor=actor_of(member(org_b, Role.ANALYST), org_b), match=match, purpose="protection", note="x"
        )
    with pytest.raises(PermissionDenied):  # a role without notice.view
        federated_access.remote_access_request(
            actor=actor_of(member(org_a, Role.CASEWORKER), org_a), match=match, purpose="protection", note="x"
        )
    analyst = actor_of(member(org_a, Role.ANALYST), org_a)
    with pytest.raises(ValidationError):
        federated_access.remote_access_request(actor=analyst, match=match, purpose="protection", note=" ")
    assert sent == []
    federated_access.remote_access_request(
        actor=analyst, match=match, purpose="protection", note="Same phone"
    )
    assert [action for action, _payload in sent] == ["access"]
    views = [
        {"title": "RPT-B0009", "level": "deidentified", "facts": [["Country", "Fictionland"]]},
        {"title": "A full view is dropped", "level": "full", "facts": [["Name", "Someone"]]},
    ]
    decided = {"reference": match.reference, "granted": True, "views": views}
    assert _signed_post(client, "decided", decided, signing.new_private_key()).status_code == 403
    assert _signed_post(client, "decided", decided, other_key).status_code == 200
    assert _signed_post(client, "decided", decided, other_key).status_code == 403  # decided once
    assert [v["title"] for v in federated_access.received_views(match)] == ["RPT-B0009"]
    with connection.cursor() as cursor:  # kept encrypted
        cursor.execute("SELECT received FROM sharing_remoteaccessrequest")
        assert "RPT-B0009" not in str(cursor.fetchall())
    assert MatchNotice.objects.get(organisation=org_a).status == NoticeStatus.GRANTED
    # Unpairing hides what was shared at once, and nothing more is asked or answered.
    peer.status = PeerStatus.UNPAIRED
    peer.save(update_fields=["status"])
    assert federated_access.received_views(match) == []
    assert (
        _signed_post(
            client, "access", {"reference": match.reference, "purpose": "protection", "note": "n"}, other_key
        ).status_code
        == 403
    )


def test_unpaired_stops_requests_and_decisions(
    world: dict[str, Any], org_a: Any, member: Any, other_key: str, client: Client,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:  # fmt: skip
    match, peer = world["match"], world["peer"]
    ask = {"reference": match.reference, "purpose": "protection", "note": "Same phone"}
    assert _signed_post(client, "access", ask, other_key).status_code == 200
    peer.status = PeerStatus.UNPAIRED
    peer.save(update_fields=["status"])
    supervisor = actor_of(member(org_a, Role.SUPERVISOR), org_a)
    with pytest.raises(ValidationError, match="not paired"):
        federated_access.remote_access_decide(
            actor=supervisor, access_request=RemoteAccessRequest.objects.get(), grant=True
        )
    assert sent == []


def test_the_notice_page(
    world: dict[str, Any], org_a: Any, org_b: Any, member: Any, client_for: Any,
    sent: list[tuple[str, dict[str, Any]]],
) -> None:  # fmt: skip
    notice = world["match"].notice
    url = f"/federation/notices/{notice.pk}/"
    analyst = client_for(member(org_a, Role.ANALYST))
    page = analyst.get(url)
    assert page.status_code == 200 and "Request access" in page.content.decode()
    assert client_for(member(org_b, Role.ANALYST)).get(url).status_code == 404
    assert client_for(member(org_a, Role.CASEWORKER)).get(url).status_code == 403
    response = analyst.post(url, {"do": "ask", "purpose": "protection", "note": "Same phone"})
    assert response.status_code == 302 and [action for action, _p in sent] == ["access"]
    assert RemoteAccessRequest.objects.get().outgoing is True
    # The collaboration notice page links to it.
    assert url in analyst.get(f"/collaboration/notices/{notice.pk}/").content.decode()
