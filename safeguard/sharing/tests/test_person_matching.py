"""The asked side of person matching, without a second server: who is compared, and what is refused.

This installation is the asked one; "other.example" is a paired installation whose signing and
X25519 keys the test holds, so it can sign questions as the other side would.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from safeguard.accounts.roles import Role
from safeguard.collaboration.models import MatchNotice
from safeguard.core.models import AuditEvent
from safeguard.sharing import federation, handovers, person_matching, sealing, signing
from safeguard.sharing.encodings import dice_matrix
from safeguard.sharing.models import FederatedMatch, Peer, PeerStatus, PersonMatchSettings, PersonQuestion
from safeguard.sharing.tests.federation_world import register_person
from safeguard.sharing.tests.test_federation import OTHER, _signed_post
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


class Other:
    """The paired installation that asks: its signing key and its X25519 key."""

    def __init__(self) -> None:
        self.signing_key = signing.new_private_key()
        self.box_key = sealing.new_private_key()
        self.peer = Peer.objects.create(
            url=OTHER,
            name="Other",
            public_key=signing.public_key_of(self.signing_key),
            status=PeerStatus.PAIRED,
        )
        me = federation.ensure_identity(url="https://here.example", name="Here")
        self.their_key = handovers.box_key(me)
        self.me = me

    def question(self, names: list[str], birth_date: str = "", reference: str = "") -> dict[str, Any]:
        reference = reference or str(uuid.uuid4())
        return person_matching.question_payload(
            own_key=self.box_key, their_key=self.their_key,
            context=person_matching._context(OTHER, self.me.url, reference), reference=reference,
            names=names, birth_date=birth_date,
        )  # fmt: skip

    def ask(self, client: Client, payload: dict[str, Any]) -> Any:
        return _signed_post(client, "person_question", payload, self.signing_key, OTHER)


def _person(
    org: Any, member: Any, first: str, second: str, born: date | None, *, consent: bool = True
) -> Any:
    return register_person(actor_of(member(org, Role.CASEWORKER), org), first, second, born, consent=consent)


@pytest.fixture
def other() -> Other:
    return Other()


def test_a_question_matches_the_same_person_spelt_differently_and_only_where_allowed(
    client: Client, other: Other, org_a: Any, org_b: Any, member: Any
) -> None:
    PersonMatchSettings.objects.create(organisation=org_a, enabled=True)
    amina = _person(org_a, member, "Aminah", "Yusuff", date(2009, 3, 14))
    _person(org_a, member, "Amina", "Yusuf", date(2009, 3, 14), consent=False)  # no consent: never compared
    _person(org_a, member, "Oskar", "Lindqvist", date(2009, 3, 14))
    _person(org_b, member, "Amina", "Yusuf", date(2009, 3, 14))  # Beta does not take part

    payload = other.question(["Amina Yusuf"], "2009-03-14")
    response = other.ask(client, payload)
    assert response.status_code == 200
    answer = json.loads(response.content)
    match = FederatedMatch.objects.get()
    assert answer == {
        "matches": [
            {"reference": match.reference, "organisation": org_a.name, "names": ["0"], "counts": {"case": 1}}
        ]
    }
    assert (match.organisation_id, match.records, match.asked_here) == (org_a.pk, [["case", amina.pk]], False)
    notice = MatchNotice.objects.get()
    assert (notice.organisation_id, notice.kinds, notice.other_installation) == (org_a.pk, ["name"], "Other")
    question = PersonQuestion.objects.get()
    assert (question.outgoing, question.names, question.matched, question.case_id) == (False, 1, 1, None)
    # Only a hash of the question is kept, not its encodings.
    assert payload["names"][0]["clk"] not in json.dumps(list(PersonQuestion.objects.values()), default=str)
    assert AuditEvent.objects.filter(
        action="sharing.federation_person_answered", object_id=str(question.pk)
    ).exists()

    # Another person: no match, nothing stored but the question.
    response = other.ask(client, other.question(["Grace Okafor"], "2010-07-01"))
    assert json.loads(response.content) == {"matches": []}
    assert FederatedMatch.objects.count() == 1 and PersonQuestion.objects.count() == 2


def test_two_questions_about_the_same_person_cannot_be_linked(other: Other) -> None:
    first, second = (other.question(["Amina Yusuf"], "2009-03-14") for _ in range(2))

    def clk(payload: dict[str, Any]) -> Any:
        return np.frombuffer(base64.b64decode(payload["names"][0]["clk"]), dtype=np.uint64).reshape(1, -1)

    assert first["salt"] != second["salt"]
    # Under two per-question secrets the same name shares no more bits than two random filters do.
    assert dice_matrix(clk(first), clk(second))[0, 0] < 0.5


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"fields": ["name", "place"]}, 400),
        ({"salt": base64.b64encode(b"short").decode()}, 400),
        ({"names": []}, 400),
        ({"names": [{"id": str(i), "clk": "AAAA"} for i in range(6)]}, 400),
        ({"names": [{"id": "0", "clk": base64.b64encode(b"\xff" * 128).decode()}]}, 400),  # matches anything
        ({"names": [{"id": "0", "clk": base64.b64encode(b"\x00" * 128).decode()}]}, 400),
        ({"box_public_key": "not a key"}, 400),
    ],
)
def test_bad_questions_are_refused_and_leave_nothing(
    client: Client, other: Other, change: dict[str, Any], status: int
) -> None:
    response = other.ask(client, {**other.question(["Amina Yusuf"], "2009-03-14"), **change})
    assert response.status_code == status
    assert not PersonQuestion.objects.exists() and not FederatedMatch.objects.exists()


def test_a_repeated_question_unpaired_or_unsigned_sender_and_too_many_questions_are_refused(
    client: Client, other: Other, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = other.question(["Amina Yusuf"], "2009-03-14")
    assert other.ask(client, payload).status_code == 200
    assert other.ask(client, payload).status_code == 403  # the same question again (a replay)
    stranger = signing.new_private_key()  # signed, but not by the paired installation's key
    assert (
        _signed_post(client, "person_question", other.question(["X Y"]), stranger, OTHER).status_code == 403
    )
    monkeypatch.setattr(person_matching, "MAX_QUESTIONS_PER_DAY", 1)
    assert other.ask(client, other.question(["Amina Yusuf"])).status_code == 403
    other.peer.status = PeerStatus.UNPAIRED
    other.peer.save(update_fields=["status"])
    monkeypatch.setattr(person_matching, "MAX_QUESTIONS_PER_DAY", 100)
    assert other.ask(client, other.question(["Amina Yusuf"])).status_code == 403
    assert PersonQuestion.objects.count() == 1


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ORG_ADMIN])
def test_only_the_organisation_admin_turns_person_matching_on(role: Role, org_a: Any, member: Any) -> None:
    with pytest.raises(PermissionDenied):
        person_matching.person_match_settings_update(actor=actor_of(member(org_a, role), org_a), enabled=True)
    assert not PersonMatchSettings.objects.exists()


def test_an_admin_turns_it_on_for_their_own_organisation_only(org_a: Any, org_b: Any, member: Any) -> None:
    admin = actor_of(member(org_a, Role.ORG_ADMIN), org_a)
    person_matching.person_match_settings_update(actor=admin, enabled=True)
    assert list(PersonMatchSettings.objects.values_list("organisation_id", "enabled")) == [(org_a.pk, True)]
    assert AuditEvent.objects.filter(action="sharing.person_match_settings_updated").count() == 1
    other_admin = actor_of(member(org_b, Role.ORG_ADMIN), org_b)
    person_matching.person_match_settings_update(actor=other_admin, enabled=False)
    assert PersonMatchSettings.objects.get(organisation=org_a).enabled
