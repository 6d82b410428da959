"""The OpenAPI schema documents every answer the API gives, errors included.

Every error answers in the one format of ``api.errors`` (``{"error": {"code", "message",
"fields"}}``). Rather than repeat the same ``extend_schema(responses=…)`` on each of the views,
this drf-spectacular post-processing hook adds the error answers every operation can give,
from what the operation takes: 400 when it reads parameters or a body, 413 when it reads a body,
401 and 403 when it needs a signed-in caller, 404 when it names an object in its path, 429
when anyone may call it (the anonymous endpoints are rate-limited). An error answer a view
documents itself keeps its description and gets the error format as its content.

Every staff write (a signed-in ``POST``, ``PUT``, ``PATCH`` or ``DELETE``) also documents the
``Idempotency-Key`` header of ``api.idempotency`` and its answers: 409 while the first request
with the key runs, 422 when the key was used for another request.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The one error format of the API.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "description": "Messages by field name; `_` for the request as a whole.",
                    "additionalProperties": {},
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    "400": "The request has errors; see `error.fields`.",
    "401": "No valid token or verified session.",
    "403": "The caller may not take this action (or holds no role in the organisation).",
    "404": "Nothing the caller may see has this id.",
    "413": "The request body is too large.",
    "409": "A request with this Idempotency-Key is still being processed.",
    "422": "This Idempotency-Key was used for a different request.",
    "429": "Too many requests from this client; wait and try again.",
}

# What each error answer looks like, shown as its example in the schema.
ERROR_EXAMPLES: dict[str, dict[str, Any]] = {
    "400": {
        "error": {
            "code": "invalid",
            "message": "The request has errors; see fields.",
            "fields": {"reason": ["This field is required."]},
        }
    },
    "401": {
        "error": {"code": "not_authenticated", "message": "Authentication credentials were not provided."}
    },
    "403": {
        "error": {
            "code": "permission_denied",
            "message": "You do not have permission to perform this action.",
        }
    },
    "404": {"error": {"code": "not_found", "message": "Not found."}},
    "409": {
        "error": {
            "code": "idempotency_key_in_use",
            "message": "A request with this Idempotency-Key is still being processed; try again shortly.",
        }
    },
    "413": {"error": {"code": "too_large", "message": "The request body is too large."}},
    "422": {
        "error": {
            "code": "idempotency_key_reused",
            "message": "This Idempotency-Key was used for a different request.",
        }
    },
    "429": {"error": {"code": "throttled", "message": "Request was throttled."}},
}

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _idempotency_parameter() -> dict[str, Any]:
    from safeguard.api.idempotency import HEADER, KEY_PATTERN

    return {
        "name": HEADER,
        "in": "header",
        "required": False,
        "description": "Any unique string (a UUID); sending the same request again with it returns "
        "the first answer and changes nothing.",
        "schema": {"type": "string", "pattern": KEY_PATTERN, "minLength": 1, "maxLength": 255},
        "example": "3f2a1c9e-6b1d-4f7a-9a57-0c1e2d3b4a5f",
    }


def _anonymous(operation: dict[str, Any]) -> bool:
    security = operation.get("security", [])
    return not security or {} in security


def _error_answers(operation: dict[str, Any], path: str) -> list[str]:
    reads_body = "requestBody" in operation
    reads_parameters = bool(operation.get("parameters"))
    anonymous = _anonymous(operation)
    answers = []
    if reads_body or reads_parameters:
        answers.append("400")
    if not anonymous:
        answers += ["401", "403"]
    if "{" in path:
        answers.append("404")
    if reads_body:
        answers.append("413")
    if anonymous:
        answers.append("429")
    return answers


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular ``POSTPROCESSING_HOOKS`` entry: the error answers of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method in WRITE_METHODS and not _anonymous(operation):
                operation.setdefault("parameters", []).append(_idempotency_parameter())
                responses = operation.setdefault("responses", {})
                for status in ("409", "422"):
                    responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            responses = operation.setdefault("responses", {})
            for status in _error_answers(operation, path):
                responses.setdefault(status, {"description": DESCRIPTIONS[status]})
            for status, response in responses.items():
                if status.startswith("4") and "content" not in response:
                    response["content"] = {"application/json": {"schema": reference}}
                if status in ERROR_EXAMPLES and "application/json" in response.get("content", {}):
                    response["content"]["application/json"].setdefault(
                        "examples", {f"error_{status}": {"value": ERROR_EXAMPLES[status]}}
                    )
    return result


def body_examples(summary: str, *, request: Any = None, answer: Any = None, status: str = "200") -> list[Any]:
    """The ``OpenApiExample`` pair of an operation: what a client sends, what it gets back."""
    from drf_spectacular.utils import OpenApiExample

    examples = []
    if request is not None:
        examples.append(OpenApiExample(summary, value=request, request_only=True))
    if answer is not None:
        examples.append(OpenApiExample(summary, value=answer, response_only=True, status_codes=[status]))
    return examples
