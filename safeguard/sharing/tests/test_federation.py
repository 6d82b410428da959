"""Federation's denied paths, without a second server: who may pair, ask and answer, and signatures."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.sharing import federation, signing
from safeguard.sharing.models import FederatedMatch, Peer, PeerStatus
from safeguard.sharing.tests.federation_world import hold_phones
from safeguard.testing.fixtures import actor_of

OTHER = "https://other.example"


def _signed_post(client: Client, action: str, payload: dict[str, Any], private_key: str, sender: str) -> Any:
    body = json.dumps(payload).encode()
    path = f"/federation/v1/{action}"
    timestamp, signature = signing.sign(private_key, "POST", path, body)
    return client.post(
        path, body, content_type="application/json",
        headers={signing.HEADER_INSTALLATION: sender, signing.HEADER_TIME: timestamp, signing.HEADER_SIGNATURE: signature},
    )  # fmt: skip


def test_signatures_check_key_body_and_time() -> None:
    key = signing.new_private_key()
    timestamp, signature = signing.sign(key, "POST", "/federation/v1/psi", b"{}", now=1000)
    signing.verify(
        signing.public_key_of(key), "POST", "/federation/v1/psi", b"{}", timestamp, signature, now=1100
    )
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(
            signing.public_key_of(key), "POST", "/federation/v1/psi", b"{1}", timestamp, signature, now=1100
        )
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(
            signing.public_key_of(signing.new_private_key()),
            "POST",
            "/federation/v1/psi",
            b"{}",
            timestamp,
            signature,
            now=1100,
        )
    with pytest.raises(signing.SignatureError, match="too old"):
        signing.verify(
            signing.public_key_of(key), "POST", "/federation/v1/psi", b"{}", timestamp, signature, now=2000
        )
    assert len(signing.fingerprint(signing.public_key_of(key)).split()) == 16


@pytest.mark.parametrize("role", list(Role))
def test_only_platform_admins_pair_and_unpair(role: Role, org_a: Any, member: Any) -> None:
    user = member(org_a, role)
    peer = Peer.objects.create(url=OTHER, status=PeerStatus.INCOMING)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        federation.peer_request(user=user, url=OTHER, own_url="https://me.example", own_name="Me")
    with pytest.raises(PermissionDenied):
        federation.peer_accept(user=user, peer=peer)
    with pytest.raises(PermissionDenied):
        federation.peer_unpair(user=user, peer=peer)
    peer.refresh_from_db()
    assert peer.status == PeerStatus.INCOMING and AuditEvent.objects.count() == before


def test_addresses_must_be_https_except_loopback(db: None) -> None:
    root = User.objects.create_user("root@a.example", "x", name="Root", is_platform_admin=True)
    with pytest.raises(ValidationError, match="https://"):
        federation.peer_request(
            user=root, url="http://other.example", own_url="https://me.example", own_name="Me"
        )
    assert not Peer.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SUPERVISOR])
def test_only_supervisors_of_participating_organisations_ask(
    role: Role, org_a: Any, org_b: Any, member: Any
) -> None:
    peer = Peer.objects.create(
        url=OTHER, status=PeerStatus.PAIRED, public_key=signing.public_key_of(signing.new_private_key())
    )
    hold_phones(org_a, ["+442079460001"])
    with pytest.raises(PermissionDenied):
        federation.psi_query(actor=actor_of(member(org_a, role), org_a), peer=peer)
    # A supervisor of an organisation that does not take part in match notices is refused too.
    with pytest.raises(PermissionDenied):
        federation.psi_query(actor=actor_of(member(org_b, Role.SUPERVISOR), org_b), peer=peer)
    assert not FederatedMatch.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="sharing.federation_psi").exists()


def test_protocol_refuses_unpaired_and_wrongly_signed_senders(client: Client, org_a: Any) -> None:
    hold_phones(org_a, ["+442079460001"])
    federation.ensure_identity(url="https://testserver", name="A")
    intruder = signing.new_private_key()
    # Not paired at all.
    assert _signed_post(client, "psi", {"request": "", "size": 1}, intruder, OTHER).status_code == 403
    # Paired, but with another key than the one that signs.
    Peer.objects.create(
        url=OTHER, status=PeerStatus.PAIRED, public_key=signing.public_key_of(signing.new_private_key())
    )
    assert _signed_post(client, "psi", {"request": "", "size": 1}, intruder, OTHER).status_code == 403
    assert (
        _signed_post(client, "matched", {"keys": ["phone:+442079460001"]}, intruder, OTHER).status_code == 403
    )
    assert not FederatedMatch.objects.exists()
    # An acceptance nobody asked for is refused; garbage is a 400, not a 500.
    accept = {"url": "https://stranger.example", "name": "S", "public_key": signing.public_key_of(intruder)}
    assert _signed_post(client, "accept", accept, intruder, "https://stranger.example").status_code == 403
    assert client.post("/federation/v1/pair", b"[1", content_type="application/json").status_code == 400
    assert client.get("/federation/v1/pair").status_code == 405


def test_a_pair_request_is_stored_for_the_admin_to_accept(db: None, client: Client) -> None:
    key = signing.new_private_key()
    payload = {"url": OTHER, "name": "Other", "public_key": signing.public_key_of(key)}
    response = _signed_post(client, "pair", payload, key, OTHER)
    assert response.status_code == 200 and response.json()["public_key"]
    peer = Peer.objects.get()
    assert (peer.status, peer.name) == (PeerStatus.INCOMING, "Other")
    assert AuditEvent.objects.filter(action="sharing.federation_pair_received").count() == 1
    # A request signed by another key than the one it carries is refused.
    forged = {**payload, "url": "https://forged.example"}
    assert (
        _signed_post(client, "pair", forged, signing.new_private_key(), "https://forged.example").status_code
        == 403
    )


def test_federation_pages(org_a: Any, member: Any, client_for: Any) -> None:
    assert client_for(member(org_a, Role.SUPERVISOR)).get("/federation/matches/").status_code == 200
    assert client_for(member(org_a, Role.OPERATOR)).get("/federation/matches/").status_code == 403
    assert client_for(member(org_a, Role.ORG_ADMIN)).get("/federation/").status_code == 403


def test_asking_an_unreachable_installation_says_so_on_the_form(db: None) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguard.testing.fixtures import UserFactory, signed_in_client

    root = UserFactory.create(email="root@a.example", is_platform_admin=True)
    TOTPDevice.objects.create(user=root, confirmed=True, name="test")
    client = signed_in_client(root)
    port = 9  # discard: nothing listens on loopback there
    response = client.post(
        "/federation/",
        {"url": f"http://127.0.0.1:{port}", "own_url": "https://a.example", "own_name": "A"},
    )
    assert response.status_code == 200
    assert "could not be reached" in response.content.decode()
    assert not Peer.objects.exists()
