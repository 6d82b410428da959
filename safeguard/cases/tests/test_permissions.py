"""The permission matrix: role × organisation × action, allowed and denied; a denied request
leaves no side effect."""

from __future__ import annotations

from datetime import date

import pytest

from safeguard.cases.models import Case, CaseEvent, Consent
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import make_member

pytestmark = pytest.mark.django_db

# who → (status of GET case page, may see the name on the case list)
VIEW_MATRIX = [
    ("cara", 200),  # owner
    ("team_mate", 200),  # same team
    ("carl", 404),  # caseworker of org A outside the team
    ("sue", 200),  # supervisor of org A
    ("ana", 403),  # analyst: no case pages at all
    ("alice", 403),  # org admin: not a case role
    ("bob", 403),  # operator
    ("beth", 404),  # supervisor of org B
    ("bert", 404),  # caseworker of org B
    ("hana", 404),  # provider caseworker without a referral
]


@pytest.fixture
def people(cara, carl, sue, ana, alice, bob, beth, bert, hana, org_a, team_a):
    team_mate = make_member(org_a, "caseworker", email="tm@alpha.example", name="Team Mate")
    team_a.members.add(team_mate)
    return {
        "cara": cara, "team_mate": team_mate, "carl": carl, "sue": sue, "ana": ana, "alice": alice, "bob": bob,
        "beth": beth, "bert": bert, "hana": hana,
    }  # fmt: skip


@pytest.mark.parametrize(("who", "status"), VIEW_MATRIX)
def test_opening_a_case(people, case_a, client_for, who, status) -> None:
    client = client_for(people[who])
    response = client.get(f"/cases/{case_a.pk}/")
    assert response.status_code == status
    opened = AuditEvent.objects.filter(action="case.viewed", actor=people[who]).count()
    assert opened == (1 if status == 200 else 0)
    if status != 200:
        assert "Testa" not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), VIEW_MATRIX)
def test_case_list_shows_names_only_to_those_who_may_see_the_case(
    people, case_a, client_for, who, status
) -> None:
    response = client_for(people[who]).get("/cases/")
    assert response.status_code == (403 if status == 403 else 200)
    assert ("Testa Fictionalia" in response.content.decode()) == (status == 200)


@pytest.mark.parametrize(("who", "status"), VIEW_MATRIX)
def test_recording_consent(people, case_a, client_for, who, status) -> None:
    response = client_for(people[who]).post(
        f"/cases/{case_a.pk}/consents/new/",
        {"given_by": "child", "scope": "services", "given_on": "2024-01-01"},
    )
    assert response.status_code == (302 if status == 200 else status)
    assert Consent.objects.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize(("who", "status"), [("cara", 403), ("sue", 302), ("beth", 404), ("ana", 403)])
def test_approving_closure(people, case_a, client_for, who, status, sid, org_a) -> None:
    from safeguard.cases.services.closure import case_request_closure
    from safeguard.testing.fixtures import actor_of

    case_request_closure(
        actor=actor_of(sid, org_a), case=case_a, reason_code="reintegrated", reason="Reunited"
    )
    response = client_for(people[who]).post(f"/cases/{case_a.pk}/close/decide/", {"decision": "approve"})
    assert response.status_code == status
    case_a.refresh_from_db()
    assert (case_a.status == "closed") == (status == 302)


@pytest.mark.parametrize(("who", "status"), [("cara", 403), ("sue", 302), ("beth", 404)])
def test_merging(people, case_a, client_for, who, status, org_a, cara) -> None:
    from safeguard.cases.tests.conftest import register
    from safeguard.testing.fixtures import actor_of

    other = register(actor_of(cara, org_a), first_name="Tessa")
    response = client_for(people[who]).post(
        f"/cases/{case_a.pk}/merge/", {"duplicate": other.reference, "reason": "x"}
    )
    assert response.status_code == status
    assert Case.objects.filter(status="merged").count() == (1 if status == 302 else 0)


def test_analysts_get_no_names_through_the_api(people, case_a, client_for) -> None:
    client = client_for(people["ana"])
    assert client.get("/api/v1/cases").status_code == 403
    assert client.get(f"/api/v1/cases/{case_a.pk}").status_code == 403
    assert not CaseEvent.objects.exclude(kind="registered").exists()


# A consent, follow-up or task is reached through its case: outside the case's reach it is "not found".
CHILD_MATRIX = [("cara", 302), ("carl", 404), ("beth", 404), ("bert", 404), ("hana", 404)]


@pytest.mark.parametrize(("who", "status"), CHILD_MATRIX)
def test_withdrawing_a_consent(people, case_a, client_for, who, status, cara, org_a) -> None:
    from safeguard.cases.tests.conftest import consent_for
    from safeguard.testing.fixtures import actor_of

    consent = consent_for(case_a, actor_of(cara, org_a), None, scope="services")
    response = client_for(people[who]).post(f"/cases/consents/{consent.pk}/withdraw/")
    assert response.status_code == status
    consent.refresh_from_db()
    assert (consent.withdrawn_at is not None) == (status == 302)
    assert CaseEvent.objects.filter(kind="consent_withdrawn").count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(("who", "status"), CHILD_MATRIX)
def test_recording_a_follow_up(people, case_a, client_for, who, status, cara, org_a) -> None:
    from safeguard.cases.services.followups import follow_up_schedule
    from safeguard.testing.fixtures import actor_of

    follow_up = follow_up_schedule(
        actor=actor_of(cara, org_a), case=case_a, due_on=date(2030, 1, 1), purpose="Visit"
    )
    response = client_for(people[who]).post(
        f"/cases/follow-ups/{follow_up.pk}/",
        {"done_on": "2024-01-01", "notes": "Fine", "outcome": "seen_well"},
    )
    assert response.status_code == status
    follow_up.refresh_from_db()
    assert (follow_up.done_on is not None) == (status == 302)
    assert CaseEvent.objects.filter(kind="follow_up_done").count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(("who", "status"), CHILD_MATRIX)
def test_marking_a_task_done(people, case_a, client_for, who, status) -> None:
    task = case_a.tasks.get()
    response = client_for(people[who]).post(f"/cases/tasks/{task.pk}/done/")
    assert response.status_code == status
    task.refresh_from_db()
    assert (task.done_at is not None) == (status == 302)
    assert CaseEvent.objects.filter(kind="task_done").count() == (1 if status == 302 else 0)
    assert AuditEvent.objects.filter(action="case.task_done").count() == (1 if status == 302 else 0)
