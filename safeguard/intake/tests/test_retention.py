"""Retention: closed non-actionable reports go after the configured days; counts remain."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from safeguard.core.models import AuditEvent
from safeguard.intake.choices import Outcome, Status
from safeguard.intake.models import Report, ReportIdentifier, RetentionRun
from safeguard.intake.services.escalation import report_escalate
from safeguard.testing.fixtures import actor_of


def closed(report: Report, outcome: str, days_ago: int) -> Report:
    Report.objects.filter(pk=report.pk).update(
        status=Status.CLOSED, outcome=outcome, closed_at=timezone.now() - timedelta(days=days_ago)
    )
    return report


@pytest.mark.django_db
def test_purge_keeps_actionable_recent_open_and_escalated(
    make_report: Any, bob: Any, org_a: Any, police: Any, settings: Any
) -> None:
    settings.INTAKE_RETENTION_DAYS = 30
    old_not_actionable = closed(
        make_report(country="ES", identifiers=[("phone", "+44 7700 900123")]), Outcome.NOT_ACTIONABLE, 40
    )
    old_out_of_scope = closed(make_report(country="FR"), Outcome.OUT_OF_SCOPE, 31)
    old_actionable = closed(make_report(), Outcome.ACTIONABLE, 400)
    recent = closed(make_report(), Outcome.NOT_ACTIONABLE, 5)
    still_open = make_report()
    escalated = make_report()
    report_escalate(report=escalated, organisation=police, summary="x", actor=actor_of(bob, org_a))
    closed(escalated, Outcome.NOT_ACTIONABLE, 90)
    out = StringIO()
    call_command("purge_reports", stdout=out)
    assert "Purged 2 report(s)" in out.getvalue()
    remaining = set(Report.objects.values_list("pk", flat=True))
    assert remaining == {old_actionable.pk, recent.pk, still_open.pk, escalated.pk}
    assert not ReportIdentifier.objects.filter(report_id=old_not_actionable.pk).exists()
    run = RetentionRun.objects.get()
    assert run.purged == 2
    assert run.counts["by_country"] == {"ES": 1, "FR": 1}
    assert run.counts["by_outcome"] == {"not_actionable": 1, "out_of_scope": 1}
    event = AuditEvent.objects.get(action="report.retention_purge")
    assert (event.detail["purged"], event.detail["days"]) == (2, 30)
    assert old_out_of_scope.pk not in remaining


@pytest.mark.django_db
def test_dry_run_changes_nothing(make_report: Any) -> None:
    closed(make_report(), Outcome.NOT_ACTIONABLE, 400)
    out = StringIO()
    call_command("purge_reports", "--dry-run", "--days", "365", stdout=out)
    assert "Would purge 1 report(s)" in out.getvalue()
    assert Report.objects.count() == 1
    assert RetentionRun.objects.count() == 0
