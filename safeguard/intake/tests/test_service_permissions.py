"""Every intake service that acts for a user checks the actor itself, before any write.

For each one, a user with the wrong role, and a user of another organisation, is refused with
``PermissionDenied`` and nothing is written: no row, no audit event, no timeline event, no task.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.core.models import AuditEvent
from safeguard.intake import models
from safeguard.intake.choices import Channel, NotificationKind
from safeguard.intake.notifications import notifications_mark_read
from safeguard.intake.services.channels import partner_channel_create, partner_channel_revoke
from safeguard.intake.services.escalation import escalation_record_outcome, report_escalate
from safeguard.intake.services.routing import report_route, routing_rule_delete, routing_rule_save
from safeguard.intake.services.submission import ReportInput, report_enter
from safeguard.intake.services.triage import (
    report_add_note,
    report_ask_reporter,
    report_assign,
    report_change_status,
    report_merge_duplicate,
)
from safeguard.testing.fixtures import actor_of, make_member


@dataclass
class World:
    """org A's records, and the people who must not change them."""

    org_a: Organisation
    org_b: Organisation
    police: Organisation
    bob: User
    report: models.Report
    other_report: models.Report
    escalation: models.Escalation
    rule: models.RoutingRule
    channel: models.PartnerChannel
    people: dict[str, Actor]


@pytest.fixture
def world(
    make_report: Any,
    org_a: Organisation,
    org_b: Organisation,
    police: Organisation,
    alice: User,
    bob: User,
    analyst_a: User,
    operator_b: User,
    charlie: User,
) -> World:
    report = make_report(narrative="Alpha's report")
    other_report = make_report(narrative="Alpha's other report")
    escalation = report_escalate(
        report=make_report(narrative="Escalated"),
        organisation=police,
        summary="now",
        actor=actor_of(bob, org_a),
    )
    rule = routing_rule_save(
        rule=models.RoutingRule(name="Alpha's rule"), destinations=[org_b], actor=actor_of(alice, org_a)
    )
    channel, _key = partner_channel_create(name="Alpha's gateway", actor=actor_of(alice, org_a))
    models.Notification.objects.create(
        recipient=bob, organisation=org_a, kind=NotificationKind.ROUTED, report=report
    )
    people = {
        "analyst of A": actor_of(analyst_a, org_a),
        "operator of A": actor_of(bob, org_a),
        "operator of B": actor_of(operator_b, org_b),
        "admin of B": actor_of(charlie, org_b),
        "liaison of B": actor_of(make_member(org_b, Role.LIAISON), org_b),
        "bob without roles in B": actor_of(bob, org_b),
    }
    return World(org_a, org_b, police, bob, report, other_report, escalation, rule, channel, people)


def _snapshot(world: World) -> dict[str, Any]:
    """Everything the services could write, as plain values."""
    counts = {
        model.__name__: model.objects.count()
        for model in (
            models.Report,
            models.ReportEvent,
            models.ReportNote,
            models.ReportMessage,
            models.ReportRoute,
            models.Escalation,
            models.RoutingRule,
            models.PartnerChannel,
            models.Notification,
        )
    }
    report = models.Report.objects.values("status", "assigned_to", "duplicate_of", "updated_at").get(
        pk=world.report.pk
    )
    return {
        **counts,
        "audit": list(AuditEvent.objects.values_list("id", flat=True)),
        "report": report,
        "escalation": models.Escalation.objects.values("outcome").get(pk=world.escalation.pk),
        "rule": models.RoutingRule.objects.values("name", "organisation").get(pk=world.rule.pk),
        "channel": models.PartnerChannel.objects.values("revoked_at").get(pk=world.channel.pk),
        "unread": models.Notification.objects.filter(read_at__isnull=True).count(),
    }


def _rule_renamed(world: World, actor: Actor) -> None:
    rule = models.RoutingRule.objects.get(pk=world.rule.pk)
    rule.name = "Taken over"
    routing_rule_save(rule=rule, destinations=[world.org_b], actor=actor)


Call = Callable[[World, Actor], Any]

