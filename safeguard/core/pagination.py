"""List pagination with bounds: no page is larger than ``max_limit`` and no offset overflows."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
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
