"""Pages: who sees what, the forms' messages, approval, downloads and the public statistics page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation
from safeguard.accounts.roles import Role
from safeguard.cases.models import Case
from safeguard.core.models import AuditEvent
from safeguard.sharing import services
from safeguard.sharing.models import Release, ReleaseStatus

VIEWERS = [Role.SUPERVISOR, Role.PROGRAMME_MANAGER, Role.ORG_ADMIN, Role.ANALYST]
OUTSIDERS = [Role.OPERATOR, Role.CASEWORKER, Role.LIAISON]


@pytest.fixture
def approved(sue_actor: Actor, ada_actor: Actor, alpha_cases: list[Case]) -> Release:
    release = services.release_request_counts(
        actor=sue_actor, title="Children by gender", by=["prs_Gender"], epsilon=1.0
    )
    release = services.release_execute(release_id=release.pk)
    return services.release_decide(actor=ada_actor, release=release, approve=True, publish=True)


@pytest.mark.parametrize("role", [*VIEWERS, *OUTSIDERS])
def test_pages_are_for_release_viewers(
    role: str, approved: Release, org_a: Any, member: Any, client_for: Any
) -> None:
    client = client_for(member(org_a, role))
    pages = [
        "/releases/",
        f"/releases/{approved.pk}/",
        f"/releases/{approved.pk}/status/",
        f"/releases/{approved.pk}/release.csv",
        f"/releases/{approved.pk}/release.xlsx",
        "/releases/budget/",
    ]
    expected = 200 if role in VIEWERS else 403
    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, expected)
    prepare = 200 if role in (Role.SUPERVISOR, Role.PROGRAMME_MANAGER) else 403
    assert client.get("/releases/new/microdata/").status_code == prepare
    assert client.get("/releases/new/counts/").status_code == prepare


def test_another_organisations_release_is_not_found(approved: Release, sam: Any, client_for: Any) -> None:
    client = client_for(sam)
    for page in (
        f"/releases/{approved.pk}/",
        f"/releases/{approved.pk}/release.csv",
        f"/releases/{approved.pk}/status/",
    ):
        assert client.get(page).status_code == 404, page
    assert client.post(f"/releases/{approved.pk}/publish/", {"public": "0"}).status_code == 404
    approved.refresh_from_db()
    assert approved.is_public
    assert b"Children by gender" not in client.get("/releases/").content


def test_preparing_a_release_shows_field_errors_and_keeps_the_input(sue: Any, client_for: Any) -> None:
    client = client_for(sue)
    response = client.post("/releases/new/microdata/", {"title": "Mine", "k": "1", "max_suppression": "2"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="Mine"' in text
    assert "Ensure this value is greater than or equal to 2." in text
    assert "Ensure this value is less than or equal to 0.5." in text
    assert not Release.objects.exists()


def test_preparing_counts_over_budget_says_how_much_is_left(
    sue: Any, ada_actor: Actor, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.budget_update(actor=ada_actor, total_epsilon=0.5, threshold=0)
    client = client_for(sue)
    response = client.post("/releases/new/counts/", {"title": "Big", "by": ["prs_Gender"], "epsilon": "1"})
    assert response.status_code == 200
    assert "is more than the 0.5 left" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/releases/new/counts/", {"title": "Small", "by": ["prs_Gender"], "epsilon": "0.5"}
        )
    release = Release.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/releases/{release.pk}/"
    assert len(callbacks) == 1


def test_approval_page_flow_and_downloads(
    sue_actor: Actor, ada: Any, alpha_cases: list[Case], client_for: Any
) -> None:
    release = services.release_execute(
        release_id=services.release_request_microdata(
            actor=sue_actor, title="Records", quasi_identifiers=["prs_Gender", "vic_AgeWhenTrafficked"], k=5
        ).pk
    )
    client = client_for(ada)
    assert client.get(f"/releases/{release.pk}/release.csv").status_code == 404  # not approved yet
    page = client.get(f"/releases/{release.pk}/").content.decode()
    assert "Approve or reject" in page and "Released rows" in page
    response = client.post(f"/releases/{release.pk}/decide/", {"decision": "reject", "reason": ""})
    assert response.status_code == 400 and "Say why the release is rejected." in response.content.decode()
    response = client.post(f"/releases/{release.pk}/decide/", {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED and not release.is_public
    csv = client.get(f"/releases/{release.pk}/release.csv")
    assert csv.content.decode().splitlines()[0].startswith("vic_AgeWhenTrafficked,prs_Gender")
    workbook = load_workbook(io.BytesIO(client.get(f"/releases/{release.pk}/release.xlsx").content))
    assert workbook.sheetnames == ["Release", "Data dictionary", "Method"]
    assert (
        AuditEvent.objects.filter(action="sharing.release_downloaded", object_id=str(release.pk)).count() == 2
    )


def test_public_statistics_page_shows_published_counts_only(
    approved: Release, sue_actor: Actor, org_a: Organisation, client: Any
) -> None:
    unpublished = services.release_request_counts(
        actor=sue_actor, title="Not yet", by=["prs_Gender"], epsilon=0.5
    )
    services.release_execute(release_id=unpublished.pk)
    response = client.get(f"/statistics/{org_a.slug}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Children by gender" in text and "Not yet" not in text
    assert "<svg" in text and "ε = 1.0" in text
    assert "Test1" not in text and "Fictional" not in text
    download = client.get(f"/statistics/{org_a.slug}/{approved.pk}.csv")
    assert download.status_code == 200 and download.content.startswith(b"prs_Gender,count,low,high")
    assert client.get(f"/statistics/{org_a.slug}/{unpublished.pk}.csv").status_code == 404
    assert client.get("/statistics/no-such-organisation/").status_code == 404


def test_budget_page_for_admins_saves_and_explains_errors(ada: Any, client_for: Any) -> None:
    client = client_for(ada)
    response = client.post("/releases/budget/", {"total_epsilon": "-1", "threshold": "5"})
    assert "Ensure this value is greater than or equal to 0.0." in response.content.decode()
    response = client.post("/releases/budget/", {"total_epsilon": "3", "threshold": "5"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="sharing.budget_updated").count() == 1


def test_phone_sized_pages_have_the_viewport_and_wrapped_tables(
    approved: Release, org_a: Organisation, client: Any
) -> None:
    text = client.get(f"/statistics/{org_a.slug}/").content.decode()
    assert 'name="viewport"' in text and 'class="table-wrap"' in text and "sharing.css" in text
