"""The pages of person matching: asking about a case's person or a sought person, and taking part.

The other installation is played by ``federation.post`` (the protocol itself is tested live in
``test_person_matching_live``): the test sees exactly what would be sent, and answers as it would.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.sharing import federation, sealing
from safeguard.sharing.models import FederatedMatch, Peer, PeerStatus, PersonMatchSettings, PersonQuestion
from safeguard.sharing.tests.federation_world import register_person
from safeguard.testing.fixtures import actor_of
from safeguard.tracing.services.requests import SoughtPerson, tracing_request_open

pytestmark = pytest.mark.django_db


class FakePeer:
    """The paired installation: records what it is sent and says Beta-far knows the person."""

    def __init__(self, matches: bool = True) -> None:
        self.key = sealing.new_private_key()
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.matches = matches

    def post(self, me: Any, url: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.sent.append((action, payload))
        if action == "handover_key":
            return {"box_public_key": sealing.public_key_of(self.key)}
        if not self.matches:
            return {"matches": []}
        return {
            "matches": [
                {
                    "reference": "far-ref-1",
                    "organisation": "Far Hotline",
                    "names": ["0"],
                    "counts": {"case": 1},
                }
            ]
        }


@pytest.fixture
def far(monkeypatch: pytest.MonkeyPatch) -> FakePeer:
    federation.ensure_identity(url="https://here.example", name="Here")
    Peer.objects.create(url="https://far.example", name="Far installation", status=PeerStatus.PAIRED)
    fake = FakePeer()
    monkeypatch.setattr(federation, "post", fake.post)
    return fake


def _peer() -> Peer:
    return Peer.objects.get(url="https://far.example")


def test_a_caseworker_asks_about_the_child_of_a_case_and_sees_the_match_notice(
    far: FakePeer, org_a: Any, member: Any, client_for: Any
) -> None:
    PersonMatchSettings.objects.create(organisation=org_a, enabled=True)
    worker = member(org_a, Role.CASEWORKER)
    case = register_person(actor_of(worker, org_a), "Amina", "Yusuf", date(2009, 3, 14))
    client = client_for(worker)
    assert f"/federation/person/case/{case.pk}/" in client.get(f"/cases/{case.pk}/").content.decode()
    page = client.get(f"/federation/person/case/{case.pk}/").content.decode()
    assert "Names are never sent" in page and "Far installation" in page
    assert "does not take part" not in page

    answer = client.post(f"/federation/person/case/{case.pk}/", {"peer": _peer().pk}).content.decode()
    match = FederatedMatch.objects.get(organisation=org_a)
    assert match.records == [["case", case.pk]] and match.notice is not None
    assert "Far Hotline at Far installation" in answer
    assert f"/federation/notices/{match.notice.pk}/" in answer
    # Only encodings left: no name, no birth date, in anything sent.
    question = next(payload for action, payload in far.sent if action == "person_question")
    assert question["fields"] == ["name", "dob"] and len(question["names"]) == 1
    assert "Amina" not in str(far.sent) and "Yusuf" not in str(far.sent) and "2009" not in str(far.sent)
    assert PersonQuestion.objects.get().case_id == case.pk
    assert AuditEvent.objects.filter(action="sharing.federation_person_asked").count() == 1


def test_no_match_is_said_plainly(far: FakePeer, org_a: Any, member: Any, client_for: Any) -> None:
    far.matches = False
    PersonMatchSettings.objects.create(organisation=org_a, enabled=True)
    worker = member(org_a, Role.CASEWORKER)
    case = register_person(actor_of(worker, org_a), "Peter", "Nobody", date(2008, 1, 1))
    answer = client_for(worker).post(f"/federation/person/case/{case.pk}/", {"peer": _peer().pk})
    assert "No organisation of that installation knows this person." in answer.content.decode()
    assert PersonQuestion.objects.get().matched == 0 and not FederatedMatch.objects.exists()


def test_asking_about_the_person_a_tracing_request_seeks(
    far: FakePeer, org_a: Any, member: Any, client_for: Any
) -> None:
    PersonMatchSettings.objects.create(organisation=org_a, enabled=True)
    worker = member(org_a, Role.CASEWORKER)
    actor = actor_of(worker, org_a)
    case = register_person(actor, "Amina", "Yusuf", date(2009, 3, 14))
    tracing = tracing_request_open(
        actor=actor,
        case=case,
        sought=SoughtPerson(name="Fatima Yusuf", relationship="mother", aliases=["Fatma"]),
    )
    client = client_for(worker)
    url = f"/federation/person/tracing/{tracing.pk}/"
    assert url in client.get(f"/tracing/requests/{tracing.pk}/").content.decode()
    answer = client.post(url, {"peer": _peer().pk}).content.decode()
    assert "Far Hotline at Far installation" in answer
    question = PersonQuestion.objects.get()
    assert (question.tracing_request_id, question.names) == (tracing.pk, 2)
    sent = next(payload for action, payload in far.sent if action == "person_question")
    assert sent["fields"] == ["name"] and "Fatima" not in str(far.sent)


def test_refused_without_taking_part_without_consent_for_other_roles_and_a_second_organisation(
    far: FakePeer, org_a: Any, org_b: Any, member: Any, client_for: Any
) -> None:
    worker = member(org_a, Role.CASEWORKER)
    actor = actor_of(worker, org_a)
    case = register_person(actor, "Amina", "Yusuf", date(2009, 3, 14))
    url = f"/federation/person/case/{case.pk}/"
    client = client_for(worker)
    # The organisation does not take part: said, nothing sent.
    assert "does not take part" in client.get(url).content.decode()
    answer = client.post(url, {"peer": _peer().pk}).content.decode()
    assert "Your organisation does not take part in person matching." in answer
    # No consent to share with another installation: said, nothing sent.
    PersonMatchSettings.objects.create(organisation=org_a, enabled=True)
    quiet = register_person(actor, "Lena", "Quiet", date(2010, 2, 2), consent=False)
    answer = client.post(f"/federation/person/case/{quiet.pk}/", {"peer": _peer().pk}).content.decode()
    assert "another installation" in answer
    # An unpaired installation cannot be chosen; with none paired, the page says so.
    Peer.objects.filter(pk=_peer().pk).update(status=PeerStatus.UNPAIRED)
    assert "This installation is not paired with any other yet." in client.get(url).content.decode()
    near = Peer.objects.create(url="https://near.example", name="Near", status=PeerStatus.PAIRED)
    answer = client.post(url, {"peer": _peer().pk}).content.decode()
    assert "Select a valid choice" in answer
    near.delete()
    assert far.sent == [] and not PersonQuestion.objects.exists()
    Peer.objects.filter(pk=_peer().pk).update(status=PeerStatus.PAIRED)
    tracing = tracing_request_open(
        actor=actor, case=case, sought=SoughtPerson(name="Fatima Yusuf", relationship="mother")
    )
    # Roles without case.edit, and a caseworker of a second organisation, never reach the pages.
    for role in (Role.OPERATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.ORG_ADMIN):
        other = client_for(member(org_a, role))
        assert other.post(url, {"peer": _peer().pk}).status_code == 403
        assert other.get(f"/federation/person/tracing/{tracing.pk}/").status_code == 403
    beta = client_for(member(org_b, Role.CASEWORKER))
    assert beta.post(url, {"peer": _peer().pk}).status_code == 404
    assert beta.post(f"/federation/person/tracing/{tracing.pk}/", {"peer": _peer().pk}).status_code == 404
    assert far.sent == [] and not PersonQuestion.objects.exists()


def test_only_the_organisation_admin_turns_person_matching_on_and_off_for_their_organisation(
    org_a: Any, org_b: Any, member: Any, client_for: Any
) -> None:
    admin = client_for(member(org_a, Role.ORG_ADMIN))
    page = admin.get("/federation/person/settings/").content.decode()
    assert "Your organisation does not take part." in page
    assert "/federation/person/settings/" in admin.get("/").content.decode()  # in the menu
    answer = admin.post("/federation/person/settings/", {"enabled": "on"}, follow=True).content.decode()
    assert "Settings saved." in answer and "Your organisation takes part." in answer
    assert PersonMatchSettings.objects.get(organisation=org_a).enabled
    assert not PersonMatchSettings.objects.filter(organisation=org_b).exists()
    event = AuditEvent.objects.get(action="sharing.person_match_settings_updated")
    assert event.detail == {"enabled": True}
    admin.post("/federation/person/settings/", {})
    assert not PersonMatchSettings.objects.get(organisation=org_a).enabled
    for role in (Role.CASEWORKER, Role.SUPERVISOR, Role.PROGRAMME_MANAGER):
        assert (
            client_for(member(org_a, role))
            .post("/federation/person/settings/", {"enabled": "on"})
            .status_code
            == 403
        )
    assert not PersonMatchSettings.objects.get(organisation=org_a).enabled
    # Beta's admin changes Beta's setting only.
    client_for(member(org_b, Role.ORG_ADMIN)).post("/federation/person/settings/", {"enabled": "on"})
    assert PersonMatchSettings.objects.get(organisation=org_b).enabled
    assert not PersonMatchSettings.objects.get(organisation=org_a).enabled
