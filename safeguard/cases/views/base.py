"""What every case page shares: the page of one action's form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safeguard.cases.models import Case


def action_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    submit: str,
    case: Case | None = None,
    intro: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "case": case, "intro": intro, **(extra or {})}
    return render(request, "cases/action.html", context, status=400 if form.is_bound and form.errors else 200)