# service → (the action it needs, how it is called, who must be refused)
CASES: dict[str, tuple[str, Call, list[str]]] = {
    "report_enter": (
        "report.intake",
        lambda w, a: report_enter(data=ReportInput(narrative="x"), channel=Channel.PHONE, actor=a),
        ["analyst of A", "admin of B"],
    ),
    "report_change_status": (
        "report.triage",
        lambda w, a: report_change_status(report=w.report, status="in_triage", actor=a),
        ["analyst of A", "operator of B"],
    ),
    "report_assign": (
        "report.triage",
        lambda w, a: report_assign(report=w.report, assignee=w.bob, actor=a),
        ["analyst of A", "operator of B"],
    ),
    "report_add_note": (
        "report.triage",
        lambda w, a: report_add_note(report=w.report, body="note", actor=a),
        ["analyst of A", "operator of B"],
    ),
    "report_ask_reporter": (
        "report.triage",
        lambda w, a: report_ask_reporter(report=w.report, body="question?", actor=a),
        ["analyst of A", "operator of B"],
    ),
    "report_route": (
        "report.triage",
        lambda w, a: report_route(report=w.report, organisation=w.police, actor=a),
        ["analyst of A", "operator of B"],
    ),
    "report_merge_duplicate": (
        "report.triage",
        lambda w, a: report_merge_duplicate(duplicate=w.report, original=w.other_report, actor=a),
        ["analyst of A", "operator of B"],
    ),
    "report_escalate": (
        "report.escalate",
        lambda w, a: report_escalate(report=w.report, organisation=w.police, summary="now", actor=a),
        ["analyst of A", "operator of B"],
    ),
    "escalation_record_outcome": (
        "escalation.receive",
        lambda w, a: escalation_record_outcome(
            escalation=w.escalation, outcome="no_further_action", note="", actor=a
        ),
        ["operator of A", "liaison of B"],
    ),
    "routing_rule_save (new)": (
        "routing.manage",
        lambda w, a: routing_rule_save(rule=models.RoutingRule(name="new"), destinations=[w.police], actor=a),
        ["operator of A", "operator of B"],
    ),
    "routing_rule_save (another's rule)": ("routing.manage", _rule_renamed, ["operator of A", "admin of B"]),
    "routing_rule_delete": (
        "routing.manage",
        lambda w, a: routing_rule_delete(rule=w.rule, actor=a),
        ["operator of A", "admin of B"],
    ),
    "partner_channel_create": (
        "channel.manage",
        lambda w, a: partner_channel_create(name="gateway", actor=a),
        ["operator of A", "operator of B"],
    ),
    "partner_channel_revoke": (
        "channel.manage",
        lambda w, a: partner_channel_revoke(channel=w.channel, actor=a),
        ["operator of A", "admin of B"],
    ),
    "notifications_mark_read": (
        "dashboard.view",
        lambda w, a: notifications_mark_read(actor=a),
        ["bob without roles in B"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "who"),
    [(service, who) for service, (_action, _call, refused) in CASES.items() for who in refused],
)
def test_refused_actor_writes_nothing(
    world: World, service: str, who: str, django_capture_on_commit_callbacks: Any
) -> None:
    action, call, _refused = CASES[service]
    before = _snapshot(world)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PermissionDenied, match=f"^{re.escape(action)}$"),
    ):
        call(world, world.people[who])
    assert callbacks == []  # no task enqueued, no notification
    assert _snapshot(world) == before


@pytest.mark.django_db
def test_every_service_that_takes_an_actor_is_in_the_matrix() -> None:
    import inspect

    from safeguard.intake import notifications, services
    from safeguard.intake.services import (
        assessment,
        channels,
        escalation,
        follow_up,
        retention,
        routing,
        submission,
        triage,
    )

    modules = (
        assessment,
        channels,
        escalation,
        follow_up,
        retention,
        routing,
        submission,
        triage,
        notifications,
    )
    taking_actor = {
        name
        for module in modules
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(function).parameters
    }
    assert taking_actor == {service.split(" ")[0] for service in CASES}
    # The services called without an actor say who calls them.
    for function in (
        services.report_submit,
        services.report_raise_urgency,
        submission.report_follow_up_run,
        follow_up.report_reporter_message,
        retention.reports_purge,
        routing.routing_apply,
    ):
        assert "no actor" in (function.__doc__ or "")
