"""Listening to the apps analytics reads from. Receivers only enqueue: the work is in tasks."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from safeguard.cases.models import Case
from safeguard.intake.signals import report_received


def on_report_received(sender: Any, report_id: int, **kwargs: Any) -> None:
    """Sent by intake after the report's transaction committed: check it against known networks."""
    from safeguard.analytics.tasks import check_report_networks

    check_report_networks.enqueue(report_id)


def on_case_saved(sender: type[Case], instance: Case, **kwargs: Any) -> None:
    """Cases have no "received" signal; re-read a case after every save that commits."""
    from safeguard.analytics.tasks import analyse_record

    case_id = instance.pk
    transaction.on_commit(lambda: analyse_record.enqueue("case", case_id))


def connect() -> None:
    report_received.connect(on_report_received, dispatch_uid="analytics.on_report_received")
    post_save.connect(on_case_saved, sender=Case, dispatch_uid="analytics.on_case_saved")
