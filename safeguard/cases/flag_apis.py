"""Flags on a case in ``/api/v1/``: list them, raise one, resolve one.

The same path as the case page's flag forms (``views.flags``): the case or the flag through
``cases.access`` (404 outside the caller's reach, 403 without ``case.edit``), then
``services.flags``, which puts the change on the case's timeline and in the audit log.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.cases.access import case_view_for, flag_for
from safeguard.cases.apis import case_step, validated
from safeguard.cases.services.flags import flag_raise, flag_resolve
from safeguard.core.flag_serializers import (
    FLAG_EXAMPLE,
    FLAG_RAISE_EXAMPLE,
    FLAG_RESOLVE_EXAMPLE,
    FLAG_RESOLVED_EXAMPLE,
    FlagRaiseSerializer,
    FlagResolveSerializer,
    FlagSerializer,
)
from safeguard.core.pagination import BoundedCursorPagination

CASE_TAGS = ["cases"]


class CaseFlagsApi(StaffAPIView):
    pagination_class = BoundedCursorPagination

    @extend_schema(
        responses=FlagSerializer(many=True),
        tags=CASE_TAGS,
        examples=body_examples("One open flag", answer=FLAG_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The case's flags, open and resolved, newest first (the case page's flags); audited as a
        view of the case."""
        case = case_view_for(self.actor, pk)
        paginator = self.pagination_class()
        paginator.ordering = ("-raised_at", "-id")
        flags = case.flags.select_related("raised_by", "resolved_by")
        page = paginator.paginate_queryset(flags, request, view=self) or []
        return paginator.get_paginated_response(FlagSerializer(page, many=True).data)

    @extend_schema(
        request=FlagRaiseSerializer,
        responses={201: FlagSerializer},
        tags=CASE_TAGS,
        examples=body_examples(
            "A safety concern", request=FLAG_RAISE_EXAMPLE, answer=FLAG_EXAMPLE, status="201"
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Flag the case for attention, with a reason and an optional note; it stays open until resolved."""
        return case_step(
            self, request, pk, body=FlagRaiseSerializer, service=flag_raise, answer=FlagSerializer
        )


class CaseFlagResolveApi(StaffAPIView):
    @extend_schema(
        request=FlagResolveSerializer,
        responses=FlagSerializer,
        tags=CASE_TAGS,
        examples=body_examples("Resolved", request=FLAG_RESOLVE_EXAMPLE, answer=FLAG_RESOLVED_EXAMPLE),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Resolve an open flag of a case, saying how; a resolved flag cannot be resolved again (400)."""
        actor = self.actor
        flag = flag_for(actor, pk)
        flag = flag_resolve(actor=actor, flag=flag, **validated(FlagResolveSerializer, request))
        return Response(FlagSerializer(flag).data)
