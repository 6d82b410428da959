"""Saved views of the case list: saved from the list, opened with exact rows, renamed and deleted
by their owner only, shared with the owner's team and never seen by anyone else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from safeguard.accounts.models import User
from safeguard.cases.models import Case, SavedView
from safeguard.cases.services.views import saved_view_create
from safeguard.cases.tests.conftest import register
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def rows(client, url: str) -> list[str]:
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return [case.reference for case in response.context["page"].object_list]


def test_save_open_rename_delete(client_for, sue, org_a) -> None:
    high = register(actor_of(sue, org_a), first_name="Amira")
    low = register(actor_of(sue, org_a), first_name="Bilal")
    Case.objects.filter(pk=high.pk).update(risk_level="high")
    Case.objects.filter(pk=low.pk).update(risk_level="low")
    client = client_for(sue)
    saved = client.post(
        "/cases/views/new/", {"name": " High risk ", "query": "risk=high&sort=-reference&page=3"}
    )
    assert saved.status_code == 302
    view = SavedView.objects.get()
    assert (view.name, view.query, view.owner, view.team) == (
        "High risk",
        {"risk": "high", "sort": "-reference"},
        sue,
        None,
    )
    assert "High risk" in client.get("/cases/").content.decode()
    assert rows(client, f"/cases/views/{view.pk}/") == [high.reference]
    opened = client.get(f"/cases/views/{view.pk}/", follow=True, HTTP_ACCEPT_LANGUAGE="es")
    assert opened.context["active_view"] == view
    assert "Vista guardada: High risk" in opened.content.decode()
    assert client.get("/cases/").context["active_view"] is None
    duplicate = client.post("/cases/views/new/", {"name": "High risk", "query": "risk=low"}, follow=True)
    assert "already have a view with this name" in duplicate.content.decode()
    bad = client.post("/cases/views/new/", {"name": "Bad", "query": "sort=password"}, follow=True)
    assert "cannot be saved" in bad.content.decode() and SavedView.objects.count() == 1
    client.post(f"/cases/views/{view.pk}/rename/", {"name": "Urgent"})
    view.refresh_from_db()
    assert view.name == "Urgent"
    client.post(f"/cases/views/{view.pk}/delete/")
    assert SavedView.objects.count() == 0
    actions = set(AuditEvent.objects.filter(actor=sue).values_list("action", flat=True))
    assert {"case.view_saved", "case.view_renamed", "case.view_deleted"} <= actions


def test_shared_with_a_team_only(client_for, cara, carl, sue, beth, org_a, team_a) -> None:
    mine = saved_view_create(actor=actor_of(sue, org_a), name="Sue's own", query={"status": "open"})
    team_a.members.add(sue)
    shared = saved_view_create(actor=actor_of(sue, org_a), name="North", query={"risk": "high"}, team=team_a)
    with pytest.raises(ValidationError):
        saved_view_create(actor=actor_of(carl, org_a), name="Sneaky", query={}, team=team_a)

    # One signed-in client each: a TOTP code is accepted once.
    clients = {user: client_for(user) for user in (sue, cara, carl, beth)}

    def names(user: User) -> list[str]:
        return [view.name for view in clients[user].get("/cases/").context["saved_views"]]

    assert names(sue) == ["North", "Sue's own"]
    assert names(cara) == ["North"]  # in team North
    assert names(carl) == []  # same organisation, not in the team
    assert names(beth) == []  # another organisation
    # Opening, renaming or deleting what is not yours or shared with you: not found or refused.
    assert clients[carl].get(f"/cases/views/{shared.pk}/").status_code == 404
    assert clients[beth].get(f"/cases/views/{mine.pk}/").status_code == 404
    assert clients[cara].get(f"/cases/views/{mine.pk}/").status_code == 404
    assert clients[cara].post(f"/cases/views/{shared.pk}/rename/", {"name": "Mine now"}).status_code == 403
    assert clients[cara].post(f"/cases/views/{shared.pk}/delete/").status_code == 403
    assert clients[beth].post(f"/cases/views/{shared.pk}/delete/").status_code == 404
    assert sorted(SavedView.objects.values_list("name", flat=True)) == ["North", "Sue's own"]
