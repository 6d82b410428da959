"""Alert on intake: a new report sharing an identifier with a known network is raised at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.analytics.models import Network
from safeguard.analytics.services.alerts import report_check_networks
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.intake.choices import Urgency
from safeguard.intake.models import Report, UrgencyRaise

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_network(submit: Callable[..., Report]) -> tuple[Network, list[Report]]:
    first = submit(identifiers=[("phone", "612 345 678")])
    second = submit(identifiers=[("phone", "+34 612 345 678"), ("handle", "@vex_doe")])
    records_extract_all()
    networks_rebuild()
    return Network.objects.get(), [first, second]


def test_new_report_linked_to_a_network_is_raised_with_the_reason(
    known_network: Any, submit: Callable[..., Report], django_capture_on_commit_callbacks: Any
) -> None:
    network, _ = known_network
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(
            narrative="A man called from 0034 612 345 678 offering work.", identifiers=[("handle", "vex_doe")]
        )

    report.refresh_from_db()
    assert report.urgency == Urgency.HIGH
    raised = UrgencyRaise.objects.get(report=report)
    assert raised.reason == (
        f"Linked to network {network.pk} (2 reports) through phone number •••678, social-media handle ve•••"
    )
    assert raised.detail == {
        "source": "analytics",
        "network": network.pk,
        "reports": 2,
        "cases": 0,
        "ads": 0,
        "shared": [{"kind": "phone", "masked": "•••678"}, {"kind": "handle", "masked": "ve•••"}],
    }


def test_operator_sees_the_link_in_the_triage_view(
    known_network: Any,
    submit: Callable[..., Report],
    bob: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    network, _ = known_network
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(identifiers=[("phone", "612345678")])
    response = client_for(bob).get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    assert (
        f"Linked to network {network.pk} (2 reports) through phone number •••678" in response.content.decode()
    )


def test_alert_works_incrementally_without_a_rebuild(
    submit: Callable[..., Report], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(identifiers=[("email", "jobs@agency-x.example")])
    first.refresh_from_db()
    assert first.urgency_raises.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        second = submit(identifiers=[("email", "Jobs@Agency-X.example")])
    network = Network.objects.get()
    assert list(second.urgency_raises.values_list("reason", flat=True)) == [
        f"Linked to network {network.pk} (1 report) through e-mail address j•••@agency-x.example, domain agency-x.example"
    ]


def test_another_organisations_network_raises_nothing_and_reveals_nothing(
    known_network: Any,
    submit: Callable[..., Report],
    org_b: Organisation,
    operator_b: User,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(organisation=org_b, identifiers=[("phone", "612 345 678")])
    report.refresh_from_db()
    assert report.urgency_raises.count() == 0
    assert report.urgency == report.assessed_urgency
    page = client_for(operator_b).get(f"/reports/{report.pk}/").content.decode()
    assert "network" not in page.lower()


def test_alert_is_raised_once_per_network(
    known_network: Any, submit: Callable[..., Report], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(identifiers=[("phone", "612 345 678")])
    report_check_networks(report_id=report.pk)
    assert UrgencyRaise.objects.filter(report=report).count() == 1


def test_unlinked_report_is_left_alone(
    known_network: Any, submit: Callable[..., Report], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(identifiers=[("phone", "699 111 222")])
    assert UrgencyRaise.objects.filter(report=report).count() == 0
