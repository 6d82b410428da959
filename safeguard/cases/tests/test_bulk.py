"""Bulk work on the case list: each ticked case goes through the single action's service, is
audited on its own, and a case out of the actor's reach is refused and named in the summary."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from safeguard.cases.models import Case, CaseEvent, CaseFlag, CaseStatus, Task, Team
from safeguard.cases.tests.conftest import register
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    # The list page the bulk form returns to (posted with ``follow``) shows, and so uses up, them.
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def three(sue, org_a) -> list[Case]:
    return [register(actor_of(sue, org_a), first_name=name) for name in ("Ada", "Bea", "Cleo")]


def test_reassign_the_ticked_cases(three, sue, cara, client_for) -> None:
    first, second, third = three
    client = client_for(sue)
    page = client.get("/cases/").content.decode()
    assert f'name="case" value="{first.pk}" form="bulk"' in page and 'action="/cases/bulk/"' in page
    assert 'data-select-all="case"' in page and f'name="page_case" value="{third.pk}"' in page
    response = client.post(
        "/cases/bulk/",
        follow=True,
        data={"action": "reassign", "owner": cara.pk, "case": [first.pk, second.pk]},
    )
    assert response.redirect_chain == [("/cases/", 302)]
    assert _messages(response) == ["2 cases reassigned to Cara Caseworker."]
    assert [Case.objects.get(pk=case.pk).owner for case in three] == [cara, cara, sue]
    # The pending tasks of the previous owner follow the case.
    assert set(Task.objects.pending().filter(case=first).values_list("assignee", flat=True)) == {cara.pk}
    assert set(Task.objects.pending().filter(case=third).values_list("assignee", flat=True)) == {sue.pk}
    events = CaseEvent.objects.filter(kind="updated", detail__fields=["owner"])
    assert sorted(events.values_list("case_id", flat=True)) == [first.pk, second.pk]
    assert events.get(case=first).detail == {
        "fields": ["owner"],
        "from_owner_id": sue.pk,
        "owner_id": cara.pk,
    }
    audits = AuditEvent.objects.filter(action="case.updated", actor=sue)
    assert sorted(int(audit.object_id) for audit in audits) == [first.pk, second.pk]
    assert not AuditEvent.objects.filter(action="case.bulk_refused").exists()


def test_a_second_organisations_case_smuggled_in_is_refused(
    three, sue, cara, bert, beth, org_b, client_for
) -> None:
    theirs = register(actor_of(bert, org_b), first_name="Dora")
    first, client = three[0], client_for(sue)
    for posted in (
        {"case": [first.pk, theirs.pk]},
        {"all_on_page": "on", "page_case": [first.pk, theirs.pk]},
    ):
        response = client.post(
            "/cases/bulk/",
            follow=True,
            data={"action": "flag", "reason": "safety", "note": "Seen (fictional).", **posted},
        )
        assert _messages(response) == [f"1 case flagged. 1 refused: #{theirs.pk} (not a case you may change)"]
    assert list(CaseFlag.objects.values_list("case", "reason", "raised_by")) == [
        (first.pk, "safety", sue.pk),
        (first.pk, "safety", sue.pk),
    ]
    assert theirs.reference not in " ".join(_messages(response))
    refused = AuditEvent.objects.filter(action="case.bulk_refused", actor=sue)
    assert [audit.detail for audit in refused] == [{"action": "flag", "case_ids": [theirs.pk]}] * 2
    # Reassigning to a user of the second organisation is not offered, and refused when posted.
    response = client.post(
        "/cases/bulk/", follow=True, data={"action": "reassign", "owner": bert.pk, "case": [first.pk]}
    )
    assert "Select a valid choice" in _messages(response)[0]
    assert Case.objects.get(pk=first.pk).owner == sue
    # The second organisation's supervisor, the other way round: org A's case is refused by id.
    response = client_for(beth).post(
        "/cases/bulk/", follow=True, data={"action": "flag", "reason": "other", "case": [first.pk]}
    )
    assert _messages(response) == [f"0 cases flagged. 1 refused: #{first.pk} (not a case you may change)"]
    assert CaseFlag.objects.count() == 2


def test_caseworker_changes_only_the_cases_in_reach_and_closed_cases_are_named(
    three, case_a, sue, cara, org_a, team_a, client_for
) -> None:
    closed = register(actor_of(cara, org_a), first_name="Eve")
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    south = Team.objects.create(organisation=org_a, name="South")
    response = client_for(cara).post(
        "/cases/bulk/",
        follow=True,
        data={"action": "team", "team": south.pk, "case": [case_a.pk, three[0].pk, closed.pk]},
    )
    assert _messages(response) == [
        f"1 case added to team South. 2 refused: #{three[0].pk} (not a case you may change); "
        f"{closed.reference} (This case is not open.)"
    ]
    assert Case.objects.get(pk=case_a.pk).team == south
    assert Case.objects.get(pk=three[0].pk).team is None and Case.objects.get(pk=closed.pk).team == team_a
    assert CaseEvent.objects.get(kind="updated", case=case_a).detail == {
        "fields": ["team"],
        "from_team_id": team_a.pk,
        "team_id": south.pk,
    }


def test_a_role_without_case_edit_is_refused(three, ana, org_a, client_for) -> None:
    response = client_for(ana).post(
        "/cases/bulk/", {"action": "flag", "reason": "safety", "case": [three[0].pk]}
    )
    assert response.status_code == 403
    assert CaseFlag.objects.count() == 0


def test_empty_selection_and_missing_choices_are_told(three, sue, org_b, client_for) -> None:
    client = client_for(sue)
    response = client.post(
        "/cases/bulk/", follow=True, data={"action": "reassign", "owner": sue.pk, "next": "/cases/?page=2"}
    )
    assert response.redirect_chain == [("/cases/?page=2", 302)]
    assert _messages(response) == ["Select at least one case."]
    response = client.post(
        "/cases/bulk/",
        follow=True,
        data={"action": "team", "case": [three[0].pk], "next": "https://evil.example/"},
    )
    assert response.redirect_chain == [("/cases/", 302)]
    assert _messages(response) == ["This field is required for the chosen action."]
    foreign = Team.objects.create(organisation=org_b, name="Beta team")
    response = client.post(
        "/cases/bulk/", follow=True, data={"action": "team", "team": foreign.pk, "case": [three[0].pk]}
    )
    assert "Select a valid choice" in _messages(response)[0]
    response = client.post(
        "/cases/bulk/", follow=True, data={"action": "flag", "reason": "safety", "case": ["x"]}
    )
    assert _messages(response) == ["The selection is not valid; reload the list."]
    assert Case.objects.filter(team__isnull=False).count() == 0 and CaseFlag.objects.count() == 0
    assert client.get("/cases/bulk/").status_code == 405
