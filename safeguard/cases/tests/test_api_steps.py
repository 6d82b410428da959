"""The rest of the case page's steps in the API (``cases.workflow_apis``).

Every endpoint is tried by every role of org A and by org B's admin, supervisor and caseworker;
a refused call must leave nothing behind (no row, no event, no audit record)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safeguard.cases.models import (
    ASSESSMENT_DOMAINS,
    CaseEventKind,
    ClosureChecklistItem,
    PlanStatus,
    RiskLevel,
    TransferStatus,
)
from safeguard.cases.services.assessment import assessment_record
from safeguard.cases.services.documents import document_add
from safeguard.cases.services.plans import PlanItemInput, care_plan_submit
from safeguard.cases.services.transfers import transfer_request
from safeguard.cases.tests.conftest import consent_for, token_client
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

# A step on Cara's case: she and the supervisors reach it; Carl (no team) and org B do not (404);
# the analyst, the operator and the admins hold no case role (403).
REFUSED = {"carl": 404, "beth": 404, "bert": 404, "ana": 403, "bob": 403, "alice": 403, "charlie": 403}
WRITERS = ("cara", "sue", "sid")
EVERYONE = sorted([*WRITERS, *REFUSED])

RATINGS = {name: 1 for name, _label in ASSESSMENT_DOMAINS}
TEXT_FILE = b"Fictional school report: attends every day.\n"


def answer_for(who: str, allowed: int) -> int:
    return allowed if who in WRITERS else REFUSED[who]


def assess(case, cara, org_a):
    return assessment_record(actor=actor_of(cara, org_a), case=case, ratings=RATINGS, notes={})


def submitted_plan(case, cara, org_a):
    assess(case, cara, org_a)
    return care_plan_submit(
        actor=actor_of(cara, org_a),
        case=case,
        goals="Fictional: back to school.",
        items=[PlanItemInput(need="education", action="Enrol at the local school", due_on=date(2030, 1, 1))],
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_editing_the_childs_details(case_a, cast, who) -> None:
    body = {
        "phone": "+447700900999",
        "guardian_name": "Fictional Aunt",
        "exploitation_types": ["ChildLabour"],
    }
    response = token_client(*cast[who]).patch(f"/api/v1/cases/{case_a.pk}/person", body, format="json")
    assert response.status_code == answer_for(who, 200), response.content
    case_a.refresh_from_db()
    person = case_a.person
    person.refresh_from_db()
    if who in WRITERS:
        # The fields sent changed; the others stayed as registered.
        assert person.contact == {"phone": "+447700900999"}
        assert person.guardian == {"name": "Fictional Aunt"}
        assert (person.first_name, person.aliases, person.citizenships) == ("Testa", ["Tess"], ["NG"])
        assert person.birth_date == "2012-05-01"
        assert case_a.exploitation_types == ["ChildLabour"]
        assert case_a.events.filter(kind=CaseEventKind.UPDATED).count() == 2  # person, then context
    else:
        assert person.contact == {"phone": "+447700900123"}
        assert not case_a.events.filter(kind=CaseEventKind.UPDATED).exists()


def test_a_person_edit_keeps_a_name_and_checks_codes(case_a, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/person"
    nameless = client.patch(path, {"first_name": "", "second_name": "", "aliases": []}, format="json")
    assert nameless.status_code == 400
    assert "first_name" in nameless.json()["error"]["fields"]
    wrong = client.patch(path, {"citizenships": ["XX"]}, format="json")
    assert wrong.status_code == 400
    assert "citizenships" in wrong.json()["error"]["fields"]
    case_a.person.refresh_from_db()
    assert (case_a.person.first_name, case_a.person.citizenships) == ("Testa", ["NG"])


@pytest.mark.parametrize("who", EVERYONE)
def test_recording_a_perpetrator(case_a, cast, who) -> None:
    body = {"name": "Fictional Suspect", "roles": ["Transporter"], "citizenships": ["gb"]}
    response = token_client(*cast[who]).post(f"/api/v1/cases/{case_a.pk}/perpetrators", body, format="json")
    assert response.status_code == answer_for(who, 201), response.content
    assert case_a.perpetrators.count() == (1 if who in WRITERS else 0)
    if who in WRITERS:
        assert response.json()["citizenships"] == ["GB"]


@pytest.mark.parametrize("who", EVERYONE)
def test_recording_the_assessment(case_a, cast, who) -> None:
    body = {"ratings": {**RATINGS, "shelter": 3}, "notes": {"shelter": "Fictional: no safe place."}}
    response = token_client(*cast[who]).post(f"/api/v1/cases/{case_a.pk}/assessments", body, format="json")
    assert response.status_code == answer_for(who, 201), response.content
    case_a.refresh_from_db()
    if who in WRITERS:
        assert response.json()["risk_level"] == RiskLevel.HIGH == case_a.risk_level
        assert response.json()["ratings"]["shelter"] == 3
    else:
        assert case_a.risk_level == RiskLevel.MEDIUM
    assert case_a.assessments.count() == (1 if who in WRITERS else 0)


def test_an_assessment_rates_every_domain_and_only_known_ones(case_a, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/assessments"
    partial = client.post(path, {"ratings": {"medical": 2}}, format="json")
    assert partial.status_code == 400
    assert "shelter" in partial.json()["error"]["fields"]
    unknown = client.post(path, {"ratings": {**RATINGS, "horoscope": 2}}, format="json")
    assert unknown.status_code == 400
    assert "ratings" in unknown.json()["error"]["fields"]
    assert client.post(path, {"ratings": {**RATINGS, "medical": 9}}, format="json").status_code == 400
    assert not case_a.assessments.exists()


PLAN = {
    "goals": "Fictional: a safe home and school.",
    "support_type": "",
    "items": [{"need": "education", "action": "Enrol at school", "due_on": "2030-01-01"}],
}


@pytest.mark.parametrize("who", EVERYONE)
def test_submitting_a_care_plan(case_a, cara, org_a, cast, who) -> None:
    assess(case_a, cara, org_a)
    response = token_client(*cast[who]).post(f"/api/v1/cases/{case_a.pk}/care-plans", PLAN, format="json")
    assert response.status_code == answer_for(who, 201), response.content
    assert case_a.care_plans.count() == (1 if who in WRITERS else 0)
    if who in WRITERS:
        assert response.json()["status"] == PlanStatus.SUBMITTED
        assert response.json()["items"] == PLAN["items"]


def test_a_care_plan_needs_the_assessment_and_an_action(case_a, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/care-plans"
    early = client.post(path, PLAN, format="json")
    assert early.status_code == 400
    assert "assessment" in early.json()["error"]["message"] + str(early.json()["error"].get("fields"))
    assess(case_a, cara, org_a)
    assert client.post(path, {**PLAN, "items": []}, format="json").status_code == 400
    assert not case_a.care_plans.exists()


# The plan's author is Cara; any supervisor of org A decides; Beth supervises elsewhere (404).
DECIDE = {
    "sue": 200,
    "sid": 200,
    "beth": 404,
    **{who: 403 for who in ("cara", "carl", "ana", "bob", "alice", "bert", "charlie")},
}


@pytest.mark.parametrize(("who", "expected"), sorted(DECIDE.items()))
def test_deciding_a_care_plan(case_a, cara, org_a, cast, who, expected) -> None:
    plan = submitted_plan(case_a, cara, org_a)
    response = token_client(*cast[who]).post(
        f"/api/v1/care-plans/{plan.pk}/decision", {"approve": True}, format="json"
    )
    assert response.status_code == expected, response.content
    plan.refresh_from_db()
    assert plan.status == (PlanStatus.APPROVED if expected == 200 else PlanStatus.SUBMITTED)
    assert case_a.events.filter(kind=CaseEventKind.PLAN_APPROVED).count() == (1 if expected == 200 else 0)


def test_a_returned_plan_says_why_and_its_author_cannot_approve_it(case_a, cara, sue, org_a) -> None:
    plan = submitted_plan(case_a, cara, org_a)
    client = token_client(sue, org_a)
    path = f"/api/v1/care-plans/{plan.pk}/decision"
    assert client.post(path, {"approve": False}, format="json").status_code == 400
    returned = client.post(path, {"approve": False, "note": "Add the shelter."}, format="json")
    assert returned.status_code == 200
    assert returned.json()["status"] == PlanStatus.RETURNED
    assert client.post(path, {"approve": True}, format="json").status_code == 400  # already decided


@pytest.mark.parametrize("who", EVERYONE)
def test_offering_a_transfer(case_a, cara, org_a, org_b, cast, who) -> None:
    consent_for(case_a, actor_of(cara, org_a), org_b)
    body = {"to_organisation": org_b.pk, "reason": "Fictional: the family moved."}
    response = token_client(*cast[who]).post(f"/api/v1/cases/{case_a.pk}/transfers", body, format="json")
    assert response.status_code == answer_for(who, 201), response.content
    assert case_a.transfers.count() == (1 if who in WRITERS else 0)
    if who in WRITERS:
        assert response.json()["to_organisation"] == org_b.pk
        assert response.json()["status"] == TransferStatus.PENDING


def test_a_transfer_without_consent_needs_a_supervisors_override(case_a, cara, sue, org_a, org_b) -> None:
    body = {"to_organisation": org_b.pk, "reason": "Fictional.", "override_reason": "Danger at home."}
    assert token_client(cara, org_a).post(
        f"/api/v1/cases/{case_a.pk}/transfers", body, format="json"
    ).status_code in (400, 403)
    assert not case_a.transfers.exists()
    same = {"to_organisation": org_a.pk, "reason": "Fictional."}
    assert (
        token_client(sue, org_a).post(f"/api/v1/cases/{case_a.pk}/transfers", same, format="json").status_code
        == 400
    )
    answer = token_client(sue, org_a).post(f"/api/v1/cases/{case_a.pk}/transfers", body, format="json")
    assert answer.status_code == 201, answer.content


# A transfer to org B: its supervisor Beth answers; nobody of org A may (it is not offered to them).
ANSWER = {
    "beth": 200,
    "sue": 404,
    "sid": 404,
    **{who: 403 for who in ("cara", "carl", "ana", "bob", "alice", "bert", "charlie")},
}


@pytest.mark.parametrize(("who", "expected"), sorted(ANSWER.items()))
def test_listing_and_answering_a_transfer(case_a, cara, org_a, org_b, cast, who, expected) -> None:
    consent_for(case_a, actor_of(cara, org_a), org_b)
    transfer = transfer_request(
        actor=actor_of(cara, org_a), case=case_a, to_organisation=org_b, reason="Moved."
    )
    client = token_client(*cast[who])
    listing = client.get("/api/v1/transfers")
    assert listing.status_code == (200 if expected != 403 else 403)
    if listing.status_code == 200:
        rows = [row["id"] for row in listing.json()["results"]]
        assert rows == ([transfer.pk] if who == "beth" else [])
    response = client.post(f"/api/v1/transfers/{transfer.pk}/answer", {"accept": True}, format="json")
    assert response.status_code == expected, response.content
    transfer.refresh_from_db()
    case_a.refresh_from_db()
    if expected == 200:
        assert transfer.status == TransferStatus.ACCEPTED
        assert case_a.organisation == org_b
    else:
        assert transfer.status == TransferStatus.PENDING
        assert case_a.organisation == org_a


@pytest.mark.parametrize("who", EVERYONE)
def test_attaching_a_document(case_a, cast, who) -> None:
    response = token_client(*cast[who]).post(
        f"/api/v1/cases/{case_a.pk}/documents?filename=school.txt",
        TEXT_FILE,
        content_type="application/octet-stream",
    )
    assert response.status_code == answer_for(who, 201), response.content
    assert case_a.documents.count() == (1 if who in WRITERS else 0)
    if who in WRITERS:
        assert (response.json()["name"], response.json()["content_type"]) == ("school.txt", "text/plain")


def test_a_document_is_checked_from_its_content(case_a, cara, org_a, settings) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/documents"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    image = client.post(f"{path}?filename=photo.pdf", png, content_type="application/octet-stream")
    assert image.status_code == 400
    assert "image" in image.json()["error"]["fields"]["file"][0]
    lying = client.post(f"{path}?filename=report.pdf", TEXT_FILE, content_type="application/octet-stream")
    assert lying.status_code == 400
    assert client.post(path, TEXT_FILE, content_type="application/octet-stream").status_code == 400  # no name
    other_note = client.post(
        f"{path}?filename=a.txt&note=999999", TEXT_FILE, content_type="application/octet-stream"
    )
    assert other_note.status_code == 400
    settings.CASE_DOCUMENT_MAX_BYTES = 1024
    large = client.post(f"{path}?filename=a.txt", b"a" * 2048, content_type="application/octet-stream")
    assert large.status_code == 400
    assert "larger" in large.json()["error"]["fields"]["file"][0]
    assert not case_a.documents.exists()


def test_a_repeated_upload_with_its_key_stores_one_document(case_a, cara, org_a) -> None:
    client = token_client(cara, org_a)
    path = f"/api/v1/cases/{case_a.pk}/documents?filename=school.txt"
    first = client.post(
        path, TEXT_FILE, content_type="application/octet-stream", HTTP_IDEMPOTENCY_KEY="doc-1"
    )
    again = client.post(
        path, TEXT_FILE, content_type="application/octet-stream", HTTP_IDEMPOTENCY_KEY="doc-1"
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert case_a.documents.count() == 1
    other = client.post(
        path, b"Another file.\n", content_type="application/octet-stream", HTTP_IDEMPOTENCY_KEY="doc-1"
    )
    assert other.status_code == 422


@pytest.mark.parametrize("who", EVERYONE)
def test_listing_and_downloading_documents_is_audited(case_a, cara, org_a, cast, who) -> None:
    document = document_add(actor=actor_of(cara, org_a), case=case_a, filename="school.txt", data=TEXT_FILE)
    client = token_client(*cast[who])
    listing = client.get(f"/api/v1/cases/{case_a.pk}/documents")
    assert listing.status_code == answer_for(who, 200)
    downloads = AuditEvent.objects.filter(action="case.document_downloaded")
    response = client.get(f"/api/v1/documents/{document.pk}")
    assert response.status_code == answer_for(who, 200)
    if who in WRITERS:
        assert [row["id"] for row in listing.json()["results"]] == [document.pk]
        assert "content" not in listing.json()["results"][0]
        assert response.content == TEXT_FILE
        assert response["Content-Type"] == "text/plain"
        assert response["Cache-Control"] == "no-store"
        assert downloads.filter(actor=cast[who][0]).count() == 1
    else:
        assert TEXT_FILE not in response.content
        assert not downloads.exists()


CHECKLIST_READERS = {"cara", "carl", "sue", "sid", "beth", "bert"}
CHECKLIST_MANAGERS = {"sue", "sid", "alice", "beth", "charlie"}


@pytest.mark.parametrize("who", EVERYONE)
def test_the_closure_checklist_is_the_organisations_own(org_a, org_b, cast, who) -> None:
    mine = ClosureChecklistItem.objects.create(organisation=org_a, text="Child told of the closure.")
    ClosureChecklistItem.objects.create(organisation=org_a, text="Old item.", active=False)
    client = token_client(*cast[who])
    listing = client.get("/api/v1/closure-checklist")
    assert listing.status_code == (200 if who in CHECKLIST_READERS else 403)
    if listing.status_code == 200:
        expected = [mine.text] if cast[who][1] == org_a else []
        assert [row["text"] for row in listing.json()] == expected

    added = client.post("/api/v1/closure-checklist", {"text": "Safety plan shared."}, format="json")
    assert added.status_code == (201 if who in CHECKLIST_MANAGERS else 403)
    rows = ClosureChecklistItem.objects.filter(text="Safety plan shared.")
    assert list(rows.values_list("organisation", flat=True)) == (
        [cast[who][1].pk] if who in CHECKLIST_MANAGERS else []
    )

    retired = client.post(f"/api/v1/closure-checklist/{mine.pk}/retire")
    own_manager = who in CHECKLIST_MANAGERS and cast[who][1] == org_a
    assert retired.status_code == (200 if own_manager else 404 if who in CHECKLIST_MANAGERS else 403)
    mine.refresh_from_db()
    assert mine.active is not own_manager


def test_a_checklist_item_is_not_added_twice(sue, org_a) -> None:
    client = token_client(sue, org_a)
    assert (
        client.post("/api/v1/closure-checklist", {"text": "Told the child."}, format="json").status_code
        == 201
    )
    again = client.post("/api/v1/closure-checklist", {"text": "told the  child."}, format="json")
    assert again.status_code == 400
    assert "text" in again.json()["error"]["fields"]


def test_a_step_on_a_closed_case_is_refused(case_a, cara, org_a) -> None:
    from safeguard.cases.models import CaseStatus

    case_a.status = CaseStatus.CLOSED
    case_a.closed_at = timezone.now() - timedelta(days=1)
    case_a.save()
    answer = token_client(cara, org_a).post(
        f"/api/v1/cases/{case_a.pk}/assessments", {"ratings": RATINGS}, format="json"
    )
    assert answer.status_code == 400
    assert not case_a.assessments.exists()


def test_a_download_answers_bytes_or_a_json_error_whatever_is_accepted(
    case_a, cara, beth, org_a, org_b
) -> None:
    document = document_add(actor=actor_of(cara, org_a), case=case_a, filename="school.txt", data=TEXT_FILE)
    path = f"/api/v1/documents/{document.pk}"
    found = token_client(cara, org_a).get(path, HTTP_ACCEPT="application/octet-stream")
    assert (found.status_code, found.content) == (200, TEXT_FILE)
    hidden = token_client(beth, org_b).get(path, HTTP_ACCEPT="application/octet-stream")
    assert hidden.status_code == 404
    assert hidden["Content-Type"] == "application/json"
    assert hidden.json()["error"]["code"]
