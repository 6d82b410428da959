"""Every page for every kind of user, and the forms that write through the services."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safeguard.accounts.models import User
from safeguard.collaboration import services
from safeguard.collaboration.models import CrossBorderRequest, ItemType, RequestKind, Share
from safeguard.collaboration.tests.conftest import World, in_days, make_report, share_in
from safeguard.core.models import AuditEvent


@pytest.fixture
def objects(world: World) -> dict[str, int]:
    share = share_in(
        world, world.sue, ItemType.REPORT, make_report(world.org_a, narrative="Marco Fictitious").pk
    )
    request = services.request_send(
        actor=world.actor(world.lee), task_force=world.task_force, to_organisation=world.org_b,
        kind=RequestKind.INFORMATION, legal_basis="Art. 3 (fictional)", subject="Van owner", deadline=in_days(5),
    )  # fmt: skip
    return {"tf": world.task_force.pk, "share": share.pk, "request": request.pk}


PAGES = {
    "home": "/collaboration/",
    "workspace": "/collaboration/task-forces/{tf}/",
    "members": "/collaboration/task-forces/{tf}/members/",
    "share": "/collaboration/shares/{share}/",
    "request": "/collaboration/requests/{request}/",
    "request_new": "/collaboration/task-forces/{tf}/requests/new/",
    "notices": "/collaboration/notices/",
    "settings": "/collaboration/settings/",
}
EXPECTED = {
    "sue": {"home": 200, "workspace": 200, "members": 200, "share": 200, "request": 404, "request_new": 403, "notices": 200, "settings": 403},
    "lee": {"home": 200, "workspace": 200, "members": 200, "share": 200, "request": 200, "request_new": 200, "notices": 200, "settings": 403},
    "sam": {"home": 200, "workspace": 200, "members": 200, "share": 200, "request": 200, "request_new": 403, "notices": 200, "settings": 403},
    "pat": {"home": 200, "workspace": 200, "members": 200, "share": 200, "request": 404, "request_new": 403, "notices": 403, "settings": 403},
    "alice": {"home": 200, "workspace": 200, "members": 200, "share": 404, "request": 404, "request_new": 403, "notices": 403, "settings": 200},
    "bob": {"home": 200, "workspace": 404, "members": 404, "share": 404, "request": 404, "request_new": 403, "notices": 200, "settings": 403},
    "eve": {"home": 200, "workspace": 404, "members": 404, "share": 404, "request": 404, "request_new": 403, "notices": 200, "settings": 403},
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_every_page(
    world: World, objects: dict[str, int], signed_in: Callable[[User], Client], who: str
) -> None:
    client = signed_in(getattr(world, who))
    statuses = {name: client.get(path.format(**objects)).status_code for name, path in PAGES.items()}
    assert statuses == EXPECTED[who]


@pytest.mark.django_db
def test_the_shared_page_shows_the_level_and_no_names(
    world: World, objects: dict[str, int], signed_in: Callable[[User], Client]
) -> None:
    page = signed_in(world.sam).get(f"/collaboration/shares/{objects['share']}/").content.decode()
    assert "Marco Fictitious" not in page
    assert "deidentified" in page
    summary = signed_in(world.pat).get(f"/collaboration/shares/{objects['share']}/").content.decode()
    assert "RPT-T" not in summary


@pytest.mark.django_db
def test_sharing_from_the_workspace(world: World, signed_in: Callable[[User], Client]) -> None:
    report = make_report(world.org_a)
    form = {"step": "share", "share-item_type": "report", "share-item_id": report.pk, "share-purpose": "investigation",
            "share-level": "summary", "share-expires_on": in_days(10).isoformat()}  # fmt: skip
    denied = signed_in(world.eve).post(f"/collaboration/task-forces/{world.task_force.pk}/", form)
    assert denied.status_code == 404
    assert not Share.objects.exists()
    response = signed_in(world.sue).post(f"/collaboration/task-forces/{world.task_force.pk}/", form)
    assert response.status_code == 302
    assert list(Share.objects.values_list("item_type", "item_id", "level")) == [
        ("report", report.pk, "summary")
    ]
    # A bad expiry stays on the form, with what was typed.
    form["share-expires_on"] = in_days(-1).isoformat()
    again = signed_in(world.sue).post(f"/collaboration/task-forces/{world.task_force.pk}/", form)
    assert again.status_code == 200
    assert "The share must end after today." in again.content.decode()
    assert Share.objects.count() == 1


@pytest.mark.django_db
def test_answering_a_request_from_its_page(
    world: World, objects: dict[str, int], signed_in: Callable[[User], Client]
) -> None:
    url = f"/collaboration/requests/{objects['request']}/"
    denied = signed_in(world.lee).post(url, {"step": "answer", "answer-response": "Nothing"})
    assert denied.status_code == 403
    assert CrossBorderRequest.objects.get().status == "sent"
    assert (
        signed_in(world.sam)
        .post(url, {"step": "answer", "answer-response": "Leased by Fictional Vans Ltd"})
        .status_code
        == 302
    )
    assert CrossBorderRequest.objects.get().status == "answered"
    assert "Leased by Fictional Vans Ltd" in signed_in(world.lee).get(url).content.decode()


@pytest.mark.django_db
def test_opting_in_from_the_settings_page(world: World, signed_in: Callable[[User], Client]) -> None:
    from safeguard.collaboration.models import CollaborationSettings

    assert signed_in(world.sue).post("/collaboration/settings/", {"match_notices": "on"}).status_code == 403
    assert not CollaborationSettings.objects.exists()
    assert signed_in(world.alice).post("/collaboration/settings/", {"match_notices": "on"}).status_code == 302
    assert list(CollaborationSettings.objects.values_list("organisation_id", "match_notices")) == [
        (world.org_a.pk, True)
    ]
    assert (
        AuditEvent.objects.filter(action="collaboration.settings_changed", organisation=world.org_a).count()
        == 1
    )


@pytest.mark.django_db
def test_dashboard_panels(world: World, objects: dict[str, int], signed_in: Callable[[User], Client]) -> None:
    assert "Operation Lighthouse" in signed_in(world.lee).get("/dashboard/").content.decode()
    assert "Operation Lighthouse" not in signed_in(world.bob).get("/dashboard/").content.decode()
