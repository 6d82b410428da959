"""A k-anonymous release from the cases shared into a task force, instead of the organisation's own."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from safeguard.accounts.roles import Role
from safeguard.collaboration import services as collaboration_services
from safeguard.collaboration.tests.conftest import World, share_in, world  # noqa: F401 - the fixture
from safeguard.sharing import services
from safeguard.sharing.models import ReleaseStatus
from safeguard.sharing.tests.conftest import register_cases
from safeguard.testing.fixtures import actor_of, make_member

QUASI = ["prs_Gender", "cas_YearOfRegistration"]


@pytest.fixture
def tf(request: pytest.FixtureRequest) -> World:
    """Collaboration's task force world (police lead, A and B members, an observer, an outsider)."""
    found: World = request.getfixturevalue("world")
    return found


def _release(tf: World, user: Any, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Shared cases (test)", "quasi_identifiers": QUASI, "k": 2, "task_force_id": tf.task_force.pk,
    }  # fmt: skip
    values.update(changes)
    return services.release_request_microdata(actor=tf.actor(user), **values)


def test_a_release_of_the_task_forces_shared_cases(
    tf: World, django_capture_on_commit_callbacks: Any
) -> None:
    caseworker = actor_of(make_member(tf.org_b, Role.CASEWORKER), tf.org_b)
    consenting = register_cases(caseworker, 13)
    (without_consent,) = register_cases(caseworker, 1, consent=False)
    (only_summary,) = register_cases(caseworker, 1)
    for case in [*consenting, without_consent]:
        share_in(tf, tf.sam, "case", case.pk)
    share_in(tf, tf.sam, "case", only_summary.pk, level="summary")
    own_case = register_cases(actor_of(make_member(tf.org_a, Role.CASEWORKER), tf.org_a), 1)[0]
    revoked = consenting[-1]

    # Outsiders and observers (who see summaries only) cannot release them.
    with pytest.raises(Http404):
        _release(tf, tf.eve)
    with pytest.raises(ValidationError, match="de-identified"):
        _release(tf, tf.pat)
    # A task force's cases are released only in the columns a de-identified share shows.
    with pytest.raises(ValidationError, match="gender, citizenship"):
        _release(tf, tf.sue, quasi_identifiers=["vic_AgeWhenTrafficked"])

    with django_capture_on_commit_callbacks(execute=False):
        release = _release(tf, tf.sue)
    assert release.organisation == tf.org_a
    assert len(release.parameters["shares"]) == 14  # not the summary share
    share = next(s for s in collaboration_services.Share.objects.filter(item_id=revoked.pk, item_type="case"))
    collaboration_services.share_revoke(actor=tf.actor(tf.sam), share=share, reason="Test revocation")
    release = services.release_execute(release_id=release.pk)
    assert release.status == ReleaseStatus.READY, release.error
    assert release.columns == [
        "prs_Gender", "prs_Citizenship", "vic_CountryOfExploitation", "cas_YearOfRegistration",
        "vic_TypeOfExploitation", "cas_Status",
    ]  # fmt: skip
    # 12 consenting shared cases still shared (one revoked), one left out for want of consent.
    assert release.report["input_rows"] == 12 and len(release.rows) == release.report["released_rows"]
    assert release.report["cases_without_statistics_consent"] == 1
    assert release.report["task_force"] == tf.task_force.pk
    assert own_case.reference not in str(release.rows)
