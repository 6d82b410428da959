"""A network rebuild recomputes every organisation's networks: only a platform administrator may
queue one. An organisation's analyst, admin or supervisor is refused in the service and on the
pages, and nothing is written: no run, no audit event, no task. Their batch runs (person
linking) stay scoped to their organisation, and they never see a platform-wide run or its
result, which counts every organisation's records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.analytics.models import AnalyticsRun, JobStatus
from safeguard.analytics.services.runs import networks_rebuild_request, run_request
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import UserFactory, actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db: None) -> User:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user: User = UserFactory.create(email="root@test.example", is_platform_admin=True)
    TOTPDevice.objects.create(user=user, confirmed=True, name="t")
    return user


def _written() -> tuple[int, int]:
    return AnalyticsRun.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("who", ["analyst_a", "alice", "supervisor_a", "analyst_b"])
def test_no_organisation_member_can_queue_a_network_rebuild(
    who: str, request: pytest.FixtureRequest, org_a: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    user: User = request.getfixturevalue(who)
    organisation = user.memberships.get().organisation
    before = _written()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(PermissionDenied, match="platform administrators only"):
            networks_rebuild_request(actor=user)
        with pytest.raises(PermissionDenied):
            run_request(actor=actor_of(user, organisation), kind=AnalyticsRun.Kind.NETWORKS)

    assert _written() == before
    assert callbacks == []


def test_a_platform_admin_queues_a_platform_wide_rebuild(
    root: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = networks_rebuild_request(actor=root)

    assert (run.kind, run.organisation, run.status) == (AnalyticsRun.Kind.NETWORKS, None, JobStatus.QUEUED)
    assert list(AuditEvent.objects.values_list("action", "actor", "organisation")) == [
        ("analytics.run_requested", root.pk, None)
    ]
    assert len(callbacks) == 1


def test_an_analyst_posting_a_rebuild_is_refused_and_nothing_is_queued(
    analyst_a: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(analyst_a)
    before = _written()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        overview_post = client.post("/analytics/runs/", {"kind": "networks"})
        page_post = client.post("/analytics/network-rebuilds/")

    assert (overview_post.status_code, page_post.status_code) == (403, 403)
    assert client.get("/analytics/network-rebuilds/").status_code == 403
    assert _written() == before
    assert AnalyticsRun.objects.count() == 0
    assert callbacks == []
    assert "Rebuild networks" not in client.get("/analytics/").content.decode()


def test_the_platform_admin_page_queues_and_shows_the_rebuild(
    root: User, client_for: Callable[[User], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(root)
    assert client.get("/analytics/network-rebuilds/").status_code == 200

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client.post("/analytics/network-rebuilds/", follow=True)

    run = AnalyticsRun.objects.get()
    assert (run.kind, run.organisation, len(callbacks)) == (AnalyticsRun.Kind.NETWORKS, None, 1)
    assert "The run is queued; its progress shows below." in page.content.decode()
    assert f"/analytics/network-rebuilds/{run.pk}/status/" in page.content.decode()
    assert client.get(f"/analytics/network-rebuilds/{run.pk}/status/").status_code == 200


def test_analysts_never_see_a_platform_wide_run_or_its_result(
    root: User,
    analyst_a: User,
    org_a: Organisation,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        platform = networks_rebuild_request(actor=root)
        own = run_request(actor=actor_of(analyst_a, org_a), kind=AnalyticsRun.Kind.LINKING)
    AnalyticsRun.objects.filter(pk=platform.pk).update(
        status=JobStatus.DONE, result={"networks": 7, "records": 4321}
    )
    client = client_for(analyst_a)

    overview = client.get("/analytics/").content.decode()

    assert f'id="run-{own.pk}"' in overview
    assert f'id="run-{platform.pk}"' not in overview and "4321" not in overview
    assert client.get(f"/analytics/runs/{platform.pk}/status/").status_code == 404
    assert client.get(f"/analytics/runs/{own.pk}/status/").status_code == 200
    assert client.get(f"/analytics/network-rebuilds/{platform.pk}/status/").status_code == 403
