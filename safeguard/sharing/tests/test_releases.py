"""Releases end to end through the services: computed in the background, approved by a second person."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.accounts.access import Actor
from safeguard.cases.models import Case
from safeguard.core.models import AuditEvent
from safeguard.sharing import services
from safeguard.sharing.models import BudgetEntry, Release, ReleaseStatus
from safeguard.sharing.selectors import DEFAULT_QUASI_IDENTIFIERS


def _computed(release: Release) -> Release:
    return services.release_execute(release_id=release.pk)


def test_k_anonymous_release_of_consenting_cases_only(
    sue_actor: Actor,
    alpha_cases: list[Case],
    beta_cases: list[Case],
    django_capture_on_commit_callbacks: object,
) -> None:
    release = services.release_request_microdata(
        actor=sue_actor, title="Cases 2024", quasi_identifiers=DEFAULT_QUASI_IDENTIFIERS, k=5
    )
    assert release.status == ReleaseStatus.QUEUED
    release = _computed(release)
    assert release.status == ReleaseStatus.READY
    assert release.report["input_rows"] == 24  # Beta's 30 and Alpha's 3 without consent are not in it
    assert release.report["cases_without_statistics_consent"] == 3
    assert release.report["released_rows"] + release.report["suppressed_rows"] == 24
    citizenship = release.columns.index("prs_Citizenship")
    assert {row[citizenship] for row in release.rows} <= {"ES", "Europe", "*"}
    joined = " ".join(" ".join(row) for row in release.rows)
    assert "Test1" not in joined and "Fictional" not in joined
    assert AuditEvent.objects.filter(action="sharing.release_computed", object_id=str(release.pk)).exists()


def test_a_second_person_approves_and_the_preparer_cannot(
    sue_actor: Actor, ada_actor: Actor, alpha_cases: list[Case]
) -> None:
    release = _computed(
        services.release_request_microdata(actor=sue_actor, title="t", quasi_identifiers=["prs_Gender"], k=5)
    )
    with pytest.raises(PermissionDenied):
        services.release_decide(actor=sue_actor, release=release, approve=True)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.READY
    with pytest.raises(ValidationError):
        services.release_decide(actor=ada_actor, release=release, approve=False, reason=" ")
    release = services.release_decide(actor=ada_actor, release=release, approve=True, publish=True)
    assert release.status == ReleaseStatus.APPROVED and release.is_public
    assert AuditEvent.objects.filter(action="sharing.release_approved", actor=ada_actor.user).count() == 1


def test_counts_spend_the_budget_and_a_release_over_it_is_refused(
    sue_actor: Actor, ada_actor: Actor, alpha_cases: list[Case]
) -> None:
    services.budget_update(actor=ada_actor, total_epsilon=1.0, threshold=0)
    release = services.release_request_counts(
        actor=sue_actor, title="By country", by=["prs_Gender"], epsilon=0.6
    )
    assert BudgetEntry.objects.get(release=release).epsilon == 0.6
    with pytest.raises(ValidationError) as error:
        services.release_request_counts(actor=sue_actor, title="Too much", by=["prs_Gender"], epsilon=0.5)
    assert "0.4 left" in str(error.value)
    assert Release.objects.count() == 1 and BudgetEntry.objects.count() == 1
    release = _computed(release)
    assert release.status == ReleaseStatus.READY
    assert release.columns == ["prs_Gender", "count", "low", "high"]
    assert release.report["noise_scale"] == pytest.approx(1 / 0.6)
    assert {row[0] for row in release.rows} == {"Feminine", "Masculine"}
    with pytest.raises(ValidationError):
        services.budget_update(actor=ada_actor, total_epsilon=0.5, threshold=0)  # below what is spent


def test_bad_parameters_are_refused_with_field_errors(sue_actor: Actor) -> None:
    with pytest.raises(ValidationError) as error:
        services.release_request_microdata(
            actor=sue_actor, title="t", quasi_identifiers=["nope"], k=1, sensitive=[], l_diversity=2
        )
    assert set(error.value.message_dict) == {"quasi_identifiers", "k", "l_diversity"}
    with pytest.raises(ValidationError) as error:
        services.release_request_counts(actor=sue_actor, title="t", by=[], epsilon=-1)
    assert set(error.value.message_dict) == {"by", "epsilon"}
    assert not Release.objects.exists()


def test_a_release_with_too_few_records_suppresses_everything_rather_than_leak(
    sue_actor: Actor, cal: object
) -> None:
    release = _computed(
        services.release_request_microdata(
            actor=sue_actor, title="t", quasi_identifiers=DEFAULT_QUASI_IDENTIFIERS, k=11
        )
    )
    assert release.status == ReleaseStatus.READY
    assert release.rows == []
