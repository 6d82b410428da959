"""Listening to intake: a new report gets its reporting duties in the background. Receivers only enqueue."""

from __future__ import annotations

from typing import Any


def on_report_received(sender: Any, report_id: int, **kwargs: Any) -> None:
    from safeguard.legal.tasks import apply_reporting_duties

    apply_reporting_duties.enqueue(report_id)


def connect() -> None:
    from safeguard.intake.signals import report_received

    report_received.connect(on_report_received, dispatch_uid="legal.on_report_received")
