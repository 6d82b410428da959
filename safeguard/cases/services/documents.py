"""Documents on a case or one of its notes: verified from content, size-limited, scanned when a
scanner is configured, encrypted at rest; every download is an audit event."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeguard.accounts.access import Actor
from safeguard.cases.access import case_for, require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.filetypes import RefusedFile, ScanError, clamd_scan, detect
from safeguard.cases.models import (
    Case,
    CaseDocument,
    CaseEventKind,
    CaseNote,
    ScanStatus,
    document_type_label,
)
from safeguard.core.audit import audit_record

MAX_NAME = 200
REFUSALS = {
    "empty": gettext_lazy("The file is empty."),
    "media": gettext_lazy(
        "This file is an image, audio or video. Only documents are accepted (PDF, office documents, "
        "plain text): images or media of children are never stored here."
    ),
    "macros": gettext_lazy("Office documents with macros are not accepted; save it without macros."),
    "unknown": gettext_lazy("This is not a PDF, office document or plain-text file."),
    "mismatch": gettext_lazy(
        "The file's name ends in %(extension)s but its content is %(label)s (%(extensions)s); "
        "the name and content must agree."
    ),
}


def document_max_bytes() -> int:
    return int(settings.CASE_DOCUMENT_MAX_BYTES)


def _scan(actor: Actor, case: Case, data: bytes) -> str:
    """The scan status to store; ``ValidationError`` if the scanner finds malware or does not answer."""
    socket_path = settings.CLAMAV_SOCKET
    if not socket_path:
        return ScanStatus.NOT_SCANNED
    try:
        found = clamd_scan(data, socket_path=socket_path, timeout=settings.CLAMAV_TIMEOUT_SECONDS)
    except ScanError as error:
        raise ValidationError(
            {"file": _("The virus scanner is not answering, so the file was not stored. Try again later.")}
        ) from error
    if found is not None:
        # Recorded outside the upload's transaction, which the refusal rolls back.
        audit_record(
            action="case.document_refused_malware",
            actor=actor,
            target=case,
            detail={"signature": found[:100]},
        )
        raise ValidationError({"file": _("The virus scanner found malware in this file; it was not stored.")})
    return ScanStatus.CLEAN


def document_add(
    *, actor: Actor, case: Case, filename: str, data: bytes, note: CaseNote | None = None
) -> CaseDocument:
    require_case_in_reach(actor, case, "case.edit")
    if note is not None and note.case_id != case.pk:
        raise ValidationError({"note": _("That note belongs to another case.")})
    limit = document_max_bytes()
    if len(data) > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(megabytes)s MB.")
                % {"megabytes": round(limit / 1_048_576, 1)}
            }
        )
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:MAX_NAME]
    try:
        kind = detect(data, name)
    except RefusedFile as error:
        params = {**error.params, "label": document_type_label(error.params.get("label", ""))}
        raise ValidationError({"file": str(REFUSALS[error.code]) % params}) from error
    scan_status = _scan(actor, case, data)
    with transaction.atomic():
        document = CaseDocument.objects.create(
            case=case,
            note=note,
            name=name,
            content_type=kind.content_type,
            type_label=kind.label,
            size=len(data),
            content=base64.b64encode(data).decode("ascii"),
            scan_status=scan_status,
            scanned_at=timezone.now() if scan_status == ScanStatus.CLEAN else None,
            uploaded_by=actor.user,
        )
        case_event(
            case=case,
            kind=CaseEventKind.DOCUMENT_ADDED,
            actor=actor,
            detail={"document_id": document.pk, "note_id": note.pk if note else None, "scan": scan_status},
        )
    return document


def document_download(*, actor: Actor, document_id: int) -> tuple[CaseDocument, bytes]:
    """The document and its bytes for someone of the case's team; the download is audited."""
    document = CaseDocument.objects.filter(pk=document_id).only("case_id").first()
    if document is None:
        raise Http404("document")
    case = case_for(actor, document.case_id)
    full = CaseDocument.objects.get(pk=document_id)
    audit_record(action="case.document_downloaded", actor=actor, target=case, detail={"document_id": full.pk})
    return full, base64.b64decode(full.content)
