"""Background work: sending one webhook delivery. A thin wrapper that takes an id."""

from __future__ import annotations

from django_tasks import task

from safeguard.webhooks import services


@task()
def deliver_webhook(*, delivery_id: int) -> str:
    return services.delivery_attempt(delivery_id=delivery_id)
