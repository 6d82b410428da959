"""Routing rules by country, region, kind and urgency; visibility, audit and notifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from safeguard.core.models import AuditEvent
from safeguard.intake.access import reports_visible_to
from safeguard.intake.choices import Urgency
from safeguard.intake.models import Notification, ReportRoute, RoutingRule
from safeguard.intake.services.assessment import report_raise_urgency
from safeguard.intake.services.routing import routing_rule_save
from safeguard.testing.fixtures import OrganisationFactory, actor_of


def rule(alice: Any, org_a: Any, destinations: list[Any], **criteria: Any) -> RoutingRule:
    return routing_rule_save(
        rule=RoutingRule(name="test rule", **criteria),
        destinations=destinations,
        actor=actor_of(alice, org_a),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("criteria", "report_fields", "routed"),
    [
        ({"country": "ES"}, {"country": "ES"}, True),
        ({"country": "ES"}, {"country": "FR"}, False),
        ({"country": "ES", "subdivision": "ES-MD"}, {"country": "ES", "subdivision": "ES-B"}, False),
        ({"country": "ES", "subdivision": "ES-MD"}, {"country": "ES", "subdivision": "ES-MD"}, True),
        ({"exploitation_type": "ChildLabour"}, {"exploitation_types": ["ChildLabour", "Other"]}, True),
        ({"exploitation_type": "ChildLabour"}, {"exploitation_types": ["ForcedLabour"]}, False),
        ({"min_urgency": Urgency.HIGH}, {"children_count": 1}, False),
        ({"min_urgency": Urgency.HIGH}, {"children": [{"age": 7}]}, True),
        ({"country": "ES", "is_active": False}, {"country": "ES"}, False),
    ],
)
def test_rules_match_on_every_criterion(
    make_report: Any,
    alice: Any,
    org_a: Any,
    org_b: Any,
    operator_b: Any,
    criteria: dict[str, Any],
    report_fields: dict[str, Any],
    routed: bool,
) -> None:
    rule(alice, org_a, [org_b], **criteria)
    report = make_report(**report_fields)
    assert ReportRoute.objects.filter(report=report, organisation=org_b).exists() is routed
    assert (report in reports_visible_to(actor_of(operator_b, org_b))) is routed
    assert AuditEvent.objects.filter(action="report.routed", object_id=str(report.pk)).count() == (
        1 if routed else 0
    )


@pytest.mark.django_db
def test_routed_orgs_are_notified_and_critical_reports_emailed(
    make_report: Any,
    alice: Any,
    org_a: Any,
    org_b: Any,
    operator_b: Any,
    bob: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    org_a.contact_email = "desk@alpha.example"
    org_a.save(update_fields=["contact_email"])
    org_b.contact_email = "intake@beta.example"
    org_b.save(update_fields=["contact_email"])
    rule(alice, org_a, [org_b], country="ES")
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(country="ES", child_in_danger="yes")
    assert sorted(Notification.objects.values_list("recipient__email", "kind")) == [
        ("bob@alpha.example", "critical"),
        ("otto@beta.example", "critical"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == ["desk@alpha.example", "intake@beta.example"]
    assert all(report.reference in message.subject for message in mail.outbox)
    assert all("Fictional test narrative" not in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_non_critical_routing_notifies_in_app_only(
    make_report: Any,
    alice: Any,
    org_a: Any,
    org_b: Any,
    operator_b: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    org_b.contact_email = "intake@beta.example"
    org_b.save(update_fields=["contact_email"])
    rule(alice, org_a, [org_b])
    with django_capture_on_commit_callbacks(execute=True):
        make_report()
    assert list(Notification.objects.values_list("recipient__email", "kind")) == [
        ("otto@beta.example", "routed")
    ]
    assert mail.outbox == []


@pytest.mark.django_db
def test_routing_rules_page_creates_rules_for_own_organisation(
    alice: Any, org_a: Any, org_b: Any, client_for: Any
) -> None:
    client = client_for(alice)
    response = client.post(
        "/reports/routing/",
        {
            "name": "Madrid",
            "country": "ES",
            "subdivision": "es-md",
            "exploitation_type": "",
            "min_urgency": "1",
            "is_active": "on",
            "destinations": [str(org_b.pk)],
        },
    )
    assert response.status_code == 302
    saved = RoutingRule.objects.get()
    assert (saved.organisation, saved.subdivision, list(saved.destinations.all())) == (
        org_a,
        "ES-MD",
        [org_b],
    )
    response = client.post(
        "/reports/routing/",
        {
            "name": "bad",
            "country": "ES",
            "subdivision": "FR-IDF",
            "min_urgency": "1",
            "destinations": [str(org_b.pk)],
        },
    )
    assert response.status_code == 400
    assert "FR-IDF is not a region of the chosen country" in response.content.decode()
    assert RoutingRule.objects.count() == 1


@pytest.mark.django_db
def test_other_organisation_cannot_delete_a_rule(
    alice: Any, org_a: Any, org_b: Any, charlie: Any, client_for: Any
) -> None:
    saved = rule(alice, org_a, [org_b])
    assert client_for(charlie).post(f"/reports/routing/{saved.pk}/delete/").status_code == 404
    assert RoutingRule.objects.filter(pk=saved.pk).exists()


@pytest.mark.django_db
def test_manual_route_by_operator(make_report: Any, bob: Any, org_b: Any, client_for: Any) -> None:
    report = make_report()
    response = client_for(bob).post(f"/reports/{report.pk}/route/", {"organisation": org_b.pk})
    assert response.status_code == 302
    route = ReportRoute.objects.get(report=report)
    assert (route.organisation, route.routed_by, route.rule) == (org_b, bob, None)


@pytest.mark.django_db
def test_raise_urgency_records_reason_audits_and_reroutes(
    make_report: Any, alice: Any, org_a: Any, bob: Any, client_for: Any
) -> None:
    shelter = OrganisationFactory.create(name="Delta Shelter", slug="delta")
    rule(alice, org_a, [shelter], min_urgency=Urgency.HIGH)
    report = make_report()
    assert report.urgency == Urgency.LOW
    report_raise_urgency(
        report=report, level="high", reason="Touches known network N-7", detail={"network": 7}
    )
    report.refresh_from_db()
    assert (report.urgency, report.assessed_urgency) == (Urgency.HIGH, Urgency.LOW)
    assert ReportRoute.objects.filter(report=report, organisation=shelter).exists()
    event = AuditEvent.objects.get(action="report.urgency_raised")
    assert event.detail == {"from": 1, "to": 3, "requested": 3, "detail_keys": ["network"]}
    page = client_for(bob).get(f"/reports/{report.pk}/").content.decode()
    assert "Touches known network N-7" in page and "No specific signs of urgency" in page
    report_raise_urgency(report=report, level=Urgency.MEDIUM, reason="weaker signal", detail={})
    report.refresh_from_db()
    assert report.urgency == Urgency.HIGH  # never lowered


@pytest.mark.django_db
def test_report_received_signal_after_commit(org_a: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.test import Client

    from safeguard.intake.signals import report_received

    received: list[int] = []

    def receiver(sender: Any, report_id: int, **kwargs: Any) -> None:
        received.append(report_id)

    report_received.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = Client().post(
                "/api/v1/public/reports", {"narrative": "signal"}, content_type="application/json"
            )
        assert received == []  # nothing before commit
        for callback in callbacks:
            callback()
    finally:
        report_received.disconnect(receiver)
    from safeguard.intake.models import Report

    assert received == [Report.objects.get(reference=response.json()["reference"]).pk]


def test_a_new_hotline_receives_public_reports_at_once_in_this_process(db: None) -> None:
    from safeguard.accounts.roles import OrganisationKind
    from safeguard.intake.services.submission import receiving_organisation
    from safeguard.testing.fixtures import OrganisationFactory

    first = OrganisationFactory.create(
        name="Old Helpline", slug="old-helpline", kind=OrganisationKind.HOTLINE
    )
    assert receiving_organisation("KE") == first

    kenyan = OrganisationFactory.create(
        name="Kenyan Helpline", slug="ke-helpline", kind=OrganisationKind.HOTLINE, country="KE"
    )

    assert receiving_organisation("KE") == kenyan
    assert receiving_organisation("ES") == first
