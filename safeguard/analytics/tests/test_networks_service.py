"""Extraction → mentions → networks on a small set of reports, with the exact networks expected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from safeguard.analytics.models import Entity, EntityKind, Mention, Network, NetworkMembership
from safeguard.analytics.services.entities import entity_index, records_extract_all
from safeguard.analytics.services.networks import networks_rebuild, record_analyse
from safeguard.intake.models import Report

pytestmark = pytest.mark.django_db


def _networks() -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for network_id, record_type, record_id in NetworkMembership.objects.values_list(
        "network_id", "record_type", "record_id"
    ):
        groups.setdefault(network_id, set()).add(f"{record_type}:{record_id}")
    return {frozenset(group) for group in groups.values()}


@pytest.fixture
def reports(submit: Callable[..., Report]) -> dict[str, Report]:
    return {
        "r1": submit(identifiers=[("phone", "612 345 678"), ("email", "jobs@agency-x.example")]),
        "r2": submit(narrative="Call the recruiter on +34 612-345-678 tonight."),
        "r3": submit(identifiers=[("email", "JOBS@agency-x.example"), ("handle", "@vex_doe")]),
        "r4": submit(narrative="He writes to the girls as @vex_doe on the app."),
        "r5": submit(identifiers=[("phone", "699 111 222")]),
        "r6": submit(identifiers=[("email", "one.person@gmail.com")]),
        "r7": submit(identifiers=[("email", "someone.else@gmail.com")]),
    }


def test_rebuild_finds_exactly_the_linked_reports(reports: Any) -> None:
    records_extract_all()
    result = networks_rebuild()

    key = {name: f"report:{report.pk}" for name, report in reports.items()}
    assert _networks() == {frozenset({key["r1"], key["r2"], key["r3"], key["r4"]})}
    assert result["networks"] == 1
    network = Network.objects.get()
    assert network.size == 4
    # The phone, the e-mail, its domain and the handle are shared; gmail.com links nothing.
    assert network.entity_count == 4
    assert Entity.objects.get(kind=EntityKind.DOMAIN, key_index=entity_index("domain", "gmail.com")).is_stop


def test_rebuild_keeps_network_ids(reports: Any, submit: Callable[..., Report]) -> None:
    records_extract_all()
    networks_rebuild()
    first = Network.objects.get().pk
    submit(identifiers=[("handle", "vex_doe")])
    records_extract_all()
    networks_rebuild()
    assert list(Network.objects.values_list("pk", "size")) == [(first, 5)]


def test_sensitive_keys_are_never_stored_in_plaintext(reports: Any) -> None:
    records_extract_all()
    phone = Entity.objects.get(kind=EntityKind.PHONE, mentions__record_id=reports["r5"].pk)
    assert phone.label == ""
    assert phone.value == "+34699111222"
    assert phone.key_index == entity_index("phone", "+34699111222")
    with connection.cursor() as cursor:
        cursor.execute("SELECT label, value, key_index FROM analytics_entity WHERE kind = 'phone'")
        stored = cursor.fetchall()
    assert stored
    for label, value, key_index in stored:
        assert label == ""
        assert value.startswith("sg1:")
        assert "+34" not in key_index


def test_incremental_attach_links_a_new_record_without_a_rebuild(submit: Callable[..., Report]) -> None:
    first = submit(identifiers=[("phone", "612 345 678")])
    second = submit(identifiers=[("phone", "+34612345678")])
    assert record_analyse(record_type="report", record_id=first.pk) is None
    touch = record_analyse(record_type="report", record_id=second.pk)

    assert touch is not None
    assert _networks() == {frozenset({f"report:{first.pk}", f"report:{second.pk}"})}
    assert [entity.kind for entity in touch.shared] == ["phone"]
    assert Entity.objects.get(kind="phone").network_id == touch.network.pk


def test_re_extraction_drops_stale_mentions(submit: Callable[..., Report]) -> None:
    report = submit(identifiers=[("phone", "612 345 678")])
    record_analyse(record_type="report", record_id=report.pk)
    assert Mention.objects.filter(record_id=report.pk, entity__kind="phone").count() == 1
    report.identifiers.all().delete()
    record_analyse(record_type="report", record_id=report.pk)
    assert Mention.objects.filter(record_id=report.pk, entity__kind="phone").count() == 0
    assert Entity.objects.get(kind="phone").record_count == 0
