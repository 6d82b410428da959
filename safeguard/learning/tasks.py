"""Background work: pushing learning records to the configured LRS, with retries."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import default_task_backend, task

from safeguard.learning import records


@task()
def lrs_push(*, attempt: int) -> int:
    """Send pending statements; after a failure, try again later (30 s, doubling, at most 1 h)."""
    outcome = records.lrs_push_pending()
    if outcome.failed and attempt + 1 < records.MAX_SEND_ATTEMPTS:
        schedule_retry(attempt + 1)
    elif outcome.more:
        lrs_push.enqueue(attempt=0)
    return outcome.sent


def schedule_retry(attempt: int) -> None:
    # A backend that cannot defer (the immediate one of the tests) leaves the retry to the next attempt's push.
    if default_task_backend.supports_defer:
        lrs_push.using(run_after=timezone.now() + records.retry_delay(attempt - 1)).enqueue(attempt=attempt)
