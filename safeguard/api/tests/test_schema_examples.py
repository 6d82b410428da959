"""Every operation of ``/api/schema/`` shows examples: of its request body, of its success answer
and of each error answer (the error examples come from ``api.schema.add_error_responses``).

A byte stream (a document's content) has no example to show. An operation without examples
fails the test by name, with what it lacks."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def _shown(content: dict[str, Any]) -> bool:
    return (
        "examples" in content or "example" in content or content.get("schema", {}).get("format") == "binary"
    )


def _gaps(operation: dict[str, Any]) -> list[str]:
    gaps = [
        f"request {media}"
        for media, content in operation.get("requestBody", {}).get("content", {}).items()
        if not _shown(content)
    ]
    for status, answer in operation.get("responses", {}).items():
        contents = answer.get("content", {})
        if contents and not any(_shown(content) for content in contents.values()):
            gaps.append(f"answer {status}")
    return gaps


@pytest.fixture(scope="module")
def schema(django_db_blocker: Any) -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_shows_examples_of_its_bodies_and_errors(schema) -> None:
    missing: dict[str, list[str]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                gaps = _gaps(operation)
                if gaps:
                    missing[f"{method.upper()} {path.removeprefix('/api/v1')}"] = gaps
    assert missing == {}, "operations without examples"


def test_every_error_answer_has_its_example(schema) -> None:
    without = [
        f"{method.upper()} {path} {status}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
        for status, answer in operation.get("responses", {}).items()
        if status.startswith("4") and not _shown(answer.get("content", {}).get("application/json", {}))
    ]
    assert without == []


def test_the_case_steps_show_what_a_client_sends(schema) -> None:
    operation = schema["paths"]["/api/v1/cases/{id}/assessments"]["post"]
    (example,) = operation["requestBody"]["content"]["application/json"]["examples"].values()
    assert set(example["value"]["ratings"]) == {
        "immediate_safety",
        "medical",
        "psychological",
        "legal",
        "shelter",
        "education",
        "family_tracing",
    }
    answer = operation["responses"]["201"]["content"]["application/json"]["examples"]
    assert next(iter(answer.values()))["value"]["risk_level"] == "high"
    not_found = operation["responses"]["404"]["content"]["application/json"]["examples"]
    assert not_found == {"error_404": {"value": {"error": {"code": "not_found", "message": "Not found."}}}}
