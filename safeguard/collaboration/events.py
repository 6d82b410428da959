"""Typed timeline rows of a task force, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from safeguard.accounts.access import Actor
from safeguard.collaboration.models import TaskForce, TaskForceEvent, TaskForceEventKind


def task_force_event(
    *, task_force: TaskForce, kind: TaskForceEventKind, actor: Actor | None, **detail: Any
) -> TaskForceEvent:
    """One timeline row; ``detail`` holds ids and choice values, never personal data."""
    return TaskForceEvent.objects.create(
        task_force=task_force,
        kind=kind,
        actor=actor.user if actor else None,
        organisation=actor.organisation if actor else None,
        detail=detail,
    )
