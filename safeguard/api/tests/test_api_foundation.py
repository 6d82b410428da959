"""The API's authentication, error format and OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework import exceptions
from rest_framework.test import APIClient

from safeguard.accounts.access import Actor
from safeguard.accounts.services import api_token_create, api_token_revoke
from safeguard.api.errors import exception_handler
from safeguard.testing.fixtures import TEST_PASSWORD, actor_of

pytestmark = pytest.mark.django_db


def token_for(user, organisation) -> str:
    roles = frozenset(user.memberships.values_list("role", flat=True))
    return api_token_create(actor=Actor(user=user, organisation=organisation, roles=roles), name="test")[1]


def test_a_token_acts_as_its_user_in_its_organisation(bob, org_a) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(bob, org_a)}")

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": bob.pk,
        "email": "bob@alpha.example",
        "name": "Bob Operator",
        "organisation": {"id": org_a.pk, "name": "Alpha Helpline", "kind": "hotline"},
        "roles": ["operator"],
    }


def test_only_the_hash_of_a_token_is_stored(bob, org_a) -> None:
    from safeguard.accounts.models import ApiToken

    key = token_for(bob, org_a)
    stored = ApiToken.objects.get(user=bob)
    assert key not in {stored.key_hash, stored.prefix}
    assert stored.key_hash == ApiToken.hash_key(key)


def test_a_revoked_token_is_refused_in_the_error_format(bob, org_a) -> None:
    from safeguard.accounts.models import ApiToken

    key = token_for(bob, org_a)
    api_token_revoke(actor=actor_of(bob, org_a), token=ApiToken.objects.get(user=bob))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "authentication_failed", "message": "Invalid or revoked token."}
    }


def test_no_credentials_answers_401_in_the_error_format() -> None:
    response = APIClient().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_session_without_mfa_does_not_authenticate_the_api(bob) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": bob.email, "password": TEST_PASSWORD})
    assert client.get("/api/v1/me").status_code == 401


def test_a_session_with_mfa_authenticates_the_api(bob, client_for) -> None:
    response = client_for(bob).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "bob@alpha.example"


def test_wrong_methods_and_unknown_paths_answer_in_the_error_format(bob, client_for) -> None:
    client = client_for(bob)
    assert client.post("/api/v1/me", "{}", content_type="application/json").json() == {
        "error": {"code": "method_not_allowed", "message": 'Method "POST" not allowed.'}
    }
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "There is nothing here."}}


def test_validation_errors_carry_field_errors() -> None:
    response = exception_handler(
        exceptions.ValidationError(
            {"narrative": ["This field is required."], "non_field_errors": ["Bad pair."]}
        ),
        {},
    )
    assert response is not None
    assert response.status_code == 400
    assert response.data == {
        "error": {
            "code": "invalid",
            "message": "The request has errors; see fields.",
            "fields": {"narrative": ["This field is required."], "_": ["Bad pair."]},
        }
    }


def test_a_too_large_body_answers_413() -> None:
    from django.core.exceptions import RequestDataTooBig

    response = exception_handler(RequestDataTooBig("big"), {})
    assert response is not None
    assert response.status_code == 413
    assert response.data["error"]["code"] == "too_large"


def test_the_openapi_schema_builds_and_documents_token_auth(client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_api_docs_page_uses_only_vendored_assets(client) -> None:
    response = client.get("/api/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


def test_errors_answer_in_json_whatever_format_was_asked(bob, org_a) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(bob, org_a)}")
    # The operator may not list cases: the 403 is JSON, not a CSV of the error.
    refused = client.get("/api/v1/cases?format=csv")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["error"]["code"] == "permission_denied"
    anonymous = APIClient().get("/api/v1/reports", HTTP_ACCEPT="text/csv")
    assert (anonymous.status_code, anonymous["Content-Type"]) == (401, "application/json")
    # A format no renderer knows names the parameter (the path exists: not a 404).
    unknown = client.get("/api/v1/me?format=xml")
    assert unknown.status_code == 400
    assert unknown.json()["error"]["fields"] == {"format": ["Unknown format “xml”: use one of csv, json."]}
    assert client.get("/api/v1/me?format=csv").status_code == 200
    # An error a view returns (not raises) is JSON too: the public report's 429 with the numbers.
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory

    from safeguard.api.renderers import CSVRenderer

    response = Response({"error": {"code": "throttled", "message": "Later."}}, status=429)
    response.accepted_renderer, response.accepted_media_type = CSVRenderer(), "text/csv"
    response.renderer_context = {"response": response, "request": APIRequestFactory().get("/")}  # type: ignore[attr-defined]
    response.render()
    assert (response["Content-Type"], response.content) == (
        "application/json",
        b'{"error":{"code":"throttled","message":"Later."}}',
    )
