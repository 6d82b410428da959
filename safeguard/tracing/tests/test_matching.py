"""Matching children with enquiries: a spelling variant and an age within tolerance are found, a
wrong age or sex is not, in both directions, and only inside the organisation."""

from __future__ import annotations

import pytest

from safeguard.accounts.models import Organisation, User
from safeguard.cases.models import Case, CaseEvent
from safeguard.testing.fixtures import actor_of
from safeguard.tracing.matching import (
    AGE,
    AGE_APART,
    AGE_TOLERANCE,
    FAMILY_MEMBER,
    NAME,
    NAME_SOUNDS_ALIKE,
    SAME_REGION,
    SEX,
    THRESHOLD,
    ChildSide,
    EnquirySide,
    score,
    sounds_alike,
)
from safeguard.tracing.models import (
    Enquiry,
    EnquiryNameKey,
    MatchStatus,
    TracingMatch,
    TracingRequest,
    TracingState,
)
from safeguard.tracing.services.enquiries import enquiry_record
from safeguard.tracing.services.requests import tracing_request_open
from safeguard.tracing.tests.conftest import details, sought

CHILD = ChildSide(
    names=["Amina Yusuf", "Mina"],
    age=12,
    sex="Feminine",
    places=["NG-KN", "NG"],
    family_names=["Hauwa Yusuf"],
)


def test_a_spelling_variant_with_an_age_within_tolerance_scores_above_the_threshold() -> None:
    result = score(
        CHILD, EnquirySide(names=["Aminah Yousuf"], age=12 + AGE_TOLERANCE, sex="Feminine", place="NG-KN")
    )
    assert result.value >= THRESHOLD
    assert result.reasons == [NAME, NAME_SOUNDS_ALIKE, AGE, SEX, SAME_REGION]


def test_an_age_beyond_the_tolerance_keeps_even_the_same_name_below_the_threshold() -> None:
    result = score(
        CHILD,
        EnquirySide(
            names=["Amina Yusuf"],
            age=12 + AGE_TOLERANCE + 1,
            sex="Feminine",
            place="NG-KN",
            enquirer_names=["Hauwa Yusuf"],
        ),
    )
    assert result.value < THRESHOLD
    assert AGE_APART in result.reasons and AGE not in result.reasons


def test_a_different_sex_keeps_the_same_name_below_the_threshold() -> None:
    result = score(CHILD, EnquirySide(names=["Amina Yusuf"], age=12, sex="Masculine", place="NG-KN"))
    assert result.value < THRESHOLD


def test_the_enquirer_being_the_family_member_sought_is_a_reason() -> None:
    result = score(CHILD, EnquirySide(names=["Aminah Yousuf"], enquirer_names=["Hauwa Yussuf"]))
    assert FAMILY_MEMBER in result.reasons


def test_an_unrelated_name_is_not_a_match() -> None:
    assert (
        score(CHILD, EnquirySide(names=["Grace Okafor"], age=12, sex="Feminine", place="NG-KN")).value
        < THRESHOLD
    )


def test_phonetic_agreement() -> None:
    assert sounds_alike(["Aminah Yousuf"], ["Amina Yusuf"])
    assert not sounds_alike(["Grace Okafor"], ["Amina Yusuf"])


@pytest.mark.django_db
def test_an_enquiry_finds_the_child_being_traced(
    tracing_request: TracingRequest, carl: User, org_a: Organisation, child_case: Case
) -> None:
    enquiry = enquiry_record(actor=actor_of(carl, org_a), details=details())
    match = TracingMatch.objects.get()
    assert (match.request, match.enquiry, match.status) == (tracing_request, enquiry, MatchStatus.PENDING)
    assert match.score >= THRESHOLD and NAME_SOUNDS_ALIKE in match.reasons and AGE in match.reasons
    tracing_request.refresh_from_db()
    assert tracing_request.state == TracingState.POTENTIAL_MATCH
    event = CaseEvent.objects.get(case=child_case, kind="tracing_match_found")
    assert event.detail == {
        "tracing_request_id": tracing_request.pk,
        "match_id": match.pk,
        "enquiry_id": enquiry.pk,
        "score": match.score,
    }
    # Name keys are blind indexes, never the phonetic codes themselves.
    assert EnquiryNameKey.objects.filter(enquiry=enquiry).exists()
    assert not EnquiryNameKey.objects.filter(key__in=["A550", "Y210"]).exists()


@pytest.mark.django_db
def test_a_new_tracing_request_finds_an_earlier_enquiry(
    enquiry: Enquiry, child_case: Case, cara: User, org_a: Organisation
) -> None:
    request = tracing_request_open(actor=actor_of(cara, org_a), case=child_case, sought=sought())
    assert list(TracingMatch.objects.values_list("request", "enquiry")) == [(request.pk, enquiry.pk)]
    assert TracingRequest.objects.get(pk=request.pk).state == TracingState.POTENTIAL_MATCH


@pytest.mark.django_db
def test_an_enquiry_with_a_wrong_age_is_not_matched(
    tracing_request: TracingRequest, carl: User, org_a: Organisation
) -> None:
    enquiry_record(actor=actor_of(carl, org_a), details=details(child_age=12 + AGE_TOLERANCE + 3))
    assert not TracingMatch.objects.exists()
    tracing_request.refresh_from_db()
    assert tracing_request.state == TracingState.OPEN


@pytest.mark.django_db
def test_an_enquiry_in_another_organisation_never_matches(
    tracing_request: TracingRequest, bert: User, org_b: Organisation
) -> None:
    enquiry_record(actor=actor_of(bert, org_b), details=details())
    assert not TracingMatch.objects.exists()


def test_age_sex_and_place_alone_never_make_a_match() -> None:
    result = score(CHILD, EnquirySide(names=["Amina Bello"], age=12, sex="Feminine", place="NG-KN"))
    assert result.value < THRESHOLD
