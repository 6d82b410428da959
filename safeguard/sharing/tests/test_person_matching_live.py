"""Person matching between two live installations on loopback: "do you know this person?".

A's caseworker asks B about the child of one of Alpha's cases and about the mother a tracing
request seeks. B holds the same (synthetic) child spelt differently and the mother, in cases of
Beta (which takes part, with consent); Gamma on B holds the child too but does not take part. The
match is found for the child and the mother, not for another person; B's database and log never
hold A's names or encodings; every other role, a second organisation, an unpaired installation
and a tampered signature are refused, and nothing is stored for them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.accounts.roles import Role
from safeguard.collaboration.selectors import notice_text
from safeguard.core.models import AuditEvent
from safeguard.sharing import federation, person_matching
from safeguard.sharing.models import FederatedMatch, PeerStatus, PersonQuestion
from safeguard.sharing.tests.federation_world import register_person, tampered_status
from safeguard.sharing.tests.test_federation_live import InstallationB, installation_b  # noqa: F401
from safeguard.sharing.tests.test_handovers_live import _pair
from safeguard.testing.fixtures import actor_of
from safeguard.tracing.services.requests import SoughtPerson, tracing_request_open

SEED_PEOPLE = """
from datetime import date
from safeguard.accounts.models import Organisation
from safeguard.cases.services.consents import consent_record
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.sharing.models import PersonMatchSettings
from safeguard.testing.fixtures import actor_of, make_member
beta = Organisation.objects.get(slug="beta")
gamma = Organisation.objects.create(name="Gamma (test)", slug="gamma", kind="ngo")
PersonMatchSettings.objects.create(organisation=beta, enabled=True)
def register(org, first, second, born, *, consent=True):
    actor = actor_of(make_member(org, "caseworker"), org)
    case = case_register(actor=actor, person=PersonDetails(first_name=first, second_name=second, birth_date=born))
    if consent:
        consent_record(actor=actor, case=case, given_by="guardian", scope="share_installation", given_on=date(2024, 5, 2))
