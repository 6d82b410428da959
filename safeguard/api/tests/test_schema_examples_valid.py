"""Every example in ``/api/schema/`` is one instance of the schema it illustrates.

Request bodies, success answers and error answers alike: each example value is checked with
``jsonschema`` against its own schema, its ``$ref`` resolved into the components. The check is
strict where OpenAPI leaves room: an object with listed properties takes no others, so a list
example wrapped in its envelope twice, or a field the serializer does not have, fails by name.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

import jsonschema
import pytest

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")

# The formats drf-spectacular writes; jsonschema checks ``date-time`` and ``uuid`` only with
# optional packages, so they are checked here with the standard library.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if isinstance(value, str):
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    if isinstance(value, str):
        uuid.UUID(value)
    return True


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def resolved(node: Any, components: dict[str, Any]) -> Any:
    """``node`` as plain JSON Schema: references replaced by their component, OpenAPI's
    ``nullable`` as a ``null`` type, ``oneOf`` as ``anyOf`` and objects with properties closed
    to any others."""
    if isinstance(node, list):
        return [resolved(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return resolved(components[node["$ref"].rsplit("/", 1)[-1]], components)
    out = {key: resolved(value, components) for key, value in node.items()}
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    if "oneOf" in out:
        # drf-spectacular's "one of" is "a value or blank": a blank URL would match both branches.
        out["anyOf"] = out.pop("oneOf")
    if "properties" in out and out.get("type") in ("object", ["object", "null"]):
        out.setdefault("additionalProperties", False)
    for key in ("readOnly", "writeOnly", "example"):
        out.pop(key, None)
    return out


def examples_of(schema: dict[str, Any]) -> list[tuple[str, str, Any, dict[str, Any]]]:
    """``(operation, where and which example, value, its schema)`` of every example in the schema."""
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            bodies = [
                (f"request {media}", content)
                for media, content in operation.get("requestBody", {}).get("content", {}).items()
            ]
            bodies += [
                (f"answer {status} {media}", content)
                for status, answer in operation.get("responses", {}).items()
                for media, content in answer.get("content", {}).items()
            ]
            label = f"{method.upper()} {path}"
            for where, content in bodies:
                if "schema" not in content:
                    continue
                for name, example in content.get("examples", {}).items():
                    found.append((label, f"{where} [{name}]", example["value"], content["schema"]))
    return found


def test_every_example_is_an_instance_of_its_schema(schema) -> None:
    components = schema["components"]["schemas"]
    examples = examples_of(schema)
    problems = []
    for operation, where, value, body_schema in examples:
        validator = jsonschema.Draft7Validator(
            resolved(copy.deepcopy(body_schema), components), format_checker=FORMATS
        )
        for error in validator.iter_errors(value):
            at = "/".join(str(part) for part in error.absolute_path) or "(the example)"
            problems.append(f"{operation} {where} at {at}: {error.message}")
    assert len(examples) > 100, "the schema lost its examples"
    assert problems == [], "\n".join(problems)
