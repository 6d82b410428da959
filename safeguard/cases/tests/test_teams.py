"""Teams: supervisors and organisation admins create teams and set members of their organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from safeguard.cases.models import Team
from safeguard.cases.services.teams import team_create, team_set_members
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def members(team):
    return sorted(team.members.values_list("email", flat=True))


@pytest.mark.parametrize("who", ["sue", "alice"])
def test_supervisor_or_org_admin_creates_a_team(org_a, sue, alice, cara, carl, client_for, who) -> None:
    user = {"sue": sue, "alice": alice}[who]
    client = client_for(user)
    page = client.get("/cases/teams/")
    assert page.status_code == 200
    assert "North" in page.content.decode() and 'href="/cases/teams/"' in page.content.decode()
    response = client.post("/cases/teams/", {"name": "South", "members": [carl.pk, cara.pk]})
    assert response.status_code == 302
    team = Team.objects.get(organisation=org_a, name="South")
    assert members(team) == ["cara@alpha.example", "carl@alpha.example"]
    audit = AuditEvent.objects.get(action="team.created", object_id=str(team.pk))
    assert audit.actor == user and audit.organisation == org_a
    assert audit.detail == {"member_ids": sorted([cara.pk, carl.pk])}


def test_setting_members_is_audited(org_a, team_a, sue, cara, carl, client_for) -> None:
    response = client_for(sue).post(f"/cases/teams/{team_a.pk}/", {"members": [carl.pk]})
    assert response.status_code == 302
    assert members(team_a) == ["carl@alpha.example"]
    audit = AuditEvent.objects.get(action="team.members_changed", object_id=str(team_a.pk))
    assert audit.actor == sue
    assert audit.detail == {"added_ids": [carl.pk], "removed_ids": [cara.pk]}


def test_a_user_of_another_organisation_cannot_be_added(org_a, team_a, sue, cara, bert, client_for) -> None:
    client = client_for(sue)
    response = client.post(f"/cases/teams/{team_a.pk}/", {"members": [cara.pk, bert.pk]})
    assert response.status_code == 400
    assert "Only users of your organisation can be team members." in response.content.decode()
    assert members(team_a) == ["cara@alpha.example"]
    response = client.post("/cases/teams/", {"name": "West", "members": [bert.pk]})
    assert response.status_code == 400
    assert 'value="West"' in response.content.decode()
    assert not Team.objects.filter(name="West").exists()
    assert not AuditEvent.objects.filter(action__startswith="team.").exists()


def test_the_service_refuses_users_of_another_organisation(org_a, team_a, sue, bert) -> None:
    with pytest.raises(ValidationError, match="Only users of your organisation can be team members"):
        team_set_members(actor=actor_of(sue, org_a), team=team_a, members=[bert])
    with pytest.raises(ValidationError, match="Only users of your organisation can be team members"):
        team_create(actor=actor_of(sue, org_a), name="East", members=[bert])
    assert members(team_a) == []
    assert not Team.objects.filter(name="East").exists()


def test_a_duplicate_name_keeps_what_was_typed(org_a, team_a, sue, client_for) -> None:
    response = client_for(sue).post("/cases/teams/", {"name": "north"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your organisation already has a team with this name." in page and 'value="north"' in page
    assert Team.objects.filter(organisation=org_a).count() == 1


@pytest.mark.parametrize("who", ["cara", "ana", "bob"])
def test_others_may_not_manage_teams(org_a, team_a, cara, ana, bob, carl, client_for, who) -> None:
    client = client_for({"cara": cara, "ana": ana, "bob": bob}[who])
    assert client.get("/cases/teams/").status_code == 403
    assert client.post("/cases/teams/", {"name": "Sneaky"}).status_code == 403
    assert client.post(f"/cases/teams/{team_a.pk}/", {"members": [carl.pk]}).status_code == 403
    assert not Team.objects.filter(name="Sneaky").exists()
    assert members(team_a) == ["cara@alpha.example"]
    assert 'href="/cases/teams/"' not in client.get("/").content.decode()


def test_a_team_of_another_organisation_is_not_found(org_a, team_a, cara, beth, bert, client_for) -> None:
    client = client_for(beth)
    response = client.post(f"/cases/teams/{team_a.pk}/", {"members": [bert.pk]})
    assert response.status_code == 404
    assert members(team_a) == ["cara@alpha.example"]
    assert "North" not in client.get("/cases/teams/").content.decode()
