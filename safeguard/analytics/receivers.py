"""Listening to the apps analytics reads from. Receivers only enqueue: the work is in tasks."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def on_report_received(sender: Any, report_id: int, **kwargs: Any) -> None:
    """Sent by intake after the report's transaction committed: check it against known networks."""
    from safeguard.analytics.tasks import check_report_networks

    check_report_networks.enqueue(report_id)


def connect() -> None:
    try:
        from safeguard.intake.signals import report_received
    except ImportError:  # intake absent or without its signal: no alert on intake
        logger.info("intake's report_received signal is not available; alerts on intake are off")
        return
    report_received.connect(on_report_received, dispatch_uid="analytics.on_report_received")


def on_case_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Cases have no "received" signal; re-read a case after every save that commits."""
    from django.db import transaction

    from safeguard.analytics.tasks import analyse_record

    case_id = instance.pk
    transaction.on_commit(lambda: analyse_record.enqueue("case", case_id))


def connect_cases() -> None:
    from django.db.models.signals import post_save

    from safeguard.analytics.records import model_or_none

    if model_or_none("cases.Case") is not None:
        post_save.connect(on_case_saved, sender="cases.Case", dispatch_uid="analytics.on_case_saved")
