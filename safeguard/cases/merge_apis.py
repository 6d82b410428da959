"""Merging a duplicate case into another in ``/api/v1/``: what a supervisor does from the case page.

The path of ``views.merge.merge``: the primary case through ``cases.access.case_for`` with
``case.merge`` (403 without it, 404 outside the caller's reach), the duplicate by its reference
among the cases the caller may see (``selectors.case_list``), then ``services.merge.case_merge``,
which keeps both cases and their histories and writes the event on both timelines. Never
automatic, nothing deleted.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.cases.access import case_for
from safeguard.cases.apis import CaseSerializer, validated
from safeguard.cases.selectors import case_list
from safeguard.cases.services.merge import case_merge
from safeguard.cases.workflow_apis import CASE_EXAMPLE


class CaseMergeSerializer(serializers.Serializer):
    duplicate = serializers.CharField(max_length=24, help_text="The reference of the duplicate case")
    reason = serializers.CharField(max_length=2000)


class CaseMergeApi(StaffAPIView):
    @extend_schema(
        request=CaseMergeSerializer,
        responses=CaseSerializer,
        tags=["cases"],
        examples=body_examples(
            "The same child registered twice",
            request={
                "duplicate": "C-2026-7B1E0D44",
                "reason": "Same child, registered again at the shelter.",
            },
            answer=CASE_EXAMPLE,
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Merge the duplicate case into this one (a supervisor): the duplicate keeps its records and
        history, is marked merged and points to this case; its pending tasks move here."""
        actor = self.actor
        case = case_for(actor, pk, action="case.merge")
        data = validated(CaseMergeSerializer, request)
        duplicate = case_list(actor, reference=data["duplicate"]).first()
        if duplicate is None:
            raise serializers.ValidationError(
                {"duplicate": [_("No case with this reference in your organisation.")]}
            )
        case = case_merge(actor=actor, primary=case, duplicate=duplicate, reason=data["reason"])
        return Response(CaseSerializer(case, context={"actor": actor}).data)
