"""``POST /api/v1/cases/{id}/merge``: a supervisor merges a duplicate case into this one.

Through ``services.merge.case_merge``, as on the case page: both cases keep their records, the
duplicate is marked merged and points to the primary, both timelines show it and it is audited.
A refused merge leaves both cases as they were."""

from __future__ import annotations

import pytest

from safeguard.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
from safeguard.cases.tests.conftest import register, token_client
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

REASON = "Same child, registered again at the shelter (fictional)."

# Only a supervisor merges: Sue in org A; Beth supervises org B and cannot reach org A's cases.
ANSWERS = {
    "sue": 200,
    "beth": 404,
    "cara": 403,
    "carl": 403,
    "bert": 403,
    "ana": 403,
    "bob": 403,
    "alice": 403,
    "charlie": 403,
}


@pytest.fixture
def duplicate(cara, org_a) -> Case:
    return register(actor_of(cara, org_a), first_name="Tessa")


def merged(case: Case) -> tuple[str, int | None, int, int]:
    case.refresh_from_db()
    return (
        case.status,
        case.merged_into_id,
        CaseEvent.objects.filter(kind=CaseEventKind.MERGED).count(),
        AuditEvent.objects.filter(action="case.merged").count(),
    )


@pytest.mark.parametrize(("who", "expected"), sorted(ANSWERS.items()))
def test_merging_for_every_role_and_the_other_organisation(case_a, duplicate, cast, who, expected) -> None:
    response = token_client(*cast[who]).post(
        f"/api/v1/cases/{case_a.pk}/merge",
        {"duplicate": duplicate.reference, "reason": REASON},
        format="json",
    )

    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["id"] == case_a.pk
        assert merged(duplicate) == (CaseStatus.MERGED, case_a.pk, 2, 2)
        assert set(AuditEvent.objects.filter(action="case.merged").values_list("actor", flat=True)) == {
            cast[who][0].pk
        }
    else:
        assert merged(duplicate) == (CaseStatus.OPEN, None, 0, 0)
        assert "Testa" not in response.content.decode()


def test_a_case_outside_the_organisation_or_unknown_is_not_merged(case_a, sue, bert, org_a, org_b) -> None:
    theirs = register(actor_of(bert, org_b), first_name="Otra")
    client = token_client(sue, org_a)
    path = f"/api/v1/cases/{case_a.pk}/merge"

    other_org = client.post(path, {"duplicate": theirs.reference, "reason": REASON}, format="json")
    unknown = client.post(path, {"duplicate": "C-2026-00000000", "reason": REASON}, format="json")
    itself = client.post(path, {"duplicate": case_a.reference, "reason": REASON}, format="json")
    no_reason = client.post(path, {"duplicate": theirs.reference}, format="json")

    message = {"duplicate": ["No case with this reference in your organisation."]}
    assert (other_org.status_code, other_org.json()["error"]["fields"]) == (400, message)
    assert (unknown.status_code, unknown.json()["error"]["fields"]) == (400, message)
    assert (itself.status_code, itself.json()["error"]["fields"]) == (
        400,
        {"_": ["Choose two different cases."]},
    )
    assert (no_reason.status_code, list(no_reason.json()["error"]["fields"])) == (400, ["reason"])
    assert merged(theirs) == (CaseStatus.OPEN, None, 0, 0)
    assert merged(case_a)[:2] == (CaseStatus.OPEN, None)


def test_a_repeated_idempotency_key_merges_once(case_a, duplicate, sue, org_a) -> None:
    client = token_client(sue, org_a)
    path = f"/api/v1/cases/{case_a.pk}/merge"
    body = {"duplicate": duplicate.reference, "reason": REASON}

    first = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="merge-1")
    audits = AuditEvent.objects.count()
    again = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="merge-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert merged(duplicate) == (CaseStatus.MERGED, case_a.pk, 2, 2)
    assert AuditEvent.objects.count() == audits
