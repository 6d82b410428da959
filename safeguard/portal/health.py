"""``/health/``: is the platform serving, and is its background work moving?

Public (monitoring polls it without credentials), so it says nothing about any person or
organisation: the database answers, and three counts and ages of the task queue
(``safeguard.core.tasks_health``), from two indexed queries. It answers 503 with a JSON
``reason`` when the database is unreachable or background work is stalled beyond
``SAFEGUARD_TASKS_STALL_SECONDS``, so that an alert fires while reports are still accepted.

``/health/?scope=web`` checks only the database: for a load balancer deciding whether to send
requests to this web process, which should keep taking reports while the workers are down.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from safeguard.core.tasks_health import task_health


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if request.GET.get("scope") == "web":
            return JsonResponse({"status": "ok"})
        tasks = task_health()
    except DatabaseError:
        return JsonResponse({"status": "error", "reason": "The database does not answer."}, status=503)
    body: dict[str, object] = {"status": "stalled" if tasks.stalled else "ok", "tasks": tasks.as_dict()}
    if tasks.reason:
        body["reason"] = tasks.reason
    return JsonResponse(body, status=503 if tasks.stalled else 200)