register(beta, "Aminah", "Yusuff", date(2009, 3, 14))
register(beta, "Fatima", "Yusuf", date(1984, 11, 2))
register(beta, "Oskar", "Lindqvist", date(2009, 3, 14), consent=False)
register(gamma, "Amina", "Yusuf", date(2009, 3, 14))
"""

B_QUESTIONS = (
    "from safeguard.sharing.models import PersonQuestion, FederatedMatch; "
    "print(PersonQuestion.objects.filter(outgoing=False).count(), FederatedMatch.objects.count())"
)


_register = register_person


@pytest.mark.django_db(transaction=True)
def test_do_you_know_this_person_across_installations(
    installation_b: InstallationB,  # noqa: F811
    live_server: Any,
    org_a: Any,
    org_b: Any,
    member: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    b = installation_b
    root_a, peer = _pair(b, live_server)
    b.shell(SEED_PEOPLE)
    admin = actor_of(member(org_a, Role.ORG_ADMIN), org_a)
    cal = actor_of(member(org_a, Role.CASEWORKER), org_a)
    child = _register(cal, "Amina", "Yusuf", date(2009, 3, 14))
    stranger = _register(cal, "Peter", "Nobody", date(2008, 1, 1))

    # Not taking part yet: refused, nothing sent.
    with pytest.raises(PermissionDenied):
        person_matching.person_question_ask(actor=cal, peer=peer, case=child)
    with pytest.raises(PermissionDenied):  # only the organisation admin turns it on
        person_matching.person_match_settings_update(actor=cal, enabled=True)
    person_matching.person_match_settings_update(actor=admin, enabled=True)

    sent: list[dict[str, Any]] = []
    real_post = federation.post

    def recording_post(me: Any, url: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        if action == "person_question":
            sent.append(payload)
        return real_post(me, url, action, payload)

    monkeypatch.setattr(federation, "post", recording_post)

    # The child, spelt differently on B: one match, for Beta only (Gamma does not take part,
    # Oskar has the same birth date but another name and no consent).
    question = person_matching.person_question_ask(actor=cal, peer=peer, case=child)
    assert (question.outgoing, question.names, question.matched) == (True, 1, 1)
    match = FederatedMatch.objects.get(notice__own_records=[{"type": "case", "id": child.pk}])
    assert match.asked_here and match.kinds == {"name": 1}
    notice = match.notice
    assert notice is not None
    assert notice.organisation_id == org_a.pk and notice.other_installation.startswith("Beta (test) at ")
    assert notice_text(notice).endswith("(1 case).")
    b_side = json.loads(
        b.shell(
            "import json; from safeguard.sharing.models import FederatedMatch; "
            "m = FederatedMatch.objects.get(); "
            "print(json.dumps([m.organisation.slug, m.reference, m.kinds, m.notice.organisation.slug, m.asked_here]))"
        )
    )
    assert b_side == ["beta", match.reference, {"name": 1}, "beta", False]

    # Another person: asked, answered, no match on either side.
    other = person_matching.person_question_ask(actor=cal, peer=peer, case=stranger)
    assert (other.names, other.matched) == (1, 0)
    assert FederatedMatch.objects.count() == 1
    assert b.shell(B_QUESTIONS).split() == ["2", "1"]

    # A tracing request for the child's mother (no birth date known): B's Fatima Yusuf matches.
    request = tracing_request_open(
        actor=cal,
        case=child,
        sought=SoughtPerson(name="Fatima Yusuf", relationship="mother", aliases=["Fatma Yusuf"]),
    )
    mother = person_matching.person_question_ask(actor=cal, peer=peer, tracing_request=request)
    assert (mother.names, mother.matched, mother.tracing_request_id) == (2, 1, request.pk)

    # Neither B's database nor its log holds A's names, nor the encodings A sent.
    assert len(sent) == 3 and all(len(p["names"][0]["clk"]) > 100 for p in sent)
    database, log = b.database.read_bytes(), b.log.read_text()
    for text in ("Amina", "Yusuf", "Peter", "Nobody", "Fatima", "Fatma"):
        assert text.encode() not in database and text not in log
    for payload in sent:
        for entry in payload["names"]:
            assert entry["clk"].encode() not in database and entry["clk"] not in log
        assert payload["salt"].encode() not in database
    assert not any("Amina" in record.getMessage() for record in caplog.records)
    # B keeps a hash and the result only; both sides audit.
    assert "sharing.federation_person_answered" in b.shell(
        "from safeguard.core.models import AuditEvent; print(list(AuditEvent.objects.values_list('action', flat=True)))"
    )
    assert AuditEvent.objects.filter(action="sharing.federation_person_asked").count() == 3

    # Every other role of Alpha, and a caseworker of a second organisation, is refused.
    for role in (Role.OPERATOR, Role.ANALYST, Role.LIAISON, Role.PROGRAMME_MANAGER, Role.ORG_ADMIN):
        with pytest.raises(PermissionDenied):
            person_matching.person_question_ask(
                actor=actor_of(member(org_a, role), org_a), peer=peer, case=child
            )
    beta_here = actor_of(member(org_b, Role.CASEWORKER), org_b)
    with pytest.raises(PermissionDenied):
        person_matching.person_question_ask(actor=beta_here, peer=peer, case=child)
    with pytest.raises(PermissionDenied):
        person_matching.person_question_ask(actor=beta_here, peer=peer, tracing_request=request)
    # A case without consent to share with another installation: nothing leaves.
    unconsented = _register(cal, "Lena", "Quiet", date(2010, 2, 2), consent=False)
    with pytest.raises(ValidationError, match="another installation"):
        person_matching.person_question_ask(actor=cal, peer=peer, case=unconsented)
    assert PersonQuestion.objects.count() == 3
    assert b.shell(B_QUESTIONS).split() == ["3", "2"]

    # A tampered signature: 403, nothing stored on B.
    assert tampered_status(b.url, "person_question", {**sent[0], "question": "forged"}) == 403
    assert b.shell(B_QUESTIONS).split() == ["3", "2"]

    # Unpaired: A refuses to ask; and B refuses even if A still thought it was paired.
    federation.peer_unpair(user=root_a, peer=peer)
    with pytest.raises(ValidationError, match="not paired"):
        person_matching.person_question_ask(actor=cal, peer=peer, case=child)
    peer.status = PeerStatus.PAIRED
    peer.save(update_fields=["status"])
    with pytest.raises(federation.FederationError, match="refused"):
        person_matching.person_question_ask(actor=cal, peer=peer, case=child)
    assert b.shell(B_QUESTIONS).split() == ["3", "2"]
    assert PersonQuestion.objects.count() == 3
