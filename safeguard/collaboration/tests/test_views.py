"""Every page for every kind of user, and the forms that write through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

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


@pytest.mark.django_db
def test_the_timeline_names_what_each_step_was_about(
    world: World, signed_in: Callable[[User], Client]
) -> None:
    page = signed_in(world.sue).get(f"/collaboration/task-forces/{world.task_force.pk}/").content.decode()
    assert "Member added: Beta Foundation" in page
    assert "Member added: Delta Ministry" in page


@pytest.mark.django_db
def test_admins_accept_and_choose_from_the_members_page(
    world: World, signed_in: Callable[[User], Client]
) -> None:
    from safeguard.collaboration.models import MemberRole, SharingAgreement, TaskForceParticipant
    from safeguard.collaboration.tests.conftest import terms

    member = services.member_add(
        actor=world.actor(world.lee),
        task_force=world.task_force,
        organisation=world.outsider,
        role=MemberRole.MEMBER,
        terms=terms(),
    )
    agreement = SharingAgreement.objects.get(member=member)
    url = f"/collaboration/task-forces/{world.task_force.pk}/members/"
    assert signed_in(world.eve).post(url, {"step": "accept", "agreement": agreement.pk}).status_code == 404
    assert signed_in(world.alice).post(url, {"step": "accept", "agreement": agreement.pk}).status_code == 404
    assert signed_in(world.eve_admin).post(url, {"step": "accept", "agreement": "x"}).status_code == 404
    assert SharingAgreement.objects.get(pk=agreement.pk).accepted_at is None
    assert (
        signed_in(world.eve_admin).post(url, {"step": "accept", "agreement": agreement.pk}).status_code == 302
    )
    assert SharingAgreement.objects.get(pk=agreement.pk).accepted_by == world.eve_admin
    response = signed_in(world.eve_admin).post(url, {"step": "participant", "participant-user": world.eve.pk})
    assert response.status_code == 302
    assert list(TaskForceParticipant.objects.filter(member=member).values_list("user_id", flat=True)) == [
        world.eve.pk
    ]
    assert signed_in(world.eve).get(f"/collaboration/task-forces/{world.task_force.pk}/").status_code == 200


@pytest.mark.django_db
def test_notice_pages(
    org_a: object,
    org_b: object,
    alice: User,
    charlie: User,
    supervisor_a: User,
    member: object,
    signed_in: Callable[[User], Client],
) -> None:
    from safeguard.accounts.models import Organisation
    from safeguard.accounts.roles import Role
    from safeguard.collaboration.models import AccessRequest, MatchNotice
    from safeguard.collaboration.tests.conftest import mention, opt_in

    assert isinstance(org_a, Organisation) and isinstance(org_b, Organisation)
    opt_in((alice, org_a), (charlie, org_b))
    other = make_report(org_b, phone="+44 7911 123456")
    mention("report", other.pk, org_b, phone="+44 7911 123456")
    services.match_notices_for_record(
        record_type="report", record_id=make_report(org_a, phone="+44 7911 123456").pk
    )
    mine = MatchNotice.objects.get(organisation=org_a)
    sue = signed_in(supervisor_a)
    listing = sue.get("/collaboration/notices/").content.decode()
    assert "A phone number in this report also appears in records of Beta Foundation (1 report)." in listing
    assert (
        sue.get(f"/collaboration/notices/{MatchNotice.objects.get(organisation=org_b).pk}/").status_code
        == 404
    )
    response = sue.post(
        f"/collaboration/notices/{mine.pk}/", {"purpose": "protection", "note": "Same number"}
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    sam = member(org_b, Role.SUPERVISOR)  # type: ignore[operator]
    page = signed_in(sam).get(f"/collaboration/access-requests/{request.pk}/")
    assert page.status_code == 200
    assert f"/reports/{other.pk}/" in page.content.decode()
    assert sue.get(f"/collaboration/access-requests/{request.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_workspace_lists_shares_a_page_at_a_time(
    world: World, signed_in: Callable[[User], Client]
) -> None:
    share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    first = Share.objects.get()
    Share.objects.bulk_create(
        Share(
            task_force=world.task_force, organisation=world.org_a, item_type=ItemType.REPORT,
            item_id=first.item_id, item_label=f"RPT-PAGE{n:02d}", purpose=first.purpose, level=first.level,
            expires_on=first.expires_on, shared_by=world.sue, created_at=first.created_at + timedelta(seconds=n),
        )
        for n in range(1, 60)
    )  # fmt: skip
    client = signed_in(world.sam)
    url = f"/collaboration/task-forces/{world.task_force.pk}/"
    one = client.get(url).content.decode()
    assert one.count("RPT-PAGE") == 50 and "RPT-PAGE59" in one and "Page 1 of 2" in one
    two = client.get(url + "?page=2").content.decode()
    assert two.count("RPT-PAGE") == 9 and "RPT-PAGE01" in two and first.item_label in two
