"""Attaching documents to a case or note, and downloading them (audited)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import staff_view
from safeguard.cases import forms
from safeguard.cases.access import case_for
from safeguard.cases.services.documents import document_add, document_download, document_max_bytes
from safeguard.cases.views.base import action_page
from safeguard.core.forms import submitted

# Room for the multipart envelope and the other fields around the file.
ENVELOPE_BYTES = 64 * 1024


class InMemoryUpload(MemoryFileUploadHandler):
    """Keeps the upload in memory whatever its size (the request size is bounded before parsing),
    so a child's document never touches the disk unencrypted as a temporary file."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True


def _too_large(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return request.method == "POST" and (
        not length.isdigit() or int(length) > document_max_bytes() + ENVELOPE_BYTES
    )


@csrf_exempt  # the upload handlers must be set before the body is read; CSRF is checked below
@staff_view("case.edit")
def document_new(request: HttpRequest, pk: int) -> HttpResponse:
    # A body over the limit is read past without keeping its file; one within it stays in memory.
    request.upload_handlers = [] if _too_large(request) else [InMemoryUpload(request)]
    return _document_new(request, pk)


@csrf_protect
def _document_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    case = case_for(actor, pk, action="case.edit")
    limit = document_max_bytes()
    megabytes = round(limit / 1_048_576, 1)
    form = forms.DocumentForm(request.POST or None, request.FILES or None, case=case)
    if _too_large(request):
        form.is_valid()
        form.errors["file"] = form.error_class(
            [_("The file is larger than %(megabytes)s MB.") % {"megabytes": megabytes}]
        )
    elif submitted(
        request,
        form,
        lambda: document_add(
            actor=actor,
            case=case,
            filename=form.cleaned_data["file"].name,
            data=form.cleaned_data["file"].read(),
            note=form.cleaned_data["note"],
        ),
        _("Document attached."),
    ):
        return redirect("cases:detail", pk=case.pk)
    return action_page(
        request,
        form=form,
        title=_("Attach a document"),
        submit=_("Attach"),
        case=case,
        intro=_(
            "PDF, office documents or plain text, up to %(megabytes)s MB. Never upload photos, "
            "audio or video of a child: describe instead."
        )
        % {"megabytes": megabytes},
        extra={"multipart": True},
    )


@staff_view("case.view")
def document_get(request: HttpRequest, pk: int) -> HttpResponse:
    document, data = document_download(actor=actor_for(request), document_id=pk)
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=document.name)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
