"""A user's in-app notifications."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.intake import selectors
from safeguard.intake.notifications import notifications_mark_read


@staff_view("dashboard.view")
def notifications(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    if request.method == "POST":
        notifications_mark_read(actor=actor)
        return redirect("intake:notifications")
    return render(
        request, "intake/notifications.html", {"notifications": selectors.notifications_of(actor.user)}
    )
