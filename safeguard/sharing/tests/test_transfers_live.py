"""Transfers of a case to an organisation of a paired installation, over two live servers on loopback.

A's caseworker transfers a case (consent to sharing with another installation, a reason) to Beta
on B. B's supervisor declines it once (A keeps the case and sees the reason), then accepts a
second offer: B opens the case from the sealed HTCDS record, A closes its own as transferred,
pointing at B's case, and it is read-only. Without consent, from a second organisation, with a
forged answer, or once unpaired, nothing changes.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.accounts.roles import Role
from safeguard.cases.models import (
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ConsentGiver,
    ConsentScope,
)
from safeguard.cases.services.consents import consent_record
from safeguard.core.models import AuditEvent
from safeguard.sharing import federation, handovers, signing
from safeguard.sharing.models import Handover, HandoverKind, HandoverStatus
from safeguard.sharing.tests.conftest import register_cases
from safeguard.sharing.tests.test_federation_live import InstallationB, installation_b  # noqa: F401
from safeguard.sharing.tests.test_handovers_live import B_HANDOVER, _pair
from safeguard.testing.fixtures import actor_of

TRANSFER = HandoverKind.TRANSFER


def _b_decide(b: InstallationB, email: str, accept: bool, reason: str = "") -> str:
    """B's user answers B's one pending transfer: "done", or "refused" and why."""
    return b.shell(
        B_HANDOVER + "from django.core.exceptions import PermissionDenied, ValidationError\n"
        "try:\n"
        f"    handovers.handover_decide(actor=actor_of(User.objects.get(email='{email}'), beta),"
        f" handover=Handover.objects.get(status='sent'), accept={accept}, reason='{reason}')\n"
        "    print('done')\n"
        "except (PermissionDenied, ValidationError) as error:\n"
        "    print('refused', error)\n"
    ).strip()


def _transfer(actor: Any, case: Any, peer: Any, **extra: Any) -> Handover:
    return handovers.handover_send(
        actor=actor, case=case, peer=peer, organisation="beta", kind=TRANSFER, **extra
    )


@pytest.mark.django_db(transaction=True)
def test_transfer_across_installations(
    installation_b: InstallationB,  # noqa: F811
    live_server: Any,
    org_a: Any,
    org_b: Any,
    member: Any,
) -> None:
    b = installation_b
    root_a, peer = _pair(b, live_server)
    cal = actor_of(member(org_a, Role.CASEWORKER), org_a)
    sue = actor_of(member(org_a, Role.SUPERVISOR), org_a)
    case, other_case = register_cases(cal, 2)  # statistics consent only

    # Without consent nothing leaves; a caseworker may not override; a reason is required.
    with pytest.raises(ValidationError, match="another installation"):
        _transfer(cal, case, peer, summary="Family moved to Lyon")
    with pytest.raises(PermissionDenied):
        _transfer(cal, case, peer, summary="Family moved to Lyon", override_reason="Urgent")
    consent_record(
        actor=cal, case=case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.SHARE_INSTALLATION,
        given_on=date(2024, 5, 2),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="reason for the transfer"):
        _transfer(cal, case, peer, summary=" ")
    # A caseworker of a second organisation, and an operator, cannot send Alpha's case.
    for outsider in (
        actor_of(member(org_b, Role.CASEWORKER), org_b),
        actor_of(member(org_a, Role.OPERATOR), org_a),
    ):
        with pytest.raises(PermissionDenied):
            _transfer(outsider, case, peer, summary="x")
    assert not Handover.objects.exists()
    assert (
        b.shell("from safeguard.sharing.models import Handover; print(Handover.objects.count())").strip()
        == "0"
    )

    # Offered, then declined with a reason: A keeps the case and sees why.
    offered = _transfer(cal, case, peer, summary="Family moved to Lyon")
    assert (offered.kind, offered.status, offered.outgoing) == (TRANSFER, HandoverStatus.SENT, True)
    with pytest.raises(ValidationError, match="already awaiting"):
        _transfer(cal, case, peer, summary="Again")
    assert _b_decide(b, "cal@b.example", True).startswith("refused")  # only a supervisor answers
    assert _b_decide(b, "sam@b.example", False, "No place in Lyon") == "done"
    offered.refresh_from_db()
    case.refresh_from_db()
    assert (offered.status, offered.decline_reason) == (HandoverStatus.DECLINED, "No place in Lyon")
    assert case.status == CaseStatus.OPEN
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.TRANSFER_DECLINED).count() == 1

    # Offered again and accepted: B opens the case, A closes its own as transferred, read-only.
    accepted = _transfer(cal, case, peer, summary="Family moved to Lyon, a place is free now")
    assert _b_decide(b, "sam@b.example", True) == "done"
    opened = json.loads(
        b.shell(
            B_HANDOVER + "import json; h = Handover.objects.get(status='accepted'); c = h.case; "
            "print(json.dumps([h.kind, c.organisation.slug, c.owner.email, c.person.first_name, c.status, "
            "c.reference, list(c.events.values_list('kind', flat=True))]))"
        )
    )
    kind, organisation, owner, first_name, status, reference, events = opened
    assert (kind, organisation, owner, first_name, status) == (
        "transfer",
        "beta",
        "sam@b.example",
        "Test0",
        "open",
    )
    assert "transferred" in events and "registered" in events
    accepted.refresh_from_db()
    case.refresh_from_db()
    assert (accepted.status, accepted.other_case_reference) == (HandoverStatus.ACCEPTED, reference)
    assert (case.status, case.closure_reason_code) == (CaseStatus.TRANSFERRED, ClosureReason.TRANSFERRED)
    assert reference in case.closure_reason and b.url in case.closure_reason
    assert not case.tasks.filter(done_at__isnull=True).exists()
    with pytest.raises(ValidationError, match="read-only"):
        consent_record(
            actor=cal, case=case, given_by=ConsentGiver.CHILD, scope=ConsentScope.SERVICES,
            given_on=date(2024, 6, 1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        _transfer(cal, case, peer, summary="Once more")

    a_audit = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"sharing.transfer_sent", "sharing.transfer_declined", "sharing.transfer_accepted"} <= a_audit
    b_audit = b.shell(
        "from safeguard.core.models import AuditEvent; "
        "print(sorted(set(AuditEvent.objects.values_list('action', flat=True))))"
    )
    for action in ("sharing.transfer_received", "sharing.transfer_declined", "sharing.transfer_accepted"):
        assert action in b_audit

    # A supervisor transfers another case without consent, with a reason; B sees it pending.
    pending = _transfer(sue, other_case, peer, summary="Moved", override_reason="In danger; no guardian")
    assert pending.consent is None and pending.override_reason == "In danger; no guardian"

    # An answer to it signed by a key other than B's: refused, the case stays open on A.
    path = f"{federation.PROTOCOL}handover_decided"
    body = json.dumps({"reference": pending.reference, "accepted": True, "case_reference": "X"}).encode()
    timestamp, signature = signing.sign(signing.new_private_key(), "POST", path, body)
    forged = urllib.request.Request(  # noqa: S310 - loopback
        live_server.url + path, data=body, method="POST",
        headers={"Content-Type": "application/json", signing.HEADER_INSTALLATION: b.url,
                 signing.HEADER_TIME: timestamp, signing.HEADER_SIGNATURE: signature},
    )  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=60)  # noqa: S310
    assert refused.value.code == 403
    pending.refresh_from_db()
    other_case.refresh_from_db()
    assert (pending.status, other_case.status) == (HandoverStatus.SENT, CaseStatus.OPEN)

    # Unpaired: a transfer is refused at once, and B can no longer accept the pending one.
    federation.peer_unpair(user=root_a, peer=peer)
    consent_record(
        actor=cal, case=other_case, given_by=ConsentGiver.GUARDIAN, scope=ConsentScope.SHARE_INSTALLATION,
        given_on=date(2024, 5, 2),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not paired"):
        _transfer(cal, other_case, peer, summary="x")
    assert _b_decide(b, "sam@b.example", True).startswith("refused")
    assert (
        b.shell(
            "from safeguard.cases.models import Case; print(Case.objects.filter(organisation__slug='beta').count())"
        ).strip()
        == "1"
    )
