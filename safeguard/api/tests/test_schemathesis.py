"""Schemathesis over the whole OpenAPI schema, in-process against the WSGI app.

Every operation of ``/api/schema/`` gets a fixed number of generated requests (valid and
invalid data), each sent with the token of one of several roles in two organisations or with
none. Every answer must be a 4xx or 2xx the schema documents, in the documented content type
and shape; never a 5xx. Bounded: a fixed number of examples per operation, derandomised (the
same requests every run), no deadline, no shrinking, no example database; about 30 s on two
cores. The figures of the last run (requests sent, 5xx) are printed and kept in
``docs/security.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.services import api_token_create
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Keep the test's database connection open across in-process WSGI requests.

    Django closes "old" connections when a request starts and ends; inside a test that holds
    its data in a transaction, PostgreSQL then loses it all (SQLite's in-memory database does
    not notice). Django's own test client disconnects these handlers the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Examples per operation and generation mode; the whole run stays well under a minute.
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Roles whose tokens the requests carry: (organisation, roles).
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "operator of A": ("a", ("operator",)),
    "caseworker of A": ("a", ("caseworker",)),
    "supervisor of A": ("a", ("supervisor",)),
    "analyst of A": ("a", ("analyst",)),
    "liaison of A": ("a", ("liaison",)),
    "programme manager of A": ("a", ("programme_manager",)),
    "admin of A": ("a", ("org_admin",)),
    "analyst of B": ("b", ("analyst",)),
    "caseworker and supervisor of B": ("b", ("caseworker", "supervisor")),
}


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)  # "METHOD path [who]: check" → detail


def _world(org_a: Organisation, org_b: Organisation) -> dict[str, str]:
    """Reports, cases, a network and regions in both organisations (low ids, so generated ids
    sometimes hit them), and the tokens, by role."""
    from safeguard.analytics.services.entities import records_extract_all
    from safeguard.analytics.services.networks import networks_rebuild
    from safeguard.cases.services.registration import PersonDetails, case_register
    from safeguard.intake import services
    from safeguard.intake.choices import Channel
    from safeguard.risk.models import Region, RegionLevel

    tokens: dict[str, str] = {}
    for number, (who, (org_key, roles)) in enumerate(ROLES.items()):
        organisation = org_a if org_key == "a" else org_b
        user: User = make_member(organisation, *roles, email=f"user{number}@schema.example", name=who)
        tokens[who] = api_token_create(actor=actor_of(user, organisation), name="schemathesis")[1]
        if "caseworker" in roles:
            case_register(
                actor=actor_of(user, organisation),
                person=PersonDetails(
                    first_name="Testa", second_name="Fictionalia", birth_date=dt.date(2012, 5, 1)
                ),
            )
    for organisation in (org_a, org_a, org_b):
        services.report_submit(
            data=services.ReportInput(
                narrative="Fictional test narrative about a worrying situation.",
                country="ES",
                identifiers=[("phone", "612 345 678")],
            ),
            channel=Channel.PHONE,
            organisation=organisation,
        )
    records_extract_all()
    networks_rebuild()  # one network: two reports of A and one of B share the phone
    from safeguard.webhooks.services import endpoint_create

    admin = User.objects.get(email=f"user{list(ROLES).index('admin of A')}@schema.example")
    endpoint_create(
        actor=actor_of(admin, org_a), url="https://93.184.215.14/hook", event_types=["case.opened"]
    )
    spain = Region.objects.create(code="ES", name="Spain", level=RegionLevel.COUNTRY, country_code="ES")
    Region.objects.create(
        code="ES-MD", name="Madrid", level=RegionLevel.SUBDIVISION, country_code="ES", parent=spain
    )
    return tokens


def _exercise(operation: Any, mode: GenerationMode, tokens: dict[str, str], tally: Tally) -> None:
    """Generate the operation's cases and send each with every caller's token, and with none.

    Generating a case costs far more than sending it in-process, so every case is sent by
    every caller: each role meets the same valid and invalid input.
    """
    callers: list[tuple[str, dict[str, str]]] = [
        (who, {"Authorization": f"Token {token}"}) for who, token in sorted(tokens.items())
    ]
    callers.append(("anonymous", {}))

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def send(case: Any) -> None:
        for who, headers in callers:
            response = case.call(headers=headers)
            tally.requests += 1
            tally.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Failure, FailureGroup) as error:  # keep the first of each kind, report them all
                for failure in error.exceptions if isinstance(error, FailureGroup) else (error,):
                    key = f"{operation.label} [{mode.value}]: {failure.title}"
                    tally.failures.setdefault(key, f"{who} → {response.status_code}: {str(failure)[:400]}")

    try:
        send()
    except Unsatisfiable:
        # Nothing to make invalid (no parameters, no body): negative mode has no case to send.
        assert mode == GenerationMode.NEGATIVE, operation.label


def test_every_operation_answers_as_documented_and_never_5xx(
    org_a: Organisation,
    org_b: Organisation,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Generated webhook addresses are never looked up in DNS: every name is "unresolvable" (400).
    monkeypatch.setattr("safeguard.webhooks.destinations.resolve", lambda host, port: [])
    tokens = _world(org_a, org_b)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    operations = _operations(schema)
    tally = Tally()

    for operation in operations:
        for mode in EXAMPLES:
            _exercise(operation, mode, tokens, tally)

    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    with capsys.disabled():
        print(
            f"\nschemathesis: {len(operations)} operations, {tally.requests} requests, "
            f"{server_errors} 5xx, statuses {dict(sorted(tally.statuses.items()))}"
        )
        for key, detail in sorted(tally.failures.items()):
            print(f"FAILED CHECK {key}\n    {detail}")
    assert len(operations) >= 37
    assert tally.requests >= len(operations) * 6
    assert server_errors == 0
    assert "\n".join(f"{key}\n    {detail}" for key, detail in sorted(tally.failures.items())) == ""


# A token whose user lost every role answers 403 on every staff operation of the schema.
def test_a_token_without_roles_answers_only_403_on_every_operation(org_a: Organisation) -> None:
    from rest_framework.test import APIClient

    from safeguard.accounts.models import Membership

    user = make_member(org_a, "caseworker", email="gone@schema.example", name="Gone")
    key = api_token_create(actor=actor_of(user, org_a), name="t")[1]
    Membership.objects.filter(user=user).delete()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

    answers: dict[str, int] = {}
    for operation in _operations(schema):
        security = operation.definition.raw.get("security", [])
        if not security or {} in security:
            continue  # the anonymous public endpoints need no role by design
        response = getattr(client, operation.method.lower())(_fill(operation.path), {}, format="json")
        answers[f"{operation.method.upper()} {operation.path}"] = response.status_code

    assert len(answers) >= 30
    assert {label: status for label, status in answers.items() if status != 403} == {}


def _operations(schema: Any) -> list[Any]:
    """Every operation of the schema; a part schemathesis cannot read fails the test."""
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise AssertionError(f"unreadable schema part: {result.err()}")
        operations.append(result.ok())
    return operations


def _fill(path: str) -> str:
    """A concrete path: every ``{param}`` becomes 1 (``{code}`` a region code)."""
    parts = []
    for part in path.split("/"):
        if part.startswith("{"):
            parts.append("ES" if part == "{code}" else "1")
        else:
            parts.append(part)
    return "/".join(parts)
