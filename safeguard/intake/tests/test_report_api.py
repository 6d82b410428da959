"""``/api/v1/reports`` and ``/api/v1/escalations``: triage for integrators over the page's rules."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from safeguard.accounts.access import PERMISSIONS
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.accounts.services import api_token_create
from safeguard.core.models import AuditEvent
from safeguard.intake.choices import Status
from safeguard.intake.models import Escalation, Report, ReportEvent, ReportEventKind, ReportNote
from safeguard.intake.services.escalation import report_escalate
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def api(user: User, organisation: Organisation) -> APIClient:
    client = APIClient()
    key = api_token_create(actor=actor_of(user, organisation), name="test")[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_list_is_the_queue_with_filters_and_cursor_pages(bob, org_a, org_b, make_report) -> None:
    reports = [make_report(country="ES") for _ in range(5)]
    make_report(country="FR")
    make_report(organisation=org_b, country="ES")  # another organisation's: never listed
    client = api(bob, org_a)

    first = client.get("/api/v1/reports", {"country": "ES", "page_size": "2", "sort": "created_at"}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert seen == [report.pk for report in reports]
    assert third["next"] is None
    assert "narrative" not in first["results"][0]


def test_a_bad_cursor_or_filter_is_a_400_in_the_error_format(bob, org_a) -> None:
    client = api(bob, org_a)
    assert client.get("/api/v1/reports", {"cursor": "not-a-cursor"}).json()["error"]["fields"] == {
        "cursor": ["Not a cursor this API gave."]
    }
    assert client.get("/api/v1/reports", {"status": "lost"}).status_code == 400
    assert client.get("/api/v1/reports", {"page_size": "500"}).status_code == 400


def test_the_detail_shows_contact_only_to_those_the_page_shows_it_to(
    bob, analyst_a, org_a, make_report
) -> None:
    report = make_report(contact={"phone": "+34 600 000 000"}, contact_consent=True)

    as_operator = api(bob, org_a).get(f"/api/v1/reports/{report.pk}").json()
    as_analyst = api(analyst_a, org_a).get(f"/api/v1/reports/{report.pk}").json()

    assert as_operator["contact"] == {"phone": "+34 600 000 000"}
    assert as_operator["narrative"] == report.narrative
    assert as_analyst["contact"] is None
    viewed = AuditEvent.objects.filter(action="report.viewed", object_id=str(report.pk))
    assert viewed.count() == 2


def test_triage_through_the_api_uses_the_services(
    bob, supervisor_a, org_a, org_b, police, make_report
) -> None:
    report = make_report()
    original = make_report()
    client = api(bob, org_a)

    assigned = client.post(
        f"/api/v1/reports/{report.pk}/assign", {"assignee": supervisor_a.pk}, format="json"
    )
    note = client.post(
        f"/api/v1/reports/{report.pk}/notes", {"body": "Called back, no answer."}, format="json"
    )
    question = client.post(f"/api/v1/reports/{report.pk}/questions", {"body": "Which street?"}, format="json")
    routed = client.post(f"/api/v1/reports/{report.pk}/route", {"organisation": org_b.pk}, format="json")
    escalated = client.post(
        f"/api/v1/reports/{report.pk}/escalate",
        {"organisation": police.pk, "summary": "Urgent."},
        format="json",
    )
    merged = client.post(
        f"/api/v1/reports/{original.pk}/merge", {"original": report.reference}, format="json"
    )

    assert assigned.status_code == 200 and assigned.json()["assigned_to"] == supervisor_a.pk
    assert (
        note.status_code == 201
        and ReportNote.objects.get(pk=note.json()["id"]).body == "Called back, no answer."
    )
    assert question.status_code == 201 and question.json()["direction"] == "question"
    assert routed.status_code == 201 and routed.json()["organisation_id"] == org_b.pk
    assert escalated.status_code == 201
    assert Escalation.objects.get(pk=escalated.json()["id"]).organisation == police
    assert merged.status_code == 200 and merged.json()["status"] == Status.CLOSED
    kinds = set(ReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert {ReportEventKind.ASSIGNED, ReportEventKind.NOTE_ADDED, ReportEventKind.ROUTED} <= kinds
    assert AuditEvent.objects.filter(action="report.escalated", actor=bob).exists()


def test_status_with_an_outcome_and_the_services_validation(bob, org_a, make_report) -> None:
    report = make_report()
    client = api(bob, org_a)

    missing = client.post(f"/api/v1/reports/{report.pk}/status", {"status": "closed"}, format="json")
    closed = client.post(
        f"/api/v1/reports/{report.pk}/status",
        {"status": "closed", "outcome": "not_actionable"},
        format="json",
    )

    assert missing.status_code == 400
    assert list(missing.json()["error"]["fields"]) == ["outcome"]
    assert closed.status_code == 200, closed.json()
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("closed", "not_actionable")


def test_operator_intake_records_a_report_for_the_callers_organisation(bob, org_a) -> None:
    response = api(bob, org_a).post(
        "/api/v1/reports",
        {
            "narrative": "Told by phone: a fictional girl is kept from school.",
            "country": "ES",
            "channel": "phone",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    report = Report.objects.get(pk=response.json()["id"])
    assert (report.organisation, report.channel) == (org_a, "phone")
    assert response.json()["receipt"]


def test_escalations_for_the_liaison_and_the_outcome(bob, org_a, police, liaison, make_report) -> None:
    report = make_report()
    escalation = report_escalate(
        report=report, organisation=police, summary="Urgent.", actor=actor_of(bob, org_a)
    )
    client = api(liaison, police)

    listed = client.get("/api/v1/escalations").json()
    detail = client.get(f"/api/v1/escalations/{escalation.pk}").json()
    outcome = client.post(
        f"/api/v1/escalations/{escalation.pk}/outcome", {"outcome": "investigation_opened"}, format="json"
    )

    assert [row["id"] for row in listed["results"]] == [escalation.pk]
    assert detail["package"]["reference"] == report.reference
    assert outcome.status_code == 200 and outcome.json()["outcome"] == "investigation_opened"
    assert api(bob, org_a).get("/api/v1/escalations").status_code == 403


# The permission matrix of these endpoints: (method, path, body, the permission it needs).
ENDPOINTS = [
    ("get", "/api/v1/reports", None, "report.view"),
    ("get", "/api/v1/reports/{report}", None, "report.view"),
    ("get", "/api/v1/reports/export.csv", None, "report.view"),
    ("post", "/api/v1/reports", {"narrative": "Fictional.", "channel": "phone"}, "report.intake"),
    ("post", "/api/v1/reports/{report}/assign", {"assignee": None}, "report.triage"),
    ("post", "/api/v1/reports/{report}/status", {"status": "in_triage"}, "report.triage"),
    ("post", "/api/v1/reports/{report}/notes", {"body": "A note."}, "report.triage"),
    ("post", "/api/v1/reports/{report}/questions", {"body": "A question?"}, "report.triage"),
    ("post", "/api/v1/reports/{report}/route", {"organisation": "{other}"}, "report.triage"),
    (
        "post",
        "/api/v1/reports/{report}/escalate",
        {"organisation": "{police}", "summary": "S."},
        "report.escalate",
    ),
    ("post", "/api/v1/reports/{report}/merge", {"original": "{original}"}, "report.triage"),
    ("get", "/api/v1/escalations", None, "escalation.receive"),
    ("get", "/api/v1/escalations/{escalation}", None, "escalation.receive"),
    (
        "post",
        "/api/v1/escalations/{escalation}/outcome",
        {"outcome": "no_further_action"},
        "escalation.receive",
    ),
]
ROLES = list(Role)


@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
@pytest.mark.parametrize(
    ("method", "path", "body", "permission"), ENDPOINTS, ids=[f"{e[0]} {e[1]}" for e in ENDPOINTS]
)
def test_each_role_is_allowed_exactly_its_actions_and_another_organisation_none(
    role, method, path, body, permission, org_a, org_b, police, bob, make_report
) -> None:
    report, original = make_report(), make_report()
    escalation = report_escalate(
        report=make_report(), organisation=police, summary="S.", actor=actor_of(bob, org_a)
    )
    # The caller's own organisation: A for hotline roles, the police unit for escalation ones.
    own = police if permission == "escalation.receive" else org_a
    values = {
        "{report}": str(report.pk),
        "{escalation}": str(escalation.pk),
        "{other}": org_b.pk,
        "{police}": police.pk,
        "{original}": original.reference,
    }

    def fill(text: str) -> str:
        for name, value in values.items():
            text = text.replace(name, str(value))
        return text

    data = {
        key: values.get(value, value) if isinstance(value, str) else value
        for key, value in (body or {}).items()
    }
    url = fill(path)

    user = make_member(own, role, email=f"{role}@own.example")
    answer = getattr(api(user, own), method)(url, data, format="json")
    if role in PERMISSIONS[permission]:
        assert answer.status_code in {200, 201}, answer.content
    else:
        assert answer.status_code == 403, answer.content

    stranger_org = org_b if own == org_a else org_a
    stranger = make_member(stranger_org, role, email=f"{role}@other.example")
    answer = getattr(api(stranger, stranger_org), method)(url, data, format="json")
    if "{" in path and role in PERMISSIONS[permission]:
        assert answer.status_code == 404, answer.json()  # another organisation's record: not found
    elif role not in PERMISSIONS[permission]:
        assert answer.status_code == 403
    elif path.endswith(".csv"):
        assert len(answer.content.decode().splitlines()) == 1  # the header only: none of A's
    elif method == "get":
        assert answer.json()["results"] == []  # a list of the stranger's own: none of A's


def test_the_csv_export_has_the_lists_rows_filters_and_order(bob, org_a, org_b, make_report) -> None:
    import csv
    import io

    spanish = [make_report(country="ES") for _ in range(3)]
    make_report(country="FR")
    make_report(organisation=org_b, country="ES")
    client = api(bob, org_a)

    response = client.get("/api/v1/reports/export.csv", {"country": "ES", "sort": "-created_at"})
    listed = client.get("/api/v1/reports", {"country": "ES", "sort": "-created_at"}).json()["results"]

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(row["id"]) for row in rows] == [report.pk for report in reversed(spanish)]
    assert [int(row["id"]) for row in rows] == [row["id"] for row in listed]
    assert "narrative" not in rows[0]
    assert AuditEvent.objects.filter(action="report.list_exported", actor=bob).exists()
    assert client.get("/api/v1/reports/export.csv", {"status": "lost"}).status_code == 400
