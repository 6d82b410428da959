"""Duplicate detection: quality on a synthetic set with known duplicates, the registration page,
and a supervisor's merge that keeps both histories."""

from __future__ import annotations

import random
from dataclasses import asdict

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safeguard.cases.matching import Profile, name_keys, phonetic, score
from safeguard.cases.models import CaseEvent, CaseStatus
from safeguard.cases.selectors import case_timeline, find_duplicates
from safeguard.cases.services.merge import case_merge
from safeguard.cases.synthetic import child, namesake, variant
from safeguard.cases.tests.conftest import register
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.85


def profile(synthetic, today):
    year = synthetic.birth_date.year if synthetic.birth_date else today.year - synthetic.estimated_age
    return Profile(
        names=[f"{synthetic.first_name} {synthetic.second_name}", *synthetic.aliases],
        birth_year=year,
        birth_year_estimated=synthetic.birth_date is None,
        gender=synthetic.gender,
        citizenships=synthetic.citizenships,
    )


def details(synthetic):
    values = asdict(synthetic)
    values["aliases"] = list(values["aliases"])
    values["citizenships"] = list(values["citizenships"])
    return values


def test_phonetic_keys_tolerate_spelling() -> None:
    assert phonetic("Mariya") == phonetic("Maria") == "M600"
    assert name_keys(["Zorimo  Vélaku"]) == {phonetic("Zorimo"), phonetic("Velaku")}


def test_score_prefers_same_child_over_namesake() -> None:
    query = Profile(names=["Kamoze Lutaso"], birth_year=2013, gender="Feminine", citizenships=["NG"])
    same = Profile(names=["Kamozze Lutaso"], birth_year=2013, gender="Feminine", citizenships=["NG"])
    namesake_ = Profile(names=["Kamoze Lutaso"], birth_year=2007, gender="Masculine", citizenships=["NG"])
    assert score(query, same).value > 0.9
    assert score(query, namesake_).value < 0.72


def test_duplicate_detection_quality_on_a_synthetic_set(cara, org_a) -> None:
    actor = actor_of(cara, org_a)
    rng = random.Random(4)
    today = timezone.localdate()
    originals = [child(rng, today=today) for _ in range(120)]
    cases = [register(actor, **details(original)) for original in originals]
    true_pairs, predicted_pairs = set(), set()
    for index in range(60):  # 60 queries that are duplicates of a known case
        query = variant(rng, originals[index], today=today)
        true_pairs.add((index, cases[index].pk))
        for candidate in find_duplicates(actor, profile(query, today)):
            predicted_pairs.add((index, candidate.case.pk))
    for index in range(60, 120):  # 60 namesakes: same family name, similar age gap, different child
        query = namesake(rng, originals[index], today=today)
        for candidate in find_duplicates(actor, profile(query, today)):
            predicted_pairs.add((1000 + index, candidate.case.pk))
    true_positives = len(true_pairs & predicted_pairs)
    precision = true_positives / len(predicted_pairs)
    recall = true_positives / len(true_pairs)
    print(
        f"\nduplicate detection: precision {precision:.3f}, recall {recall:.3f} ({len(true_pairs)} true pairs)"
    )
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


def test_registration_page_shows_likely_duplicates_before_saving(case_a, cara, client_for) -> None:
    client = client_for(cara)
    form = {
        "first_name": "Testa", "second_name": "Fictionalya", "birth_date": "2012-05-01", "gender": "Feminine",
        "trafficking_status": "PossibleVictimOfTrafficking", "risk_level": "medium",
    }  # fmt: skip
    response = client.post("/cases/new/", form)
    assert response.status_code == 400
    body = response.content.decode()
    assert case_a.reference in body and "This child may already have a case" in body
    assert "Fictionalya" in body  # what was typed is kept
    assert case_a.organisation.cases.count() == 1

    response = client.post("/cases/new/", {**form, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert case_a.organisation.cases.count() == 2


def test_duplicates_outside_the_users_reach_are_not_shown(case_a, carl, org_a) -> None:
    query = Profile(names=["Testa Fictionalia"], birth_year=2012, gender="Feminine")
    assert find_duplicates(actor_of(carl, org_a), query) == []  # Carl is in no team and owns nothing


def test_a_supervisor_merges_keeping_both_histories(case_a, cara, sue, org_a, client_for) -> None:
    duplicate = register(actor_of(cara, org_a), first_name="Tessa")
    with pytest.raises(PermissionDenied, match=r"^case\.merge$"):
        case_merge(actor=actor_of(cara, org_a), primary=case_a, duplicate=duplicate, reason="Same child")
    response = client_for(sue).post(
        f"/cases/{case_a.pk}/merge/", {"duplicate": duplicate.reference, "reason": "Same child"}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (CaseStatus.MERGED, case_a)
    assert CaseEvent.objects.filter(case=duplicate, kind="registered").exists()  # history kept
    timeline = list(case_timeline(case_a).values_list("case_id", "kind"))
    assert (duplicate.pk, "registered") in timeline and (case_a.pk, "merged") in timeline
    assert AuditEvent.objects.filter(action="case.merged", actor=sue).count() == 2
