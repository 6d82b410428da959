"""Background work of the messaging channels: thin wrappers that take ids and call services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from safeguard.intake.channels import services
from safeguard.intake.channels.models import MessageStatus


@task()
def channel_inbound_process(*, channel_id: int, address_index: str) -> int:
    return services.inbound_process(channel_id=channel_id, address_index=address_index)


@task()
def channel_message_send(*, message_id: int, attempt: int) -> str:
    """Send one message; after a failure, try again later (15 s, doubling, at most 30 min)."""
    status = services.outbound_send(message_id=message_id)
    if status == MessageStatus.QUEUED:
        schedule_retry(message_id, attempt + 1)
    return status


def retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=min(15 * 2 ** (attempt - 1), 1800))


def schedule_retry(message_id: int, attempt: int) -> None:
    # The immediate backend of the tests cannot defer: a test calls the task again itself.
    if default_task_backend.supports_defer:
        channel_message_send.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
            message_id=message_id, attempt=attempt
        )
