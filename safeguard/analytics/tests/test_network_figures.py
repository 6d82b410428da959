"""Every figure of a network is computed over the records the viewer may see.

Org A's analyst looks at a network that also holds org B's records: B's first report is older
than A's, B's last one is newer, and B's records share an identifier only among themselves.
None of that may move a figure A sees — records, shared identifiers, first seen, last seen —
on the overview page, the network page, the API list or the API detail. Each test compares
A's figures before B's records exist with A's figures after they joined the network.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from safeguard.accounts.models import Organisation, User
from safeguard.analytics.models import Network
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.intake.models import Report

pytestmark = pytest.mark.django_db

PHONE = ("phone", "612 345 678")  # mentioned by A's two reports and by B's first
HANDLE = ("handle", "only_in_b")  # shared by B's two reports only


def _at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 17, tzinfo=dt.UTC)


def _rebuild() -> None:
    records_extract_all()
    networks_rebuild()


@pytest.fixture
def org_a_only(submit: Callable[..., Report]) -> None:
    submit(identifiers=[PHONE, ("email", "boss@agency-x.example")], created_at=_at(3, 10))
    submit(identifiers=[PHONE], created_at=_at(3, 20))
    _rebuild()


def _add_org_b(submit: Callable[..., Report], org_b: Organisation) -> None:
    submit(organisation=org_b, identifiers=[PHONE, HANDLE], created_at=_at(1, 5))
    submit(organisation=org_b, identifiers=[HANDLE], created_at=_at(5, 30, 12))
    _rebuild()


def _api_figures(client: Client) -> dict[str, Any]:
    listed = client.get("/api/v1/analytics/networks").json()
    assert len(listed) == 1
    detail = client.get(f"/api/v1/analytics/networks/{listed[0]['id']}").json()["network"]
    assert detail == listed[0]
    return dict(listed[0])


def _page_figures(client: Client) -> dict[str, Any]:
    overview = client.get("/analytics/").content.decode()
    row = re.search(r"<tbody>\s*<tr>.*?</tr>", overview, re.S)
    assert row is not None
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    ]
    network = Network.objects.get()
    page = client.get(f"/analytics/networks/{network.pk}/").content.decode()
    header = re.search(r"<hgroup>.*?<p>(.*?)</p>", page, re.S)
    assert header is not None
    return {
        "network": cells[0],
        "visible_records": cells[1],
        "shared_identifiers": cells[2],
        "first_seen": cells[3],
        "last_seen": cells[4],
        "network page": " ".join(header.group(1).split()),
    }


def test_org_a_sees_its_own_figures_exactly(
    org_a_only: None, analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    assert _api_figures(client_for(analyst_a)) == {
        "id": Network.objects.get().pk,
        "visible_records": 2,
        "shared_identifiers": 1,  # the phone: the e-mail and its domain are in one report only
        "first_seen": "2026-03-10T09:17:00Z",
        "last_seen": "2026-03-20T09:17:00Z",
    }


FIGURES = ["visible_records", "shared_identifiers", "first_seen", "last_seen"]
READERS: dict[str, Callable[[Client], dict[str, Any]]] = {"api": _api_figures, "pages": _page_figures}


@pytest.mark.parametrize(
    ("surface", "figure"),
    [("api", figure) for figure in FIGURES] + [("pages", figure) for figure in [*FIGURES, "network page"]],
)
def test_org_b_records_change_no_figure_org_a_sees(
    surface: str,
    figure: str,
    org_a_only: None,
    submit: Callable[..., Report],
    org_b: Organisation,
    analyst_a: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(analyst_a)
    before = READERS[surface](client)

    _add_org_b(submit, org_b)

    network = Network.objects.get()
    # The stored, platform-wide figures did change: B's records are in the network.
    assert (network.size, network.first_seen, network.last_seen) == (4, _at(1, 5), _at(5, 30, 12))
    assert READERS[surface](client)[figure] == before[figure]


def test_org_a_pages_show_its_own_counts(
    org_a_only: None, analyst_a: User, client_for: Callable[[User], Client]
) -> None:
    figures = _page_figures(client_for(analyst_a))

    assert (figures["visible_records"], figures["shared_identifiers"]) == ("2", "1")
    assert figures["network page"].startswith("2 records you can see · 3 identifiers · ")


def test_org_b_sees_only_its_own_figures_of_the_same_network(
    org_a_only: None,
    submit: Callable[..., Report],
    org_b: Organisation,
    analyst_b: User,
    client_for: Callable[[User], Client],
) -> None:
    _add_org_b(submit, org_b)

    figures = _api_figures(client_for(analyst_b))

    assert {key: figures[key] for key in ("visible_records", "shared_identifiers")} == {
        "visible_records": 2,
        "shared_identifiers": 1,  # the handle: the phone is in only one of B's reports
    }
    assert (figures["first_seen"], figures["last_seen"]) == ("2026-01-05T09:17:00Z", "2026-05-30T12:17:00Z")


def test_a_shared_network_tells_only_the_sharing_organisations_figures(
    org_a_only: None, submit: Callable[..., Report], org_a: Organisation, org_b: Organisation
) -> None:
    """What org A shares of a network (collaboration's full view) counts A's records only."""
    from safeguard.collaboration.models import ShareLevel
    from safeguard.collaboration.selectors import _network_view

    network = Network.objects.get()
    before = _network_view(network, ShareLevel.FULL, org_a.pk).facts
    _add_org_b(submit, org_b)
    network.refresh_from_db()

    facts = _network_view(network, ShareLevel.FULL, org_a.pk).facts

    assert facts == before
    assert [(str(label), value) for label, value in facts] == [
        ("Reports", "2"),
        ("Cases", "0"),
        ("Online ads", "0"),
        ("First seen", "March 2026"),
        ("Last seen", "March 2026"),
        ("Shared identifiers", "domain × 1, email × 1, phone × 1"),
    ]
