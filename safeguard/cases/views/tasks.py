"""Marking a task done."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases.access import task_for
from safeguard.cases.services.tasks import task_complete


@require_POST
@staff_view("case.edit")
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    task = task_for(actor, pk)
    task_complete(actor=actor, task=task)
    next_page = request.POST.get("next", "")
    return redirect(next_page if next_page.startswith("/") else "cases:home")
