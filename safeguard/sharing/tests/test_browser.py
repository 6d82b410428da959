"""Anyone opens an organisation's public statistics on a phone: chart, intervals, method, downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguard.accounts.roles import Role
from safeguard.sharing.models import Release, ReleaseKind, ReleaseStatus
from safeguard.testing.browser import PHONE, accessibility_violations, screenshot
from safeguard.testing.fixtures import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_statistics_fit_a_phone_and_pass_axe(page: Any, org_a: Any) -> None:
    author, approver = make_member(org_a, Role.SUPERVISOR), make_member(org_a, Role.ORG_ADMIN)
    Release.objects.create(
        organisation=org_a, kind=ReleaseKind.COUNTS, title="Children supported by gender (test)",
        status=ReleaseStatus.APPROVED, is_public=True, created_by=author, decided_by=approver,
        decided_at=timezone.now(), columns=["prs_Gender", "count", "low", "high"],
        rows=[["Feminine", "41", "38", "45"], ["Masculine", "23", "20", "27"], ["NonConforming", "", "", ""]],
        report={"epsilon": 1.0, "noise_scale": 1.0, "interval_half_width": 3.4, "threshold": 10, "domain_from_data": []},
    )  # fmt: skip
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/statistics/{org_a.slug}/")
    expect(page.get_by_role("heading", name="Children supported by gender (test)")).to_be_visible()
    expect(page.get_by_role("img", name="Children supported by gender (test)")).to_be_visible()
    expect(page.get_by_text("differential privacy with ε = 1.0")).to_be_visible()
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert accessibility_violations(page) == []
    screenshot(page, "sharing-public-statistics-phone")


def test_a_federated_notice_shows_what_the_other_installation_shared_and_passes_axe(
    page: Any, org_a: Any
) -> None:
    import json

    from safeguard.collaboration.models import MatchNotice, NoticeStatus
    from safeguard.sharing import signing
    from safeguard.sharing.models import (
        FederatedMatch,
        Peer,
        PeerStatus,
        RemoteAccessRequest,
        RemoteAccessStatus,
    )
    from safeguard.testing.browser import sign_in
    from safeguard.testing.fixtures import TEST_PASSWORD

    page.set_default_timeout(60_000)
    expect.set_options(timeout=30_000)
    analyst = make_member(org_a, Role.ANALYST)
    peer = Peer.objects.create(
        url="https://other.example", name="Installation B (test)", status=PeerStatus.PAIRED,
        public_key=signing.public_key_of(signing.new_private_key()),
    )  # fmt: skip
    notice = MatchNotice.objects.create(
        organisation=org_a, other_installation="Beta (test) at Installation B (test)", trigger_type="report",
        trigger_id=1, own_records=[{"type": "report", "id": 1}], other_counts={"case": 1}, kinds=["phone"],
        status=NoticeStatus.GRANTED,
    )  # fmt: skip
    match = FederatedMatch.objects.create(
        organisation=org_a,
        peer=peer,
        kinds={"phone": 1},
        records=[["report", 1]],
        reference="r1",
        notice=notice,
    )
    RemoteAccessRequest.objects.create(
        match=match, outgoing=True, purpose="protection", note="The same phone (test)", requested_by=analyst,
        status=RemoteAccessStatus.GRANTED,
        received=json.dumps([{"title": "CASE-B-0001", "level": "deidentified", "facts": [["Age", "12–14"]]}]),
    )  # fmt: skip
    sign_in(page, analyst, TEST_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{page.base_url}/federation/notices/{notice.pk}/")
    expect(page.get_by_role("heading", name="What the other installation shared")).to_be_visible()
    expect(page.get_by_role("heading", name="CASE-B-0001")).to_be_visible()
    expect(page.get_by_text("Beta (test) at Installation B (test)")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert accessibility_violations(page) == []
    screenshot(page, "sharing-federated-notice-phone")
