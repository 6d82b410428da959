"""The pages of referrals with other installations: who sees what, and the refusals they show."""

from __future__ import annotations

import json
from typing import Any

import pytest

from safeguard.accounts.roles import Role
from safeguard.sharing.models import Handover, HandoverStatus, Peer, PeerStatus
from safeguard.sharing.tests.conftest import register_cases
from safeguard.testing.fixtures import actor_of


@pytest.fixture
def peer(db: None) -> Peer:
    return Peer.objects.create(url="http://127.0.0.1:9", name="Installation B", status=PeerStatus.PAIRED)


@pytest.fixture
def incoming(peer: Peer, org_b: Any) -> Handover:
    return Handover.objects.create(
        peer=peer, outgoing=False, reference="r1", organisation=org_b, other_organisation="Far Hotline",
        summary="Needs a shelter", record=json.dumps({"prs_FirstName": "Testa", "prs_Gender": "Feminine"}),
    )  # fmt: skip


def test_the_receiving_organisation_sees_the_record_and_only_its_supervisor_answers(
    incoming: Handover, org_a: Any, org_b: Any, member: Any, client_for: Any
) -> None:
    supervisor = client_for(member(org_b, Role.SUPERVISOR))
    page = supervisor.get(f"/federation/handovers/{incoming.pk}/").content.decode()
    assert "Testa" in page and "Needs a shelter" in page and 'value="accept"' in page
    assert "Far Hotline" in supervisor.get("/federation/handovers/").content.decode()
    caseworker = client_for(member(org_b, Role.CASEWORKER))
    page = caseworker.get(f"/federation/handovers/{incoming.pk}/").content.decode()
    assert "Testa" in page and 'value="accept"' not in page
    # A second organisation sees nothing of it.
    other = client_for(member(org_a, Role.SUPERVISOR))
    assert other.get(f"/federation/handovers/{incoming.pk}/").status_code == 403
    assert "Far Hotline" not in other.get("/federation/handovers/").content.decode()
    # Declining needs a reason (checked before anything is sent).
    answer = supervisor.post(f"/federation/handovers/{incoming.pk}/", {"do": "decline"}, follow=True)
    assert "Say why the referral is declined." in answer.content.decode()
    incoming.refresh_from_db()
    assert incoming.status == HandoverStatus.SENT


def test_after_unpairing_the_record_is_no_longer_shown(
    incoming: Handover, peer: Peer, org_b: Any, member: Any, client_for: Any
) -> None:
    peer.status = PeerStatus.UNPAIRED
    peer.save(update_fields=["status"])
    supervisor = client_for(member(org_b, Role.SUPERVISOR))
    page = supervisor.get(f"/federation/handovers/{incoming.pk}/").content.decode()
    assert "Testa" not in page and 'value="accept"' not in page and "not paired any more" in page
    assert "Far Hotline" not in supervisor.get("/federation/handovers/").content.decode()


def test_sending_without_consent_says_so_and_sends_nothing(
    peer: Peer, org_a: Any, org_b: Any, member: Any, client_for: Any
) -> None:
    worker = member(org_a, Role.CASEWORKER)
    case = register_cases(actor_of(worker, org_a), 1)[0]  # statistics consent only
    form = {"peer": peer.pk, "organisation": "beta", "summary": "Shelter"}
    answer = client_for(worker).post(f"/federation/handovers/new/{case.pk}/", form)
    assert "No consent in force covers sharing this case" in answer.content.decode()
    assert not Handover.objects.exists()
    # Nobody of a second organisation reaches the case's form.
    other = client_for(member(org_b, Role.CASEWORKER))
    assert other.get(f"/federation/handovers/new/{case.pk}/").status_code in (403, 404)
    assert (
        client_for(member(org_a, Role.OPERATOR)).get(f"/federation/handovers/new/{case.pk}/").status_code
        == 403
    )
