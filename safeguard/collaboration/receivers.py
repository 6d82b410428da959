"""Listening to the apps whose records may match across organisations. Receivers only enqueue.

- a report: intake's ``report_received`` (sent after the report committed);
- a case: ``post_save`` of ``cases.Case``, enqueued once the transaction commits;
- an imported ad: the end of analytics' ``process_ad_import`` task (django-tasks'
  ``task_finished``), when the ads' identifiers are stored.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

AD_IMPORT_TASK = "safeguard.analytics.tasks.process_ad_import"


def on_report_received(sender: Any, report_id: int, **kwargs: Any) -> None:
    from safeguard.collaboration.tasks import match_notices

    match_notices.enqueue("report", report_id)


def on_case_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from safeguard.collaboration.tasks import match_notices

    case_id = instance.pk
    transaction.on_commit(lambda: match_notices.enqueue("case", case_id))


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    from django_tasks import TaskResultStatus

    from safeguard.collaboration.tasks import match_notices_for_import

    if task_result.task.module_path == AD_IMPORT_TASK and task_result.status == TaskResultStatus.SUCCESSFUL:
        match_notices_for_import.enqueue(int(task_result.args[0]))


def connect() -> None:
    from django.db.models.signals import post_save
    from django_tasks.signals import task_finished

    from safeguard.intake.signals import report_received

    report_received.connect(on_report_received, dispatch_uid="collaboration.on_report_received")
    post_save.connect(on_case_saved, sender="cases.Case", dispatch_uid="collaboration.on_case_saved")
    task_finished.connect(on_task_finished, dispatch_uid="collaboration.on_task_finished")
