"""Duplicate suggestions on the triage page: why, merge, "not a duplicate", and who sees what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.accounts.models import Organisation, User
from safeguard.core.audit import AuditEvent
from safeguard.intake import duplicates
from safeguard.intake.choices import Outcome
from safeguard.intake.duplicate_suggestions import duplicate_hints, duplicate_suggestions
from safeguard.intake.models import NotDuplicate, Report
from safeguard.intake.services.duplicates import report_merge_suggested, report_not_duplicate
from safeguard.intake.services.routing import report_route
from safeguard.testing.fixtures import actor_of

NARRATIVE = (
    "A man in a grey van waits outside the school gate every afternoon and offers the older girls "
    "jobs in a restaurant in another city, with free travel and a place to stay."
)
OTHER_NARRATIVE = "Two boys sell flowers at the main crossroads late at night; an adult collects the money."


def _ids(actor: Any, report: Report) -> list[int]:
    return [s.report.pk for s in duplicate_suggestions(actor, report)]


def test_narratives_are_compared_by_the_jaccard_similarity_of_word_triples() -> None:
    now = timezone.now()
    a = duplicates.ReportFacts(1, NARRATIVE, frozenset(), now)
    same = duplicates.ReportFacts(2, NARRATIVE.upper() + " Please help.", frozenset(), now)
    other = duplicates.ReportFacts(3, OTHER_NARRATIVE, frozenset(), now)
    found = duplicates.suggest(a, [same, other])
    assert [s.report_id for s in found] == [2]
    # Case and accents folded, the copy adds two triples ("... please", "... please help").
    triples = len(duplicates.shingles(NARRATIVE))
    assert found[0].text_similarity == round(triples / (triples + 2), 2) and found[0].shared_kinds == ()


def test_jaccard_is_shared_over_all_and_zero_without_shingles() -> None:
    assert duplicates.jaccard({"a b c", "b c d", "c d e"}, {"b c d", "c d e", "d e f"}) == 0.5
    assert duplicates.jaccard(set(), {"a b c"}) == 0.0


def test_place_and_time_alone_never_suggest() -> None:
    now = timezone.now()
    a = duplicates.ReportFacts(1, NARRATIVE, frozenset(), now, "ES", "ES-MD", "Atocha", 40.40, -3.69)
    b = duplicates.ReportFacts(
        2, OTHER_NARRATIVE, frozenset(), now + timedelta(hours=2), "ES", "ES-MD", "Atocha"
    )
    assert duplicates.suggest(a, [b]) == []


@pytest.mark.django_db
def test_two_identical_reports_suggest_each_other_with_their_reasons(
    make_report: Callable[..., Report], bob: User, org_a: Organisation
) -> None:
    first = make_report(narrative=NARRATIVE, country="ES", identifiers=[("phone", "612 345 678")])
    second = make_report(narrative=NARRATIVE, country="ES", identifiers=[("phone", "+34 612-345-678")])
    make_report(narrative=OTHER_NARRATIVE, country="ES")
    actor = actor_of(bob, org_a)
    [suggestion] = duplicate_suggestions(actor, second)
    assert suggestion.report == first
    assert suggestion.why.shared_kinds == ("phone",)
    assert suggestion.why.text_similarity == 1.0
    assert suggestion.shared_labels == ["phone number"]
    assert _ids(actor, first) == [second.pk]


@pytest.mark.django_db
def test_the_triage_page_shows_the_suggestion_and_merges_in_one_click(
    make_report: Callable[..., Report], bob: User, client_for: Any
) -> None:
    first = make_report(narrative=NARRATIVE, country="ES", subdivision="ES-MD", place="Atocha")
    second = make_report(narrative=NARRATIVE + " Again.", country="ES", subdivision="ES-MD", place="atocha")
    client = client_for(bob)
    page = client.get(f"/reports/{second.pk}/").content.decode()
    assert "Possible duplicates" in page and first.reference in page
    assert "Same place, received" in page and "% alike" in page

    response = client.post(f"/reports/{second.pk}/suggestions/merge/", {"other": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.duplicate_of_id, second.outcome) == (first.pk, Outcome.DUPLICATE)
    assert "Possible duplicates" not in client.get(f"/reports/{first.pk}/").content.decode()


@pytest.mark.django_db
def test_not_a_duplicate_is_remembered(
    make_report: Callable[..., Report], bob: User, client_for: Any
) -> None:
    first = make_report(narrative=NARRATIVE)
    second = make_report(narrative=NARRATIVE)
    client = client_for(bob)
    assert client.post(f"/reports/{second.pk}/suggestions/dismiss/", {"other": first.pk}).status_code == 302
    assert NotDuplicate.objects.filter(report=first, other=second).count() == 1
    assert AuditEvent.objects.filter(action="report.not_duplicate").count() == 1
    assert "Possible duplicates" not in client.get(f"/reports/{second.pk}/").content.decode()
    assert "Possible duplicates" not in client.get(f"/reports/{first.pk}/").content.decode()
    # Saying it twice changes nothing.
    client.post(f"/reports/{first.pk}/suggestions/dismiss/", {"other": second.pk})
    assert (
        NotDuplicate.objects.count(),
        AuditEvent.objects.filter(action="report.not_duplicate").count(),
    ) == (1, 1)


@pytest.mark.django_db
def test_a_bad_suggestion_form_says_what_is_wrong(
    make_report: Callable[..., Report], bob: User, client_for: Any
) -> None:
    report = make_report(narrative=NARRATIVE)
    response = client_for(bob).post(f"/reports/{report.pk}/suggestions/merge/", {"other": "x"}, follow=True)
    assert response.status_code == 200
    assert "Choose the suggested report." in response.content.decode()


@pytest.mark.django_db
def test_another_organisations_report_is_never_suggested(
    make_report: Callable[..., Report], bob: User, operator_b: User, org_a: Organisation, org_b: Organisation
) -> None:
    mine = make_report(narrative=NARRATIVE, identifiers=[("phone", "612 345 678")], country="ES")
    theirs = make_report(
        organisation=org_b, narrative=NARRATIVE, identifiers=[("phone", "612 345 678")], country="ES"
    )
    assert _ids(actor_of(bob, org_a), mine) == []
    assert _ids(actor_of(operator_b, org_b), theirs) == []
    # A report routed in from org A is visible to org B, but org B is not its triager: no suggestions.
    report_route(report=mine, organisation=org_b, actor=actor_of(bob, org_a))
    assert _ids(actor_of(operator_b, org_b), mine) == []


@pytest.mark.django_db
def test_a_second_organisation_cannot_merge_or_dismiss(
    make_report: Callable[..., Report],
    bob: User,
    operator_b: User,
    org_a: Organisation,
    org_b: Organisation,
    client_for: Any,
) -> None:
    first = make_report(narrative=NARRATIVE)
    second = make_report(narrative=NARRATIVE)
    report_route(report=second, organisation=org_b, actor=actor_of(bob, org_a))
    writes = AuditEvent.objects.filter(
        action__in=["report.merged", "report.merged_into", "report.not_duplicate"]
    )
    client = client_for(operator_b)
    assert client.post(f"/reports/{second.pk}/suggestions/merge/", {"other": first.pk}).status_code == 404
    assert client.post(f"/reports/{second.pk}/suggestions/dismiss/", {"other": first.pk}).status_code == 404
    actor = actor_of(operator_b, org_b)
    with pytest.raises(PermissionDenied):
        report_not_duplicate(report=second, other=first, actor=actor)
    with pytest.raises(PermissionDenied):
        report_merge_suggested(report=second, other=first, actor=actor)
    second.refresh_from_db()
    assert second.duplicate_of_id is None
    assert not NotDuplicate.objects.exists()
    assert not writes.exists()
    # Org A cannot merge its report with one of org B either.
    foreign = make_report(organisation=org_b, narrative=NARRATIVE)
    with pytest.raises(PermissionDenied):
        report_merge_suggested(report=first, other=foreign, actor=actor_of(bob, org_a))
    assert (
        client_for(bob).post(f"/reports/{first.pk}/suggestions/merge/", {"other": foreign.pk}).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_queue_shows_the_likely_duplicate_beside_each_row_of_its_own_organisation_only(
    make_report: Callable[..., Report],
    bob: User,
    operator_b: User,
    org_a: Organisation,
    org_b: Organisation,
    client_for: Any,
) -> None:
    first = make_report(narrative=NARRATIVE, country="ES", identifiers=[("phone", "612 345 678")])
    second = make_report(narrative=NARRATIVE, country="ES", identifiers=[("phone", "+34 612-345-678")])
    lone = make_report(narrative=OTHER_NARRATIVE, country="ES")
    theirs = make_report(organisation=org_b, narrative=NARRATIVE, country="ES")
    hints = duplicate_hints(actor_of(bob, org_a), [first, second, lone])
    assert {pk: hint.report.pk for pk, hint in hints.items()} == {first.pk: second.pk, second.pk: first.pk}
    assert hints[second.pk].why.shared_kinds == ("phone",)
    # Org B's identical narrative is neither hinted to A nor hinted with A's reports to B.
    assert duplicate_hints(actor_of(operator_b, org_b), [theirs]) == {}

    page = client_for(bob).get("/reports/").content.decode()
    assert f"Possible duplicate of {second.reference}" in page
    assert f"Possible duplicate of {first.reference}" in page
    assert theirs.reference not in page

    report_not_duplicate(report=second, other=first, actor=actor_of(bob, org_a))
    assert duplicate_hints(actor_of(bob, org_a), [first, second, lone]) == {}
    page = client_for(operator_b).get("/reports/").content.decode()
    assert "Possible duplicate of" not in page
