"""List pagination with bounds: no page is larger than its maximum and no offset overflows; cursor
pages (``BoundedCursorPagination``) for lists that grow while a client walks them."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib import parse

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.request import Request

# Far beyond any real list, far below the 64-bit integers databases overflow on.
MAX_OFFSET = 1_000_000_000


def _bounded_int(request: Request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ValidationError({name: [f"{name} must be a whole number from 0 to {maximum}."]})
    return min(int(raw), maximum)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def get_limit(self, request: Request) -> int:
        limit = _bounded_int(request, self.limit_query_param, self.default_limit, self.max_limit)
        return limit or self.default_limit

    def get_offset(self, request: Request) -> int:
        return _bounded_int(request, self.offset_query_param, 0, MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            bound = self.max_limit if parameter["name"] == self.limit_query_param else MAX_OFFSET
            parameter["schema"] = {**parameter["schema"], "minimum": 0, "maximum": bound}
        return parameters


class BoundedCursorPagination(CursorPagination):
    """Cursor pages of at most 200; a cursor that does not decode is a 400, not a 404.

    Views set ``ordering`` on the paginator per request (from ``?sort=``).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering: tuple[str, ...] = ("-id",)

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"page_size must be a whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def decode_cursor(self, request: Request) -> Any:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            querystring = base64.b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True)
            offset = int(tokens.get("o", ["0"])[0])
            if not 0 <= offset <= 1_000_000:
                raise ValueError(offset)
        except (TypeError, ValueError, UnicodeError, binascii.Error):
            raise ValidationError({"cursor": ["Not a cursor this API gave."]}) from None
        return super().decode_cursor(request)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
