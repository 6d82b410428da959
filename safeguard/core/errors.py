"""Error pages: JSON in the API's error format under /api/, the project's own pages elsewhere.

Every page is translated, and a visitor who is not signed in (a reporter, perhaps with a child in
danger) is shown the way to the emergency numbers on each of them.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _context(request: HttpRequest, title: str, message: str) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "title": title,
        "message": message,
        "public": not (user is not None and user.is_authenticated),
    }


def _respond(request: HttpRequest, status: int, code: str, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return render(request, "core/error.html", _context(request, title, message), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 400, "bad_request", _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(
        request, 403, "permission_denied", _("Not allowed"), _("You do not have permission to do this.")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A staff form sent without its security cookie (``CSRF_FAILURE_VIEW``); the public report
    and follow-up forms never get here, they need no cookie (decision 090)."""
    return _respond(
        request,
        403,
        "csrf_failed",
        _("This form has expired"),
        _(
            "The form could not be checked: go back, reload the page and send it again. Signing in "
            "needs cookies to be allowed for this site; the public report form works without them."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404, "not_found", _("Not found"), _("There is nothing here."))


def server_error(request: HttpRequest) -> HttpResponse:
    title, message = _("Something went wrong"), _("The error has been logged. Please try again.")
    try:
        return _respond(request, 500, "server_error", title, message)
    except Exception:
        # The error may be the database itself, which the site's context processors read: the
        # page is then rendered without them rather than not at all.
        logger.exception("the error page could not be rendered with its context")
        html = loader.render_to_string(
            "core/error.html", {"title": title, "message": message, "public": True}
        )
        return HttpResponseServerError(html)
