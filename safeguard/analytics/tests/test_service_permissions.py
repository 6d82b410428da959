"""Every analytics service that acts for a user checks the permission itself: a caller with the
wrong role, or a user of another organisation, gets PermissionDenied and nothing is written (no
row, no audit event, no task queued)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.analytics.models import AdImport, AnalyticsRun, LinkStatus, PersonLinkCandidate
from safeguard.analytics.services.ad_imports import ad_import_create
from safeguard.analytics.services.person_links import link_decide
from safeguard.analytics.services.runs import run_request
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

ADS = b'{"id": "ad-1", "text": "Hotel jobs abroad, free travel, call +1 202 555 0100"}\n'

# service → (its call given the actor and org A's pending pair, the action it needs).
CALLS: dict[str, tuple[Callable[[Actor, PersonLinkCandidate], object], str]] = {
    "ad_import_create": (
        lambda actor, candidate: ad_import_create(actor=actor, filename="ads.jsonl", content=ADS),
        "ads.import",
    ),
    "link_decide": (
        lambda actor, candidate: link_decide(candidate=candidate, same_person=True, actor=actor),
        "analytics.review",
    ),
    "run_request (person linking)": (
        lambda actor, candidate: run_request(actor=actor, kind=AnalyticsRun.Kind.LINKING),
        "analytics.review",
    ),
}

WHO: dict[str, Callable[[dict[str, Any]], Actor]] = {
    # analytics.view, but neither analytics.review nor ads.import
    "supervisor of org A": lambda people: actor_of(people["supervisor_a"], people["org_a"]),
    # no analytics role at all
    "operator of org A": lambda people: actor_of(people["bob"], people["org_a"]),
    # an analyst of org B claiming org A, where they hold no role
    "analyst of org B in org A": lambda people: actor_of(people["analyst_b"], people["org_a"]),
}


@pytest.fixture
def candidate(org_a: Organisation) -> PersonLinkCandidate:
    return PersonLinkCandidate.objects.create(
        organisation=org_a, left_id="report:1:suspect:0", right_id="report:2:suspect:0", probability=0.8
    )


@pytest.fixture
def people(
    org_a: Organisation, org_b: Organisation, supervisor_a: User, bob: User, analyst_b: User
) -> dict[str, Any]:
    return {"org_a": org_a, "org_b": org_b, "supervisor_a": supervisor_a, "bob": bob, "analyst_b": analyst_b}


def _written() -> dict[str, object]:
    return {
        "imports": AdImport.objects.count(),
        "runs": AnalyticsRun.objects.count(),
        "audit": AuditEvent.objects.count(),
        "pairs": list(PersonLinkCandidate.objects.values_list("pk", "status", "decided_by")),
    }


@pytest.mark.parametrize("who", list(WHO))
@pytest.mark.parametrize("service", list(CALLS))
def test_denied_callers_write_nothing(
    service: str,
    who: str,
    candidate: PersonLinkCandidate,
    people: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    call, action = CALLS[service]
    before = _written()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(PermissionDenied, match=action.replace(".", r"\.")),
    ):
        call(WHO[who](people), candidate)
    assert _written() == before
    assert callbacks == []


def test_an_analyst_of_org_b_cannot_decide_org_a_pair(
    candidate: PersonLinkCandidate,
    org_b: Organisation,
    analyst_b: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = _written()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(PermissionDenied, match="another organisation"),
    ):
        link_decide(candidate=candidate, same_person=True, actor=actor_of(analyst_b, org_b))
    assert _written() == before
    assert callbacks == []
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (LinkStatus.PENDING, None)


AUDITED = {
    "ad_import_create": ("analytics.ads_uploaded", 1),
    "link_decide": ("analytics.link_decided", 0),
    "run_request (person linking)": ("analytics.run_requested", 1),
}


@pytest.mark.parametrize("service", list(CALLS))
def test_an_analyst_of_org_a_is_allowed(
    service: str,
    candidate: PersonLinkCandidate,
    org_a: Organisation,
    analyst_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The matrix's other side: the same calls succeed for an analyst of org A, audited as them,
    with the worker's task queued for after the commit where there is one."""
    call, _action = CALLS[service]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call(actor_of(analyst_a, org_a), candidate)
    action, tasks = AUDITED[service]
    assert list(AuditEvent.objects.values_list("action", "actor", "organisation")) == [
        (action, analyst_a.pk, org_a.pk)
    ]
    assert len(callbacks) == tasks
