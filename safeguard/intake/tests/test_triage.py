"""Triage: the queue's order and overdue marks, workflow, assignment, notes, questions, merging."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.core.models import AuditEvent
from safeguard.intake.choices import Outcome, Status, Urgency
from safeguard.intake.models import Report, ReportIdentifier
from safeguard.intake.services.triage import report_change_status
from safeguard.testing.fixtures import actor_of


@pytest.mark.django_db
def test_queue_orders_by_urgency_then_age_and_marks_overdue(
    make_report: Any, bob: Any, client_for: Any
) -> None:
    now = timezone.now()
    old_low = make_report(narrative="old low", created_at=now - timedelta(days=10))
    new_critical = make_report(narrative="critical", child_in_danger="yes")
    old_medium = make_report(narrative="old medium", children_count=2, created_at=now - timedelta(hours=5))
    new_medium = make_report(narrative="new medium", children_count=1)
    client = client_for(bob)
    page = client.get("/reports/").content.decode()
    order = [page.index(report.reference) for report in (new_critical, old_medium, new_medium, old_low)]
    assert order == sorted(order)
    assert old_low.is_overdue and not new_critical.is_overdue and not old_medium.is_overdue
    assert page.count('class="overdue"') == 1
    overdue_page = client.get("/reports/?status=overdue").content.decode()
    assert old_low.reference in overdue_page and new_critical.reference not in overdue_page


@pytest.mark.django_db
def test_report_page_shows_why_it_has_its_urgency(make_report: Any, bob: Any, client_for: Any) -> None:
    report = make_report(children=[{"age": 8}], indicators=["debt_bondage"], occurred="now")
    assert report.urgency == Urgency.CRITICAL
    page = client_for(bob).get(f"/reports/{report.pk}/").content.decode()
    for text in (
        "Children are involved",
        "A child younger than 13 is involved (age 8)",
        "Signs of violence, abuse, confinement or debt bondage (1 sign)",
        "Happening now or today: one level higher",
    ):
        assert text in page


@pytest.mark.django_db
def test_workflow_allows_only_listed_moves_and_closing_needs_an_outcome(
    make_report: Any, bob: Any, org_a: Any
) -> None:
    actor = actor_of(bob, org_a)
    report = make_report()
    with pytest.raises(ValidationError, match=re.escape("A report that is New cannot become Escalated.")):
        report_change_status(report=report, status=Status.ESCALATED, actor=actor)
    with pytest.raises(ValidationError, match=re.escape("Choose an outcome to close the report.")):
        report_change_status(report=report, status=Status.CLOSED, outcome="", actor=actor)
    report_change_status(report=report, status=Status.IN_TRIAGE, actor=actor)
    assert report.triaged_at is not None
    report_change_status(report=report, status=Status.CLOSED, outcome=Outcome.OUT_OF_SCOPE, actor=actor)
    report.refresh_from_db()
    assert (report.status, report.outcome, report.closed_at is not None) == (
        Status.CLOSED,
        Outcome.OUT_OF_SCOPE,
        True,
    )
    events = AuditEvent.objects.filter(action="report.status_changed", object_id=str(report.pk)).order_by(
        "id"
    )
    assert [(event.detail["from"], event.detail["to"]) for event in events] == [
        ("new", "in_triage"),
        ("in_triage", "closed"),
    ]


@pytest.mark.django_db
def test_status_form_errors_are_shown_and_nothing_changes(
    make_report: Any, bob: Any, client_for: Any
) -> None:
    report = make_report()
    client = client_for(bob)
    response = client.post(f"/reports/{report.pk}/status/", {"status": "closed"}, follow=True)
    assert "Choose an outcome to close the report." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.NEW


@pytest.mark.django_db
def test_assign_note_and_question(make_report: Any, bob: Any, client_for: Any) -> None:
    report = make_report()
    client = client_for(bob)
    back = f"/reports/{report.pk}/"
    for action, data in (
        ("assign", {"assignee": str(bob.pk)}),
        ("notes", {"body": "Internal only"}),
        ("questions", {"body": "What colour was the van?"}),
    ):
        response = client.post(f"/reports/{report.pk}/{action}/", data)
        assert (response.status_code, response["Location"]) == (302, back)
    report.refresh_from_db()
    assert (report.assigned_to, report.status) == (bob, Status.NEEDS_INFORMATION)
    assert list(report.notes.values_list("body", flat=True)) == ["Internal only"]
    assert list(report.messages.values_list("direction", "body")) == [
        ("question", "What colour was the van?")
    ]
    actions = AuditEvent.objects.filter(object_type="intake.report", object_id=str(report.pk)).order_by("id")
    assert list(actions.values_list("action", flat=True)) == [
        "report.received",
        "report.assigned",
        "report.note_added",
        "report.question_asked",
    ]


@pytest.mark.django_db
def test_merge_duplicate_closes_it_and_carries_identifiers(
    make_report: Any, bob: Any, client_for: Any
) -> None:
    original = make_report(identifiers=[("phone", "+44 7700 900123")])
    duplicate = make_report(
        identifiers=[("phone", "+447700900123"), ("plate", "DEMO 9")],
        indicators=["isolation"],
        child_in_danger="yes",
    )
    response = client_for(bob).post(
        f"/reports/{duplicate.pk}/duplicate/", {"original": original.reference.lower()}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert (duplicate.status, duplicate.outcome, duplicate.duplicate_of) == (
        Status.CLOSED,
        Outcome.DUPLICATE,
        original,
    )
    assert sorted(ReportIdentifier.objects.filter(report=original).values_list("kind", flat=True)) == [
        "phone",
        "plate",
    ]
    assert original.indicators == ["isolation"]
    assert original.urgency == Urgency.CRITICAL
    # The duplicate's reporter follows the original's progress.
    assert duplicate.public_status == "received"


@pytest.mark.django_db
def test_operator_intake_form_records_channel_and_operator(bob: Any, org_a: Any, client_for: Any) -> None:
    client = client_for(bob)
    data = {
        "channel": "phone",
        "child_in_danger": "no",
        "narrative": "Caller describes a fictional situation.",
        "contact_phone": "garbled 12",
        "contact_consent": "on",
    }
    response = client.post("/reports/new/", data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.channel, report.organisation, report.entered_by) == ("phone", org_a, bob)
    assert report.contact == {"phone": "garbled 12", "phone_parsed": False}
    follow = client.get(response["Location"]).content.decode()
    assert "read them this receipt code" in follow


@pytest.mark.django_db
def test_operator_intake_form_errors_keep_input(bob: Any, client_for: Any) -> None:
    response = client_for(bob).post(
        "/reports/new/", {"channel": "fax", "narrative": "kept text", "child_in_danger": "no"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice. fax is not one of the available choices." in page
    assert "kept text</textarea>" in page


@pytest.mark.django_db
def test_staff_see_the_reporters_language_and_are_asked_to_reply_in_it(
    make_report: Any, client_for: Any, bob: Any
) -> None:
    report = make_report()
    report.language = "ar"
    report.save(update_fields=["language"])
    client = client_for(bob)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "written in Arabic (العربيّة)" in page
    assert "The reporter wrote in Arabic (العربيّة): ask in that language" in page
    assert 'lang="ar"' in page
    spanish = client.get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.search(r"escrita en [ÁáAa]rabe \(العربيّة\)", spanish)
