"""Correcting a case note in ``/api/v1/``: its author, within ``NOTE_EDIT_WINDOW`` of writing it.

The rule of the case page's "Correct the note" (``views.notes.note_change``): the note through
``cases.access.note_for`` (404 outside the caller's reach, 403 without ``case.edit``), refused
unless ``services.notes.note_can_edit``, then ``services.notes.note_edit``, which keeps the
replaced text as a revision and puts the correction on the timeline and in the audit log. The
API says why it refuses: 403 for someone else's note, 409 for a note that is locked.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import ERROR_EXAMPLES, body_examples
from safeguard.api.serializers import ErrorSerializer
from safeguard.cases.access import note_for
from safeguard.cases.apis import NoteSerializer
from safeguard.cases.models import CaseNoteKind
from safeguard.cases.services.notes import note_can_edit, note_edit

NOTE_EXAMPLE = {
    "id": 21,
    "kind": "visit",
    "occurred_on": "2026-02-03",
    "text": "Fictional home visit; the child is back at school.",
    "author": "Cara Caseworker",
    "created_at": "2026-02-03T15:02:00Z",
    "edited_at": "2026-02-03T15:20:00Z",
}


class NoteLocked(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "note_locked"


class NoteEditSerializer(serializers.Serializer):
    """Only the fields sent change; at least one must be sent."""

    kind = serializers.ChoiceField(choices=CaseNoteKind.choices, required=False)
    occurred_on = serializers.DateField(required=False)
    text = serializers.CharField(max_length=20000, required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data:
            raise serializers.ValidationError(_("Send at least one of kind, occurred_on and text."))
        return data


def _error_example(name: str, status_code: str, code: str, message: str) -> OpenApiExample:
    value = {"error": {"code": code, "message": message}}
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status_code])


class CaseNoteApi(StaffAPIView):
    @extend_schema(
        request=NoteEditSerializer,
        responses={
            200: NoteSerializer,
            (403, "application/json"): OpenApiResponse(
                ErrorSerializer,
                description="The caller may not correct notes, or the note is not theirs.",
                examples=[
                    _error_example(
                        "Not the author",
                        "403",
                        "permission_denied",
                        "Only the author of a note can correct it.",
                    ),
                    OpenApiExample(
                        "error_403", value=ERROR_EXAMPLES["403"], response_only=True, status_codes=["403"]
                    ),
                ],
            ),
            (409, "application/json"): OpenApiResponse(
                ErrorSerializer,
                description="The note is locked (written more than 30 minutes ago), or a request with "
                "this Idempotency-Key is still being processed.",
                examples=[
                    _error_example(
                        "Locked",
                        "409",
                        "note_locked",
                        "This note is locked: notes can be corrected only in the first 30 minutes.",
                    ),
                    OpenApiExample(
                        "error_409", value=ERROR_EXAMPLES["409"], response_only=True, status_codes=["409"]
                    ),
                ],
            ),
        },
        tags=["cases"],
        examples=body_examples(
            "A corrected visit note",
            request={"text": NOTE_EXAMPLE["text"]},
            answer=NOTE_EXAMPLE,
        ),
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Correct a case note: only its author, and only in the first 30 minutes after writing it;
        the text it replaces is kept. The fields sent change, others stay."""
        actor = self.actor
        note = note_for(actor, pk)
        if note.author_id != actor.user.pk:
            raise exceptions.PermissionDenied(_("Only the author of a note can correct it."))
        if not note_can_edit(note, actor):
            raise NoteLocked(_("This note is locked: notes can be corrected only in the first 30 minutes."))
        serializer = NoteEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sent = serializer.validated_data
        note = note_edit(
            actor=actor,
            note=note,
            kind=sent.get("kind", note.kind),
            text=sent.get("text", note.text),
            occurred_on=sent.get("occurred_on", note.occurred_on),
        )
        return Response(NoteSerializer(note).data)
