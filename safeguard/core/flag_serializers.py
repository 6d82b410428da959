"""What the API's flag operations take and answer, for cases and reports alike.

Cases and reports are flagged the same way (``core.flags``): a reason and an optional note to
raise a flag, a note to resolve it. These serializers are the API side of ``FlagRaiseForm``
and ``FlagResolveForm``, with the same choices and limits.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safeguard.core.flags import FlagReason


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = serializers.CharField()
    raised_by = serializers.CharField(source="raised_by.name")
    raised_at = serializers.DateTimeField()
    resolved_by = serializers.CharField(source="resolved_by.name", allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolution_note = serializers.CharField()


class FlagRaiseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FlagResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="How the flag was resolved.")


FLAG_EXAMPLE: dict[str, Any] = {
    "id": 9,
    "reason": "safety",
    "note": "The child said the recruiter called again (fictional).",
    "raised_by": "Cara Caseworker",
    "raised_at": "2026-02-04T10:15:00Z",
    "resolved_by": None,
    "resolved_at": None,
    "resolution_note": "",
}
FLAG_RAISE_EXAMPLE = {"reason": "safety", "note": FLAG_EXAMPLE["note"]}
FLAG_RESOLVE_EXAMPLE = {"note": "Safety plan updated with the family (fictional)."}
FLAG_RESOLVED_EXAMPLE: dict[str, Any] = {
    **FLAG_EXAMPLE,
    "resolved_by": "Sue Supervisor",
    "resolved_at": "2026-02-04T16:40:00Z",
    "resolution_note": FLAG_RESOLVE_EXAMPLE["note"],
}
