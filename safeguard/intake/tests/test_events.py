"""The report timeline: each service writes its exact events; the report page tells them in the
reader's language, with who and when."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safeguard.accounts.models import Organisation, User
from safeguard.intake.choices import Channel, Status, Urgency
from safeguard.intake.models import Report, ReportEvent, ReportEventKind, RoutingRule
from safeguard.intake.services.assessment import report_raise_urgency
from safeguard.intake.services.escalation import escalation_record_outcome, report_escalate
from safeguard.intake.services.follow_up import report_reporter_message
from safeguard.intake.services.routing import report_route, routing_rule_save
from safeguard.intake.services.submission import ReportInput, report_enter
from safeguard.intake.services.triage import (
    report_add_note,
    report_ask_reporter,
    report_assign,
    report_change_status,
    report_merge_duplicate,
)
from safeguard.testing.fixtures import actor_of

K = ReportEventKind


def timeline(report: Report) -> list[tuple[str, User | None, Organisation | None, dict[str, Any]]]:
    return [
        (event.kind, event.actor, event.organisation, event.detail)
        for event in ReportEvent.objects.filter(report=report).select_related("actor", "organisation")
    ]


@pytest.mark.django_db
def test_public_report_is_received_with_one_event_insert(org_a: Organisation) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(
            "/api/v1/public/reports",
            json.dumps({"narrative": "via the API"}),
            content_type="application/json",
        )
    assert response.status_code == 201
    report = Report.objects.get(reference=response.json()["reference"])
    assert timeline(report) == [(K.RECEIVED, None, org_a, {"channel": "app", "routed_to": []})]
    assert ReportEvent.objects.get().at == report.created_at
    inserts = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("INSERT")]
    assert sum('"intake_reportevent"' in sql for sql in inserts) == 1


@pytest.mark.django_db
def test_received_names_where_the_rules_sent_it_without_routed_events(
    make_report: Any, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    routing_rule_save(rule=RoutingRule(name="all"), destinations=[org_b], actor=actor_of(alice, org_a))
    report = make_report(channel=Channel.WEB)
    assert timeline(report) == [(K.RECEIVED, None, org_a, {"channel": "web", "routed_to": [org_b.pk]})]


@pytest.mark.django_db
def test_operator_entered_report_is_received_by_the_operator(bob: User, org_a: Organisation) -> None:
    report = report_enter(
        data=ReportInput(narrative="told by phone"), channel=Channel.PHONE, actor=actor_of(bob, org_a)
    ).report
    assert timeline(report) == [(K.RECEIVED, bob, org_a, {"channel": "phone", "routed_to": []})]


@pytest.mark.django_db
def test_triage_writes_one_event_per_change_in_order(
    make_report: Any,
    bob: User,
    org_a: Organisation,
    org_b: Organisation,
    police: Organisation,
    liaison: User,
) -> None:
    actor = actor_of(bob, org_a)
    report = make_report()
    report_assign(report=report, assignee=bob, actor=actor)
    report_add_note(report=report, body="internal", actor=actor)
    report_ask_reporter(report=report, body="When?", actor=actor)
    answer = report_reporter_message(report=report, body="Yesterday")
    report_route(report=report, organisation=org_b, actor=actor)
    report_change_status(report=report, status=Status.IN_TRIAGE, actor=actor)
    escalation = report_escalate(report=report, organisation=police, summary="now", actor=actor)
    escalation_record_outcome(
        escalation=escalation, outcome="investigation_opened", note="", actor=actor_of(liaison, police)
    )
    note = report.notes.get()
    question = report.messages.get(direction="question")
    assert timeline(report) == [
        (K.RECEIVED, None, org_a, {"channel": "web", "routed_to": []}),
        (K.TRIAGED, bob, org_a, {}),
        (K.ASSIGNED, bob, org_a, {"assignee": bob.pk, "from_status": "new", "to_status": "in_triage"}),
        (K.NOTE_ADDED, bob, org_a, {"note": note.pk}),
        (
            K.REPORTER_ASKED,
            bob,
            org_a,
            {"message": question.pk, "from_status": "in_triage", "to_status": "needs_information"},
        ),
        (
            K.REPORTER_ANSWERED,
            None,
            org_a,
            {"message": answer.pk, "from_status": "needs_information", "to_status": "in_triage"},
        ),
        (
            K.ROUTED,
            bob,
            org_a,
            {"to_organisation": org_b.pk, "rule": None, "from_status": "in_triage", "to_status": "referred"},
        ),
        (K.STATUS_CHANGED, bob, org_a, {"from": "referred", "to": "in_triage", "outcome": ""}),
        (
            K.ESCALATED,
            bob,
            org_a,
            {
                "escalation": escalation.pk,
                "to_organisation": police.pk,
                "from_status": "in_triage",
                "to_status": "escalated",
            },
        ),
        (
            K.ESCALATION_OUTCOME,
            liaison,
            police,
            {"escalation": escalation.pk, "outcome": "investigation_opened"},
        ),
    ]


@pytest.mark.django_db
def test_merging_writes_merged_on_the_duplicate_and_merged_into_on_the_original(
    make_report: Any, bob: User, org_a: Organisation
) -> None:
    original = make_report(identifiers=[("phone", "+44 7700 900123")])
    duplicate = make_report(identifiers=[("plate", "DEMO 9")])
    report_merge_duplicate(duplicate=duplicate, original=original, actor=actor_of(bob, org_a))
    received = (K.RECEIVED, None, org_a, {"channel": "web", "routed_to": []})
    assert timeline(duplicate) == [
        received,
        (K.TRIAGED, bob, org_a, {}),
        (
            K.MERGED,
            bob,
            org_a,
            {"into": original.pk, "identifiers_copied": 1, "from_status": "new", "to_status": "closed"},
        ),
    ]
    assert timeline(original) == [received, (K.MERGED_INTO, bob, org_a, {"from": duplicate.pk})]


@pytest.mark.django_db
def test_raised_urgency_and_the_routes_it_adds_are_automatic_events(
    make_report: Any, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    rule = routing_rule_save(
        rule=RoutingRule(name="high", min_urgency=Urgency.HIGH),
        destinations=[org_b],
        actor=actor_of(alice, org_a),
    )
    report = make_report()
    report_raise_urgency(report=report, level="high", reason="Touches network N-7", detail={"network": 7})
    assert timeline(report)[1:] == [
        (K.URGENCY_RAISED, None, org_a, {"from": 1, "to": 3, "requested": 3}),
        (K.ROUTED, None, org_a, {"to_organisation": org_b.pk, "rule": rule.pk}),
    ]


@pytest.mark.django_db
def test_report_page_tells_the_history_in_the_readers_language(
    make_report: Any, bob: User, org_a: Organisation, org_b: Organisation, client_for: Any
) -> None:
    actor = actor_of(bob, org_a)
    report = make_report()
    report_change_status(report=report, status=Status.IN_TRIAGE, actor=actor)
    report_route(report=report, organisation=org_b, actor=actor)
    duplicate = make_report()
    report_merge_duplicate(duplicate=duplicate, original=report, actor=actor)
    client = client_for(bob)
    spanish = client.get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for sentence in (
        "Denuncia recibida: Formulario web público",
        "Clasificación iniciada",
        "Cambio de estado: Nueva → En clasificación",
        "Compartida con otra organización: Beta Foundation; ahora: Derivada",
        "Bob Operator",
        "Denunciante",
    ):
        assert sentence in spanish
    for code in ("report.received", "report.status_changed", "status_changed"):
        assert code not in spanish
    english = client.get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Status changed: New → In triage" in english
    assert "Shared with another organisation: Beta Foundation; now Referred" in english
    assert f"A duplicate was merged into this report: {duplicate.reference}" in english
    duplicate_page = client.get(f"/reports/{duplicate.pk}/").content.decode()
    assert f"Closed as a duplicate and merged: {report.reference}; now Closed" in duplicate_page


@pytest.mark.django_db
def test_routed_organisation_sees_one_history_naming_the_sender_by_organisation_only(
    make_report: Any, bob: User, org_a: Organisation, org_b: Organisation, operator_b: User, client_for: Any
) -> None:
    report = make_report()
    report_route(report=report, organisation=org_b, actor=actor_of(bob, org_a))
    page = client_for(operator_b).get(f"/reports/{report.pk}/").content.decode()
    history = page.split('class="timeline"')[1].split("</ol>")[0]
    assert "Report received" in history and "Shared with another organisation: Beta Foundation" in history
    assert "Alpha Helpline" in history and "Bob Operator" not in history
