"""Input that once answered 500 now answers 4xx in the one error format."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.services import api_token_create
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

PAGINATED = ["/api/v1/risk/regions", "/api/v1/risk/runs"]


def _token_client(user: User, organisation: Organisation) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(actor=actor_of(user, organisation), name='t')[1]}"
    )
    return client


@pytest.mark.parametrize("path", ["/api/v1/public/reports", "/api/v1/public/follow-up"])
def test_json_nested_a_thousand_levels_deep_is_a_400(path: str) -> None:
    body = "[" * 1000 + "]" * 1000

    response = Client().post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "parse_error",
        "message": "JSON parse error - nested deeper than 32 levels.",
    }


def test_json_just_deeper_than_the_limit_is_refused_even_when_it_parses() -> None:
    body = '{"narrative": ' + "[" * 40 + "]" * 40 + "}"

    response = Client().post("/api/v1/public/reports", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("query", ["limit=9223372036854775808", "offset=9223372036854775808", "limit=10**99"])
def test_huge_or_malformed_pagination_never_reaches_the_database(
    path: str, query: str, org_a: Organisation, member: Callable[..., User]
) -> None:
    analyst = member(org_a, "analyst", "programme_manager", "supervisor")
    client = _token_client(analyst, org_a)

    response = client.get(f"{path}?{query}")

    if query.startswith("limit=10**"):
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {
            "limit": ["limit must be a whole number from 0 to 200."]
        }
    else:
        assert response.status_code == 200
        assert response.json()["results"] == []


def test_a_page_is_never_larger_than_the_maximum(org_a: Organisation, member: Callable[..., User]) -> None:
    from safeguard.risk.models import Region, RegionLevel

    Region.objects.bulk_create(
        Region(code=f"XQ-{i:03d}", name=f"Region {i}", level=RegionLevel.DISTRICT, country_code="XQ")
        for i in range(250)
    )
    client = _token_client(member(org_a, "analyst"), org_a)

    response = client.get("/api/v1/risk/regions?limit=1000")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 200
