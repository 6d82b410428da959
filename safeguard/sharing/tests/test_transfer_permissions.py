"""Who may transfer a case to another installation, and who may answer: every role, two organisations.

The other installation is an address where nothing listens: a role that passes every check gets
as far as the network (``FederationError``), one that may not is refused before (PermissionDenied)
and nothing is stored. An accepted transfer whose answer cannot be sent opens no case.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safeguard.accounts.roles import Role
from safeguard.cases.models import Case, ConsentGiver, ConsentScope
from safeguard.cases.services.consents import consent_record
from safeguard.sharing import federation, handovers
from safeguard.sharing.models import Handover, HandoverKind, HandoverStatus, Peer, PeerStatus
from safeguard.sharing.tests.conftest import register_cases
from safeguard.testing.fixtures import actor_of

MAY_SEND = {Role.CASEWORKER, Role.SUPERVISOR}


@pytest.fixture
def peer(db: None) -> Peer:
    federation.ensure_identity(url="http://127.0.0.1:8", name="A")
    return Peer.objects.create(url="http://127.0.0.1:9", name="Installation B", status=PeerStatus.PAIRED)


@pytest.fixture
def case(org_a: Any, member: Any) -> Case:
    worker = actor_of(member(org_a, Role.CASEWORKER, email="owner@alpha.example"), org_a)
    case = register_cases(worker, 1)[0]
    consent_record(
        actor=worker, case=case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.SHARE_INSTALLATION,
        given_on=date(2024, 5, 2),
    )  # fmt: skip
    return case


@pytest.mark.parametrize("role", list(Role))
def test_who_may_send_a_transfer(
    role: Role, peer: Peer, case: Case, org_a: Any, org_b: Any, member: Any
) -> None:
    owner = role == Role.CASEWORKER  # a caseworker reaches the cases they own (a supervisor, all)
    actor = actor_of(case.owner if owner else member(org_a, role), org_a)
    expected = federation.FederationError if role in MAY_SEND else PermissionDenied
    with pytest.raises(expected):
        handovers.handover_send(
            actor=actor, case=case, peer=peer, organisation="beta", summary="Moved",
            kind=HandoverKind.TRANSFER,
        )  # fmt: skip
    # The same role in a second organisation never reaches Alpha's case.
    with pytest.raises(PermissionDenied):
        handovers.handover_send(
            actor=actor_of(member(org_b, role), org_b), case=case, peer=peer, organisation="beta",
            summary="Moved", kind=HandoverKind.TRANSFER,
        )  # fmt: skip
    assert not Handover.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_who_may_answer_a_transfer(role: Role, peer: Peer, org_a: Any, org_b: Any, member: Any) -> None:
    incoming = Handover.objects.create(
        peer=peer, outgoing=False, reference="t1", organisation=org_b, other_organisation="Far Hotline",
        kind=HandoverKind.TRANSFER, summary="Moved",
        record=json.dumps({"prs_FirstName": "Testa", "prs_Gender": "Feminine", "cas_Status": "Active"}),
    )  # fmt: skip
    expected = federation.FederationError if role == Role.SUPERVISOR else PermissionDenied
    with pytest.raises(expected):
        handovers.handover_decide(actor=actor_of(member(org_b, role), org_b), handover=incoming, accept=True)
    with pytest.raises(PermissionDenied):
        handovers.handover_decide(actor=actor_of(member(org_a, role), org_a), handover=incoming, accept=True)
    incoming.refresh_from_db()
    assert (incoming.status, incoming.case_id) == (HandoverStatus.SENT, None)
    assert not Case.objects.filter(organisation=org_b).exists()  # no case without the answer sent


def test_the_transfer_page_offers_the_override_and_refuses_outsiders(
    peer: Peer, case: Case, org_a: Any, org_b: Any, member: Any, client_for: Any
) -> None:
    page = client_for(case.owner).get(f"/federation/transfers/new/{case.pk}/")
    assert page.status_code == 200 and 'name="override_reason"' in page.content.decode()
    assert client_for(member(org_b, Role.SUPERVISOR)).get(
        f"/federation/transfers/new/{case.pk}/"
    ).status_code in (
        403,
        404,
    )
    assert (
        client_for(member(org_a, Role.OPERATOR)).get(f"/federation/transfers/new/{case.pk}/").status_code
        == 403
    )
