"""Rotating the keys: this installation tells each paired peer with its old key; a peer switches.

The peer side is exercised through the protocol endpoint, with requests signed as the other
installation would sign them; the sending side with the network replaced by a recorder of what
would be sent and with which key.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.core.models import AuditEvent
from safeguard.sharing import federation, rekeying, sealing, signing
from safeguard.sharing.models import PastKey, Peer, PeerStatus

PEER_URL = "http://127.0.0.1:9"


def _signed_post(client: Client, private_key: str, action: str, payload: dict[str, Any]) -> int:
    path = f"{federation.PROTOCOL}{action}"
    body = json.dumps(payload).encode()
    timestamp, signature = signing.sign(private_key, "POST", path, body)
    answer = client.post(
        path, body, content_type="application/json",
        headers={"X-Safeguard-Installation": PEER_URL, "X-Safeguard-Time": timestamp, "X-Safeguard-Signature": signature},
    )  # fmt: skip
    return int(answer.status_code)


def _rekey_message(new_private: str, *, url: str = PEER_URL) -> dict[str, str]:
    public_key = signing.public_key_of(new_private)
    proof_time, proof = signing.sign(new_private, rekeying.PROOF_METHOD, url, public_key.encode())
    box = sealing.public_key_of(sealing.new_private_key())
    return {"public_key": public_key, "box_public_key": box, "proof_time": proof_time, "proof": proof}


@pytest.fixture
def peer_key(db: None) -> str:
    federation.ensure_identity(url="http://127.0.0.1:8", name="A")
    return signing.new_private_key()


@pytest.fixture
def peer(peer_key: str) -> Peer:
    return Peer.objects.create(
        url=PEER_URL, name="B", public_key=signing.public_key_of(peer_key), status=PeerStatus.PAIRED,
        paired_at=timezone.now() - timedelta(days=30),
    )  # fmt: skip


def test_a_peer_switches_and_its_old_key_is_refused_after(peer: Peer, peer_key: str, client: Client) -> None:
    old_public, new_private = peer.public_key, signing.new_private_key()
    before = timezone.now()
    assert _signed_post(client, peer_key, "rekey", _rekey_message(new_private)) == 200
    peer.refresh_from_db()
    assert peer.public_key == signing.public_key_of(new_private) and peer.keys_since is not None
    past = PastKey.objects.get(peer=peer)
    assert past.public_key == old_public and past.valid_until >= before
    assert AuditEvent.objects.filter(action="sharing.federation_rekeyed_by_peer").count() == 1
    # The old key no longer works: a message signed with it is refused and changes nothing.
    assert _signed_post(client, peer_key, "unpair", {"url": PEER_URL}) == 403
    peer.refresh_from_db()
    assert peer.status == PeerStatus.PAIRED
    # ... and the new one does.
    assert _signed_post(client, new_private, "unpair", {"url": PEER_URL}) == 200
    # A record signed while the old key was in force is still checked against it.
    assert rekeying.public_key_at(peer=peer, at=before - timedelta(days=1)) == old_public
    assert rekeying.public_key_at(peer=peer, at=timezone.now()) == peer.public_key


def test_a_forged_rotation_is_refused(peer: Peer, peer_key: str, client: Client) -> None:
    original = peer.public_key
    attacker = signing.new_private_key()
    # Signed by a key that is not the peer's.
    assert _signed_post(client, attacker, "rekey", _rekey_message(attacker)) == 403
    # Signed by the peer's key, but the new key's proof is made by another key.
    forged = _rekey_message(signing.new_private_key())
    forged["public_key"] = signing.public_key_of(attacker)
    assert _signed_post(client, peer_key, "rekey", forged) == 403
    # Not a key at all.
    assert (
        _signed_post(client, peer_key, "rekey", {**_rekey_message(attacker), "box_public_key": "eA=="}) == 400
    )
    peer.refresh_from_db()
    assert peer.public_key == original and not PastKey.objects.exists()


def test_rotating_tells_each_paired_peer_with_the_old_key(
    peer: Peer, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = User.objects.create_user("root@a.example", "x", name="Root", is_platform_admin=True)
    Peer.objects.create(url="http://127.0.0.1:7", name="C", status=PeerStatus.UNPAIRED)
    me = federation.identity()
    assert me is not None
    old_public = me.public_key
    sent: list[tuple[str, str, str, dict[str, Any]]] = []

    def record(identity: Any, url: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        sent.append((identity.public_key, url, action, payload))
        return {}

    monkeypatch.setattr(federation, "post", record)
    with pytest.raises(PermissionDenied):
        rekeying.identity_rotate_keys(user=User.objects.create_user("x@a.example", "x", name="X"))
    assert not sent
    assert rekeying.identity_rotate_keys(user=admin) == []
    me.refresh_from_db()
    assert me.public_key != old_public and me.keys_since is not None
    # Only the paired peer is told, in a message signed with the old key, carrying the new keys.
    assert [(key, url, action) for key, url, action, _payload in sent] == [(old_public, PEER_URL, "rekey")]
    payload = sent[0][3]
    assert (payload["public_key"], payload["box_public_key"]) == (me.public_key, me.box_public_key)
    signing.verify(
        me.public_key,
        rekeying.PROOF_METHOD,
        me.url,
        me.public_key.encode(),
        payload["proof_time"],
        payload["proof"],
    )
    assert PastKey.objects.get(peer=None).public_key == old_public
    assert AuditEvent.objects.filter(action="sharing.federation_keys_rotated").count() == 1


def test_a_peer_that_cannot_be_told_is_reported(peer: Peer, platform_admin: User, client_for: Any) -> None:
    answer = client_for(platform_admin).post("/federation/rotate-keys/", follow=True)  # nothing listens at B
    assert "Could not be told" in answer.content.decode() and "B" in answer.content.decode()
    event = AuditEvent.objects.get(action="sharing.federation_keys_rotated")
    assert event.detail["not_told"] == [peer.pk]
