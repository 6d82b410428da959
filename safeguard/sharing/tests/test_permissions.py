"""The permission matrix of sharing: every write × who asks, allowed and denied.

On every denial the side effect is absent: no release, no ledger entry, no budget change, no
audit event, no task queued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.sharing import access, services
from safeguard.sharing.models import BudgetEntry, PrivacyBudget, Release
from safeguard.testing.fixtures import actor_of


def _counts() -> tuple[int, ...]:
    return (
        Release.objects.count(),
        BudgetEntry.objects.count(),
        PrivacyBudget.objects.count(),
        AuditEvent.objects.count(),
    )


def _computed(actor: Actor) -> Release:
    release = services.release_request_microdata(
        actor=actor, title="t", quasi_identifiers=["prs_Gender"], k=2
    )
    return services.release_execute(release_id=release.pk)


WRITES: dict[str, Callable[[Actor, Release], Any]] = {
    "prepare microdata": lambda actor, release: services.release_request_microdata(
        actor=actor, title="t", quasi_identifiers=["prs_Gender"], k=2
    ),
    "prepare counts": lambda actor, release: services.release_request_counts(
        actor=actor, title="t", by=["prs_Gender"], epsilon=0.1
    ),
    "approve": lambda actor, release: services.release_decide(actor=actor, release=release, approve=True),
    "publish": lambda actor, release: services.release_set_public(actor=actor, release=release, public=True),
    "budget": lambda actor, release: services.budget_update(actor=actor, total_epsilon=5.0, threshold=3),
}

# write → roles of org A that may do it (the release is Sue's, so Sue herself may not approve it)
ALLOWED = {
    "prepare microdata": {Role.SUPERVISOR, Role.PROGRAMME_MANAGER},
    "prepare counts": {Role.SUPERVISOR, Role.PROGRAMME_MANAGER},
    "approve": {Role.SUPERVISOR, Role.ORG_ADMIN},
    "publish": {Role.SUPERVISOR, Role.ORG_ADMIN},
    "budget": {Role.ORG_ADMIN},
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("role", list(Role))
def test_role_matrix_with_the_side_effect_absent_when_denied(
    write: str, role: Role, org_a: Organisation, sue_actor: Actor, member: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    release = _computed(sue_actor)
    if write == "publish":
        services.release_decide(
            actor=actor_of(member(org_a, Role.ORG_ADMIN), org_a), release=release, approve=True
        )
        release.refresh_from_db()
    actor = actor_of(member(org_a, role), org_a)
    before = _counts()
    if role in ALLOWED[write]:
        with django_capture_on_commit_callbacks() as callbacks:
            WRITES[write](actor, release)
        assert _counts() != before
        assert len(callbacks) == (1 if write.startswith("prepare") else 0)
        return
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        WRITES[write](actor, release)
    assert _counts() == before
    assert callbacks == []


@pytest.mark.parametrize("write", ["approve", "publish"])
def test_another_organisations_supervisor_cannot_touch_a_release(
    write: str, sue_actor: Actor, ada_actor: Actor, sam_actor: Actor
) -> None:
    release = _computed(sue_actor)
    if write == "publish":
        services.release_decide(actor=ada_actor, release=release, approve=True)
        release.refresh_from_db()
    before = _counts()
    with pytest.raises(PermissionDenied):
        WRITES[write](sam_actor, release)
    assert _counts() == before
    release.refresh_from_db()
    assert release.decided_by != sam_actor.user and not release.is_public


def test_another_organisation_cannot_find_a_release(sue_actor: Actor, sam_actor: Actor) -> None:
    release = _computed(sue_actor)
    with pytest.raises(Http404):
        access.release_for(sam_actor, release.pk)
    assert list(access.releases_for(sam_actor)) == []
    assert list(access.ledger_for(sam_actor)) == []


def test_the_budget_of_another_organisation_is_its_own(
    sue_actor: Actor, sam_actor: Actor, ada_actor: Actor
) -> None:
    services.budget_update(actor=ada_actor, total_epsilon=0.2, threshold=0)
    services.release_request_counts(actor=sue_actor, title="t", by=["prs_Gender"], epsilon=0.2)
    # Beta's default budget is untouched by Alpha's spending.
    services.release_request_counts(actor=sam_actor, title="t", by=["prs_Gender"], epsilon=5.0)
    assert BudgetEntry.objects.filter(organisation=sam_actor.organisation).count() == 1


def test_reading_needs_a_role_that_sees_releases(org_a: Organisation, member: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        access.releases_for(actor_of(member(org_a, Role.OPERATOR), org_a))
    with pytest.raises(PermissionDenied):
        access.releases_for(actor_of(member(org_a, Role.CASEWORKER), org_a))
