"""Referrals to an organisation of a paired installation, over two live servers on loopback.

A's caseworker refers a case (with consent to share with another installation) to Beta on B;
the HTCDS record travels sealed for B and signed by A. B's supervisor sees and declines or
accepts it, the answer comes back signed, both sides audit. Without consent, with a tampered
signature, from a second organisation, or after unpairing, nothing is sent or stored.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.cases.models import ConsentGiver, ConsentScope
from safeguard.cases.services.consents import consent_record
from safeguard.core.models import AuditEvent
from safeguard.sharing import federation, handovers, sealing, signing
from safeguard.sharing.models import Handover, HandoverStatus, PeerStatus
from safeguard.sharing.tests.conftest import register_cases
from safeguard.sharing.tests.test_federation_live import InstallationB, installation_b  # noqa: F401
from safeguard.testing.fixtures import actor_of

B_HANDOVER = (
    "from safeguard.accounts.models import Organisation, User; "
    "from safeguard.testing.fixtures import actor_of; "
    "from safeguard.sharing import handovers; "
    "from safeguard.sharing.models import Handover; "
    "beta = Organisation.objects.get(slug='beta'); "
)


def _pair(b: InstallationB, live_server: Any) -> Any:
    root_a = User.objects.create_user("root@a.example", "x", name="Root A", is_platform_admin=True)
    peer = federation.peer_request(user=root_a, url=b.url, own_url=live_server.url, own_name="A")
    b.shell(
        "from safeguard.sharing import federation; from safeguard.sharing.models import Peer; "
        "from safeguard.accounts.models import User; "
        "federation.peer_accept(user=User.objects.get(email='root@b.example'), peer=Peer.objects.get())"
    )
    peer.refresh_from_db()
    assert peer.status == PeerStatus.PAIRED
    return root_a, peer


def _b_decide(b: InstallationB, email: str, accept: bool, reason: str = "") -> str:
    return b.shell(
        B_HANDOVER + "from django.core.exceptions import PermissionDenied, ValidationError\n"
        "try:\n"
        f"    handovers.handover_decide(actor=actor_of(User.objects.get(email='{email}'), beta),"
        f" handover=Handover.objects.get(), accept={accept}, reason='{reason}')\n"
        "    print('done')\n"
        "except (PermissionDenied, ValidationError) as error:\n"
        "    print('refused', error)\n"
    ).strip()


@pytest.mark.django_db(transaction=True)
def test_referral_across_installations(
    installation_b: InstallationB,  # noqa: F811
    live_server: Any,
    org_a: Any,
    org_b: Any,
    member: Any,
) -> None:
    b = installation_b
    root_a, peer = _pair(b, live_server)
    cal = actor_of(member(org_a, Role.CASEWORKER), org_a)
    case = register_cases(cal, 1)[0]

    # Without consent to share with another installation, nothing leaves.
    with pytest.raises(ValidationError, match="another installation"):
        handovers.handover_send(actor=cal, case=case, peer=peer, organisation="beta", summary="Shelter")
    assert "[]" in b.shell(
        "from safeguard.sharing.models import Handover; print(list(Handover.objects.all()))"
    )

    consent_record(
        actor=cal, case=case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.SHARE_INSTALLATION,
        given_on=date(2024, 5, 2),
    )  # fmt: skip
    # A caseworker of a second organisation cannot send Alpha's case.
    other = actor_of(member(org_b, Role.CASEWORKER), org_b)
    with pytest.raises(PermissionDenied):
        handovers.handover_send(actor=other, case=case, peer=peer, organisation="beta", summary="x")
    assert not Handover.objects.exists()

    sent = handovers.handover_send(
        actor=cal, case=case, peer=peer, organisation="beta", summary="Needs a shelter in Lyon"
    )
    assert sent.status == HandoverStatus.SENT and sent.outgoing
    # B holds the record, encrypted at rest, for Beta; its supervisor sees the HTCDS record.
    shown = b.shell(
        B_HANDOVER + "h = Handover.objects.get(); "
        "print(h.organisation.slug, h.status, h.other_organisation, h.summary, "
        "handovers.record_of(handovers.handover_of(actor_of(User.objects.get(email='sam@b.example'), beta), h.pk))"
        "['prs_FirstName'])"
    )
    assert shown.strip() == "beta sent Alpha Helpline Needs a shelter in Lyon Test0"
    assert b"Test0" not in b.database.read_bytes()  # sealed in transit, encrypted at rest
    assert "Test0" not in b.log.read_text()

    # A caseworker of B may see but not answer; the supervisor declines with a reason.
    assert _b_decide(b, "cal@b.example", True).startswith("refused")
    assert _b_decide(b, "sam@b.example", False).startswith("refused")  # a reason is required
    assert _b_decide(b, "sam@b.example", False, "No place left") == "done"
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason) == (HandoverStatus.DECLINED, "No place left")
    assert {"sharing.handover_sent", "sharing.handover_declined"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    b_audit = b.shell(
        "from safeguard.core.models import AuditEvent; print(sorted(set(AuditEvent.objects.values_list('action', flat=True))))"
    )
    assert "sharing.handover_received" in b_audit and "sharing.handover_declined" in b_audit

    # A second referral, accepted.
    second = handovers.handover_send(actor=cal, case=case, peer=peer, organisation="beta", summary="School")
    b.shell(
        B_HANDOVER
        + "handovers.handover_decide(actor=actor_of(User.objects.get(email='sam@b.example'), beta),"
        " handover=Handover.objects.get(status='sent'), accept=True)"
    )
    second.refresh_from_db()
    assert second.status == HandoverStatus.ACCEPTED

    # An organisation B does not have, and a request with a tampered signature: refused, nothing stored.
    with pytest.raises(federation.FederationError, match="400"):
        handovers.handover_send(actor=cal, case=case, peer=peer, organisation="nobody", summary="x")
    me = federation.identity()
    assert me is not None
    path = f"{federation.PROTOCOL}handover"
    key = json.loads(b.shell(
        "from safeguard.sharing import handovers; import json; print(json.dumps(handovers.key_answer()))"
    ))["box_public_key"]  # fmt: skip
    context = f"forged\n{b.url}\nbeta".encode()
    body = json.dumps(
        {
            "reference": "forged",
            "organisation": "beta",
            "sealed": sealing.seal(key, b'{"record": {}}', context),
        }
    ).encode()
    timestamp, signature = signing.sign(me.private_key, "POST", path, body)
    tampered = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    request = urllib.request.Request(  # noqa: S310 - loopback
        b.url + path, data=body, method="POST",
        headers={"Content-Type": "application/json", signing.HEADER_INSTALLATION: me.url,
                 signing.HEADER_TIME: timestamp, signing.HEADER_SIGNATURE: tampered},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)  # noqa: S310
    assert refused.value.code == 403
    assert (
        b.shell("from safeguard.sharing.models import Handover; print(Handover.objects.count())").strip()
        == "2"
    )

    # A third referral is pending when A unpairs: B refuses it at once and shows nothing more.
    handovers.handover_send(actor=cal, case=case, peer=peer, organisation="beta", summary="Pending")
    federation.peer_unpair(user=root_a, peer=peer)
    answer = b.shell(
        B_HANDOVER + "from django.core.exceptions import ValidationError\n"
        "sam = actor_of(User.objects.get(email='sam@b.example'), beta)\n"
        "h = Handover.objects.get(status='sent')\n"
        "print(handovers.record_of(h), len(handovers.incoming_for(sam)))\n"
        "try:\n"
        "    handovers.handover_decide(actor=sam, handover=h, accept=True)\n"
        "except ValidationError:\n"
        "    print('refused')\n"
    )
    assert answer.split() == ["{}", "0", "refused"]
    peer.status = PeerStatus.PAIRED  # even if A still thought it was paired, B refuses
    peer.save(update_fields=["status"])
    with pytest.raises(federation.FederationError, match="refused"):
        handovers.handover_send(actor=cal, case=case, peer=peer, organisation="beta", summary="x")
    assert Handover.objects.count() == 3
