"""Listening to intake. Receivers only enqueue: the work is in tasks."""

from __future__ import annotations

from typing import Any

from safeguard.intake.signals import report_received


def on_report_received(sender: Any, report_id: int, **kwargs: Any) -> None:
    """Sent by intake after the report's transaction committed: place it in its district."""
    from safeguard.risk.tasks import report_place_assign

    report_place_assign.enqueue(report_id)


def connect() -> None:
    report_received.connect(on_report_received, dispatch_uid="risk.on_report_received")
