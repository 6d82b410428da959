"""Issue 12 §7: nothing analytics derives from personal data is stored in plaintext.

Reports name one identifier of every kind (and a domain through an e-mail and a URL); after
extraction, networks, alerts and a person-linking run, no table holds any of them, nor any of
their normal forms, as readable text. (Region codes such as ES-MD are plain by design: intake
filters its queue on them.)
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safeguard.analytics.models import Entity
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.intake.models import Report
from safeguard.intake.tests.test_anonymity import database_text

pytestmark = pytest.mark.django_db

IDENTIFIERS = [
    ("phone", "612 987 654"),
    ("phone", "07700 9001"),  # could not be verified: kept as reported, still encrypted
    ("email", "quimbly.zed@zorblaxagency.example"),
    ("url", "https://jobs.vortiquex.example/offer/77"),
    ("handle", "@zorblax_recruits"),
    ("plate", "ZQX 9876"),
]
# What was typed and every form derived from it (normal forms, domains, digit runs).
SECRETS = [
    "612 987 654",
    "612987654",
    "07700 9001",
    "077009001",
    "quimbly",
    "zorblaxagency",
    "vortiquex",
    "zorblax_recruits",
    "ZQX 9876",
    "ZQX9876",
    "Ximena Quorrelby",
]


def test_no_table_holds_an_identifier_or_a_value_derived_from_one(submit: Callable[..., Report]) -> None:
    for country in ("ES", "GB"):
        submit(
            country=country,
            subdivision="ES-MD" if country == "ES" else "",
            identifiers=IDENTIFIERS,
            narrative="She was told to write to quimbly.zed@zorblaxagency.example or @zorblax_recruits.",
            suspects=[{"names": "Ximena Quorrelby", "description": ""}],
        )
    records_extract_all()
    networks_rebuild()
    assert Entity.objects.filter(kind="domain").count() == 2  # zorblaxagency + vortiquex

    text = database_text().casefold()
    for secret in SECRETS:
        assert secret.casefold() not in text, secret
