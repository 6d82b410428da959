"""Tasks: the workflow opens them, finishes them when its step is taken; a user marks one done."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.accounts.models import User
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, Task


def task_add(
    *, case: Case, kind: str, title: str, assignee: User, due_on: date, source_id: int | None = None
) -> Task:
    """Open a workflow task; called by the service whose step creates it, inside its transaction."""
    task = Task(
        case=case,
        organisation_id=case.organisation_id,
        kind=kind,
        title=title,
        assignee=assignee,
        due_on=due_on,
        source_id=source_id,
    )
    task.full_clean()
    task.save()
    return task


def tasks_finish(case: Case, kind: str, source_id: int | None = None) -> None:
    """Mark the pending tasks of ``kind`` done; called by the service that took their step."""
    tasks = Task.objects.pending().filter(case=case, kind=kind)
    if source_id is not None:
        tasks = tasks.filter(source_id=source_id)
    tasks.update(done_at=timezone.now())


@transaction.atomic
def task_complete(*, actor: Actor, task: Task) -> Task:
    """Mark a task done by hand; on the timeline and in the audit log (a task already done stays as it was)."""
    require_case_in_reach(actor, task.case, "case.edit")
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        case_event(
            case=task.case,
            kind=CaseEventKind.TASK_DONE,
            actor=actor,
            detail={"task_id": task.pk, "task_kind": task.kind},
        )
    return task
