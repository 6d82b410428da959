"""Webhook test helpers: a stand-in for the network that records what would have been sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from safeguard.accounts.models import Organisation, User
from safeguard.intake.models import Report
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.testing.fixtures import actor_of
from safeguard.webhooks import services
from safeguard.webhooks.models import Endpoint

PUBLIC_IP = "93.184.215.14"


@dataclass
class FakeNetwork:
    """Answers every POST with the next status in ``answers`` (the last one repeats)."""

    answers: list[int | Exception] = field(default_factory=lambda: [204])
    sent: list[dict[str, Any]] = field(default_factory=list)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.sent.append({"url": url, "body": body, "headers": headers})
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> FakeNetwork:
    fake = FakeNetwork()
    monkeypatch.setattr(services, "post", fake.post)
    # Every host name resolves to one public address, so the destination check passes.
    monkeypatch.setattr("safeguard.webhooks.destinations.resolve", lambda host, port: [PUBLIC_IP])
    return fake


@pytest.fixture
def subscribe(network: FakeNetwork) -> Callable[..., tuple[Endpoint, str]]:
    """``subscribe(admin, org, ["report.triaged"])`` → an endpoint created by the real service."""

    def make(
        admin: User,
        organisation: Organisation,
        event_types: list[str],
        url: str = "https://hooks.example.org/in",
    ) -> tuple[Endpoint, str]:
        return services.endpoint_create(actor=actor_of(admin, organisation), url=url, event_types=event_types)

    return make


@pytest.fixture
def new_report() -> Callable[[Organisation], Report]:
    def make(organisation: Organisation) -> Report:
        data = ReportInput(
            narrative="Fictional test narrative: Zed Example sells flowers at night.", country="ES"
        )
        return report_submit(data=data, channel="web", organisation=organisation).report

    return make
