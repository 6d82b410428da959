"""Who may see and change which report: role × organisation × action, with side effects checked."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.core.models import AuditEvent
from safeguard.intake.choices import Status
from safeguard.intake.models import ReportNote, ReportRoute
from safeguard.intake.services.routing import report_route
from safeguard.testing.fixtures import actor_of, make_member


@pytest.mark.django_db
def test_operator_of_b_cannot_see_as_unrouted_report(
    make_report: Any, operator_b: Any, client_for: Any
) -> None:
    report = make_report(narrative="Only for Alpha")
    client = client_for(operator_b)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert report.reference not in client.get("/reports/?status=all").content.decode()
    assert not AuditEvent.objects.filter(action="report.viewed", object_id=str(report.pk)).exists()


@pytest.mark.django_db
def test_routing_makes_the_report_visible_to_b_read_only(
    make_report: Any, bob: Any, org_a: Any, org_b: Any, operator_b: Any, client_for: Any
) -> None:
    report = make_report(narrative="Shared with Beta")
    report_route(report=report, organisation=org_b, actor=actor_of(bob, org_a))
    client = client_for(operator_b)
    page = client.get(f"/reports/{report.pk}/")
    assert page.status_code == 200 and "Shared with Beta" in page.content.decode()
    assert report.reference in client.get("/reports/?status=all").content.decode()
    # Changing it remains the receiving organisation's job.
    response = client.post(f"/reports/{report.pk}/notes/", {"body": "Beta was here"})
    assert response.status_code == 404
    assert ReportNote.objects.count() == 0
    response = client.post(f"/reports/{report.pk}/status/", {"status": "closed", "outcome": "not_actionable"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == Status.REFERRED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "view", "triage"),
    [
        ("operator", 200, True),
        ("supervisor", 200, True),
        ("analyst", 200, False),
        ("caseworker", 403, False),
        ("liaison", 403, False),
        ("programme_manager", 403, False),
        ("org_admin", 403, False),
    ],
)
def test_role_matrix_in_the_receiving_organisation(
    make_report: Any, org_a: Any, client_for: Any, role: str, view: int, triage: bool
) -> None:
    report = make_report(contact={"name": "Ria Reporter", "phone": "+44 7700 900555"}, contact_consent=True)
    client = client_for(make_member(org_a, role))
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == view
    response = client.post(f"/reports/{report.pk}/notes/", {"body": "a note"})
    assert (response.status_code == 302) is triage
    assert ReportNote.objects.count() == (1 if triage else 0)


@pytest.mark.django_db
def test_analyst_sees_the_report_but_never_the_reporters_contact(
    make_report: Any, analyst_a: Any, bob: Any, client_for: Any
) -> None:
    report = make_report(contact={"name": "Ria Reporter", "phone": "+44 7700 900555"}, contact_consent=True)
    analyst_page = client_for(analyst_a).get(f"/reports/{report.pk}/").content.decode()
    assert "Fictional test narrative" in analyst_page
    assert "Ria Reporter" not in analyst_page and "900555" not in analyst_page
    operator_page = client_for(bob).get(f"/reports/{report.pk}/").content.decode()
    assert "Ria Reporter" in operator_page
    shown = AuditEvent.objects.filter(action="report.viewed", object_id=str(report.pk)).order_by("id")
    assert [event.detail["contact_shown"] for event in shown] == [False, True]


@pytest.mark.django_db
def test_org_admin_of_b_cannot_manage_as_rules_or_route(
    make_report: Any, charlie: Any, client_for: Any, org_b: Any
) -> None:
    report = make_report()
    client = client_for(charlie)
    assert client.post(f"/reports/{report.pk}/route/", {"organisation": org_b.pk}).status_code == 403
    assert ReportRoute.objects.count() == 0
    assert client.get("/reports/routing/").status_code == 200  # their own rules page
    assert client.get("/escalations/").status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(make_report: Any, client: Any) -> None:
    report = make_report()
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
