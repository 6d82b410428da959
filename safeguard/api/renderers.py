"""CSV for any list endpoint: ``?format=csv`` answers the same rows, filters and page as the JSON.

A paginated list renders its ``results`` (one page, at most the pagination's ``max_limit`` rows);
nested values are flattened to ``parent.child`` columns and lists joined with ``|``. Cells that a
spreadsheet would read as a formula are prefixed with an apostrophe. An error (status 400 and
above) is always answered as JSON, as the schema documents it, whatever format was asked for.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

LIST_SEPARATOR = "|"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = LIST_SEPARATOR.join(_cell(item) for item in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = _cell(value)
    return flat


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return JSONRenderer().render(data, "application/json", renderer_context)
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data] if isinstance(data, dict) else []
        flat = [_flatten(row) if isinstance(row, dict) else {"value": _cell(row)} for row in rows]
        columns: list[str] = []
        for row in flat:
            columns.extend(name for name in row if name not in columns)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(flat)
        return buffer.getvalue().encode("utf-8")


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is a bad request with a message (400), not DRF's bare 404."""

    def filter_renderers(self, renderers: Any, format: str) -> Any:
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(sorted({renderer.format for renderer in renderers if renderer.format}))
            raise ValidationError(
                {
                    "format": [
                        _("Unknown format “%(format)s”: use one of %(known)s.")
                        % {"format": format, "known": known}
                    ]
                }
            )
        return chosen
