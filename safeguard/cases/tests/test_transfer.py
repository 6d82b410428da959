from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from safeguard.cases.access import case_for, transfer_for_receiver
from safeguard.cases.models import CaseEvent, Transfer, TransferStatus
from safeguard.cases.services.transfers import transfer_request, transfer_respond
from safeguard.cases.tests.conftest import consent_for
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def test_transfer_without_consent_is_refused(case_a, cara, org_a, org_b) -> None:
    with pytest.raises(
        ValidationError, match="No consent in force covers sharing this case with Beta Foundation"
    ):
        transfer_request(actor=actor_of(cara, org_a), case=case_a, to_organisation=org_b, reason="Moving")
    assert Transfer.objects.count() == 0


def test_transfer_moves_the_case_once_the_receiver_accepts(
    case_a, cara, org_a, org_b, beth, bert, client_for
) -> None:
    consent_for(case_a, actor_of(cara, org_a), org_b)
    transfer = transfer_request(
        actor=actor_of(cara, org_a), case=case_a, to_organisation=org_b, reason="Moving"
    )
    case_a.refresh_from_db()
    assert case_a.organisation == org_a  # nothing moves before acceptance
    with pytest.raises(Http404):
        case_for(actor_of(beth, org_b), case_a.pk)
    with pytest.raises(PermissionDenied, match=r"^case\.approve$"):
        transfer_for_receiver(actor_of(bert, org_b), transfer.pk)  # caseworkers do not accept transfers

    response = client_for(beth).post(f"/cases/transfers/{transfer.pk}/", {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    transfer.refresh_from_db()
    case_a.refresh_from_db()
    assert (transfer.status, case_a.organisation, case_a.owner, case_a.team) == (
        TransferStatus.ACCEPTED,
        org_b,
        beth,
        None,
    )
    assert case_for(actor_of(beth, org_b), case_a.pk) == case_a
    with pytest.raises(Http404):
        case_for(actor_of(cara, org_a), case_a.pk)
    assert case_a.tasks.pending().get().assignee == beth
    assert list(CaseEvent.objects.filter(case=case_a).order_by("id").values_list("kind", flat=True))[-2:] == [
        "transfer_requested",
        "transferred",
    ]


def test_declined_transfer_leaves_the_case_where_it_was(case_a, cara, org_a, org_b, beth, sue) -> None:
    transfer = transfer_request(
        actor=actor_of(sue, org_a),
        case=case_a,
        to_organisation=org_b,
        reason="Moving",
        override_reason="Court order pending",
    )
    transfer_respond(actor=actor_of(beth, org_b), transfer=transfer, accept=False, note="No capacity")
    case_a.refresh_from_db()
    assert (case_a.organisation, case_a.owner) == (org_a, cara)


def test_a_third_organisation_cannot_answer_the_transfer(
    case_a, cara, org_a, org_b, other_shelter, client_for
) -> None:
    from safeguard.testing.fixtures import make_member

    consent_for(case_a, actor_of(cara, org_a), org_b)
    transfer = transfer_request(actor=actor_of(cara, org_a), case=case_a, to_organisation=org_b, reason="x")
    intruder = make_member(other_shelter, "supervisor", email="intruder@other.example")
    response = client_for(intruder).post(f"/cases/transfers/{transfer.pk}/", {"decision": "accept"})
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PENDING
