"""Public numbers: platform admins manage them; an organisation proposes only its own entries,
which the public sees only after a platform admin approves them; every change is audited where
platform admins read it (the platform audit log).

The cast: Alice admins org A, Charlie admins org B, Bob is an operator of org A, Pat is a
platform admin with no organisation role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.core.models import AuditEvent
from safeguard.directory import services
from safeguard.directory.models import Hotline, HotlineKind, HotlineProposal
from safeguard.directory.selectors import hotlines_for_country
from safeguard.intake.tests.test_public_form import ANSWERS, send
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

NEW_NUMBER = {
    "country": "GB",
    "kind": HotlineKind.CHILD_HELPLINE,
    "name": "Alpha child line (fictional)",
    "phone": "555-0199",
    "url": "",
    "hours": "24/7",
    "languages": "en",
    "order": 1,
    "is_active": True,
}


@pytest.fixture
def platform_entry(db: None) -> Hotline:
    return Hotline.objects.create(country="GB", kind=HotlineKind.EMERGENCY, name="Emergency", phone="999")


@pytest.fixture
def alphas_entry(org_a: Organisation) -> Hotline:
    return Hotline.objects.create(
        country="GB",
        kind=HotlineKind.TRAFFICKING_HOTLINE,
        name="Alpha line",
        phone="555-0190",
        organisation=org_a,
    )


def public_phones(country: str = "GB") -> list[str]:
    return [hotline.phone for hotline in hotlines_for_country(country)]


def state() -> list[Any]:
    return [
        list(Hotline.objects.order_by("pk").values_list("pk", "name", "phone", "organisation_id")),
        list(HotlineProposal.objects.order_by("pk").values_list("pk", "status", "phone")),
        AuditEvent.objects.count(),
    ]


def test_a_proposal_is_not_public_until_a_platform_admin_approves_it(
    alice: User, org_a: Organisation, platform_admin: User, platform_entry: Hotline
) -> None:
    proposal = services.hotline_propose(actor=actor_of(alice, org_a), values=NEW_NUMBER)

    assert proposal.status == HotlineProposal.Status.PENDING
    assert public_phones() == ["999"]
    page = send(Client(), 1, **{**ANSWERS, "child_in_danger": "yes", "country": "GB"}).content.decode()
    assert "555-0199" not in page and "999" in page
    assert "555-0199" not in Client().get("/learn/hotlines/").content.decode()
    event = AuditEvent.objects.get(action="hotline.proposed")
    assert (event.organisation, event.actor, event.detail["change"]) == (org_a, alice, "create")

    services.hotline_proposal_review(proposal=proposal, actor=platform_admin, approve=True)

    assert public_phones() == ["999", "555-0199"]
    assert "555-0199" in Client().get("/learn/hotlines/").content.decode()
    entry = Hotline.objects.get(phone="555-0199")
    assert (entry.organisation, entry.name) == (org_a, "Alpha child line (fictional)")
    approved = AuditEvent.objects.get(action="hotline.proposal_approved")
    assert (approved.organisation, approved.actor, approved.detail["hotline"]) == (
        org_a,
        platform_admin,
        entry.pk,
    )


def test_a_change_keeps_the_public_entry_as_it_is_until_approved(
    alice: User, org_a: Organisation, platform_admin: User, alphas_entry: Hotline
) -> None:
    proposal = services.hotline_propose(
        actor=actor_of(alice, org_a), hotline=alphas_entry, values={**NEW_NUMBER, "phone": "555-0191"}
    )
    assert public_phones() == ["555-0190"]
    with pytest.raises(ValidationError, match="already waiting for review"):
        services.hotline_propose(actor=actor_of(alice, org_a), hotline=alphas_entry, delete=True)
    services.hotline_proposal_review(proposal=proposal, actor=platform_admin, approve=True)
    assert public_phones() == ["555-0191"]
    removal = services.hotline_propose(actor=actor_of(alice, org_a), hotline=alphas_entry, delete=True)
    assert public_phones() == ["555-0191"]
    services.hotline_proposal_review(proposal=removal, actor=platform_admin, approve=True)
    assert public_phones() == []
    assert AuditEvent.objects.filter(action="hotline.proposal_approved").count() == 2


def test_a_rejection_needs_a_reason_which_the_organisation_reads(
    alice: User, org_a: Organisation, platform_admin: User, client_for: Callable[[User], Client]
) -> None:
    proposal = services.hotline_propose(actor=actor_of(alice, org_a), values=NEW_NUMBER)
    with pytest.raises(ValidationError):
        services.hotline_proposal_review(proposal=proposal, actor=platform_admin, approve=False, reason=" ")
    client = client_for(platform_admin)
    response = client.post(f"/hotlines/proposals/{proposal.pk}/", {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Say why the proposal is rejected" in response.content.decode()
    response = client.post(
        f"/hotlines/proposals/{proposal.pk}/", {"decision": "reject", "reason": "This number is not yours."}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by) == (HotlineProposal.Status.REJECTED, platform_admin)
    assert public_phones() == []
    page = client_for(alice).get("/hotlines/ours/").content.decode()
    assert "This number is not yours." in page and "Rejected" in page
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.hotline_proposal_review(proposal=proposal, actor=platform_admin, approve=True)


# Denied: the refusal comes from the service, and nothing is written.
DENIED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "an org admin saves a platform number": lambda w: services.hotline_save(
        actor=w["alice"],
        hotline=Hotline(pk=w["platform_entry"].pk, country="GB", kind="emergency", name="X", phone="1"),
    ),
    "an org admin deletes a platform number": lambda w: services.hotline_delete(
        actor=w["alice"], hotline=w["platform_entry"]
    ),
    "an org admin deletes their own entry directly": lambda w: services.hotline_delete(
        actor=w["alice"], hotline=w["alphas_entry"]
    ),
    "another organisation proposes a change of A's entry": lambda w: services.hotline_propose(
        actor=w["charlie_b"], hotline=w["alphas_entry"], values={**NEW_NUMBER, "phone": "666"}
    ),
    "another organisation proposes removing A's entry": lambda w: services.hotline_propose(
        actor=w["charlie_b"], hotline=w["alphas_entry"], delete=True
    ),
    "an org admin proposes a change of the platform's entry": lambda w: services.hotline_propose(
        actor=w["alice_a"], hotline=w["platform_entry"], values={**NEW_NUMBER, "phone": "666"}
    ),
    "an operator proposes a number": lambda w: services.hotline_propose(actor=w["bob_a"], values=NEW_NUMBER),
    "an org admin approves a proposal": lambda w: services.hotline_proposal_review(
        proposal=w["pending"], actor=w["alice"], approve=True
    ),
}


@pytest.mark.parametrize("case", DENIED)
def test_denied_and_nothing_written(
    case: str,
    alice: User,
    bob: User,
    charlie: User,
    org_a: Organisation,
    org_b: Organisation,
    platform_entry: Hotline,
    alphas_entry: Hotline,
) -> None:
    pending = HotlineProposal.objects.create(
        organisation=org_b, change="create", proposed_by=charlie, **NEW_NUMBER
    )
    world = {
        "alice": alice,
        "alice_a": actor_of(alice, org_a),
        "bob_a": actor_of(bob, org_a),
        "charlie_b": actor_of(charlie, org_b),
        "platform_entry": platform_entry,
        "alphas_entry": alphas_entry,
        "pending": pending,
    }
    before = state()
    with pytest.raises(PermissionDenied):
        DENIED[case](world)
    assert state() == before
    assert sorted(public_phones()) == ["555-0190", "999"]


def test_pages_of_the_public_numbers_by_role(
    alice: User,
    charlie: User,
    platform_admin: User,
    org_a: Organisation,
    alphas_entry: Hotline,
    platform_entry: Hotline,
    client_for: Callable[[User], Client],
) -> None:
    pending = HotlineProposal.objects.create(
        organisation=org_a, change="create", proposed_by=alice, **NEW_NUMBER
    )
    pat, alice_client, charlie_client = client_for(platform_admin), client_for(alice), client_for(charlie)
    pages = {
        (pat, "/hotlines/"): 200,
        (pat, f"/hotlines/{platform_entry.pk}/"): 200,
        (pat, f"/hotlines/proposals/{pending.pk}/"): 200,
        (alice_client, "/hotlines/"): 403,
        (alice_client, f"/hotlines/{platform_entry.pk}/"): 403,
        (alice_client, f"/hotlines/proposals/{pending.pk}/"): 403,
        (alice_client, "/hotlines/ours/"): 200,
        (alice_client, f"/hotlines/ours/{alphas_entry.pk}/"): 200,
        (alice_client, f"/hotlines/ours/{platform_entry.pk}/"): 404,
        (charlie_client, f"/hotlines/ours/{alphas_entry.pk}/"): 404,
    }
    assert {(client, path): client.get(path).status_code for client, path in pages} == pages
    assert "Alpha child line (fictional)" in pat.get("/hotlines/").content.decode()  # waiting for review
    ours = charlie_client.get("/hotlines/ours/").content.decode()
    assert "Alpha line" not in ours and "Alpha child line" not in ours


def test_an_org_admin_cannot_delete_through_the_page(
    alice: User, platform_entry: Hotline, client_for: Callable[[User], Client]
) -> None:
    response = client_for(alice).post(f"/hotlines/{platform_entry.pk}/", {"delete": "1"})
    assert response.status_code == 403
    assert Hotline.objects.filter(pk=platform_entry.pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="hotline.").exists()


def test_an_org_admin_proposes_through_the_page(
    alice: User, org_a: Organisation, alphas_entry: Hotline, client_for: Callable[[User], Client]
) -> None:
    client = client_for(alice)
    response = client.post(f"/hotlines/ours/{alphas_entry.pk}/", {**NEW_NUMBER, "phone": "555-0177"})
    assert response.status_code == 302
    alphas_entry.refresh_from_db()
    assert alphas_entry.phone == "555-0190"  # unchanged until reviewed
    proposal = HotlineProposal.objects.get()
    assert (proposal.change, proposal.phone, proposal.hotline, proposal.organisation) == (
        "update",
        "555-0177",
        alphas_entry,
        org_a,
    )
    response = client.post("/hotlines/ours/", {**NEW_NUMBER, "phone": "not a number!"})
    assert response.status_code == 400
    assert "Use digits, spaces, +, - and brackets only" in response.content.decode()


# The platform audit log


def test_platform_admins_read_every_change_of_public_numbers_in_the_platform_audit_log(
    alice: User,
    charlie: User,
    org_a: Organisation,
    org_b: Organisation,
    platform_admin: User,
    platform_entry: Hotline,
    client_for: Callable[[User], Client],
) -> None:
    services.hotline_save(
        hotline=Hotline(country="FR", kind="emergency", name="Urgences", phone="112"), actor=platform_admin
    )
    services.hotline_propose(actor=actor_of(alice, org_a), values=NEW_NUMBER)
    services.hotline_propose(actor=actor_of(charlie, org_b), values={**NEW_NUMBER, "country": "ES"})
    client = client_for(platform_admin)

    everything = client.get("/audit/platform/").content.decode()
    assert everything.count("<code>hotline.proposed</code>") == 2
    assert "<code>hotline.created</code>" in everything

    only_b = client.get("/audit/platform/", {"organisation": org_b.pk}).content.decode()
    assert only_b.count("<code>hotline.proposed</code>") == 1 and "charlie@beta.example" in only_b
    assert "alice@alpha.example" not in only_b

    platform_wide = client.get("/audit/platform/", {"organisation": "platform", "action": "hotline."})
    page = platform_wide.content.decode()
    assert "<code>hotline.created</code>" in page and "hotline.proposed" not in page

    bad = client.get("/audit/platform/", {"organisation": "abc", "since": "2026-02-30"})
    assert bad.status_code == 400


def test_only_platform_admins_open_the_platform_audit_log(
    alice: User, bob: User, client_for: Callable[[User], Client]
) -> None:
    alice_client = client_for(alice)
    assert [client.get("/audit/platform/").status_code for client in (alice_client, client_for(bob))] == [
        403,
        403,
    ]
    assert 'href="/audit/platform/"' not in alice_client.get("/dashboard/").content.decode()
