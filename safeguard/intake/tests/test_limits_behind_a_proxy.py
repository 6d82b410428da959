"""Public rate limits count each reporter, not the reverse proxy in front of the platform."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from safeguard.core.clientaddress import parse_networks
from safeguard.intake.models import Report
from safeguard.intake.tests.conftest import PUBLIC_REPORT

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _post(address: str, forwarded: str = "") -> int:
    client = Client(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
    response = client.post(
        "/api/v1/public/reports", json.dumps(PUBLIC_REPORT), content_type="application/json"
    )
    return response.status_code


def test_behind_a_trusted_proxy_each_reporter_has_their_own_limit(org_a: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    settings.INTAKE_PUBLIC_REPORT_RATE = "2/h"

    first = [_post(PROXY, "203.0.113.7") for _ in range(3)]
    second = [_post(PROXY, "198.51.100.20") for _ in range(2)]

    assert first == [201, 201, 429]
    assert second == [201, 201]
    assert Report.objects.count() == 4


def test_an_untrusted_peer_cannot_escape_the_limit_by_claiming_addresses(org_a: Any, settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    settings.INTAKE_PUBLIC_REPORT_RATE = "2/h"

    answers = [_post("198.51.100.1", f"203.0.113.{i}") for i in range(3)]

    assert answers == [201, 201, 429]
    assert Report.objects.count() == 2
