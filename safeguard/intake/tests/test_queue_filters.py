"""The triage queue's search, filters and sort: exact rows for each, in their order; a wrong value
is named on the page (400), never a server error; pages keep the filters; and nothing of another
organisation ever appears, whatever is searched."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.accounts.roles import Role
from safeguard.intake.choices import Channel, Status, Urgency
from safeguard.intake.models import Report
from safeguard.intake.services.flags import report_flag_raise, report_flag_resolve
from safeguard.intake.views import triage
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def rows(client: Client, url: str) -> list[str]:
    """The references the queue lists at ``url``, in the order shown."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return [report.reference for report, _hint in response.context["rows"]]


def with_state(report: Report, **fields: Any) -> Report:
    """Set columns the intake services decide (urgency, status, assignee…) directly, for the
    queue to be filtered and sorted by known values."""
    Report.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report


@pytest.fixture
def dana(org_a: Any) -> User:
    """A second operator of org A, to whom reports can be assigned."""
    return make_member(org_a, Role.OPERATOR, email="dana@alpha.example", name="Dana Operator")


@pytest.fixture
def three(make_report: Any, bob: User, dana: User) -> dict[str, Report]:
    """Three reports of org A with distinct values in every sortable column.

    first: oldest, high, new, web, ES-MD, English, Bob's, phone and e-mail named
    second: critical, in triage, phone call, FR, French, Dana's
    third: newest, low, needs information, SMS, ES-CT, Spanish, nobody's
    """
    now = timezone.now()
    first = make_report(
        narrative="first",
        country="ES",
        subdivision="ES-MD",
        language="en",
        created_at=now - timedelta(days=20),
        identifiers=[("phone", "+34 612 345 678"), ("email", "Vex.Doe@example.org")],
    )
    second = make_report(
        narrative="second",
        channel=Channel.PHONE,
        country="FR",
        language="fr",
        created_at=now - timedelta(days=10),
    )
    third = make_report(
        narrative="third",
        channel=Channel.SMS,
        country="ES",
        subdivision="ES-CT",
        language="es",
        created_at=now - timedelta(hours=1),
    )
    return {
        "first": with_state(first, urgency=Urgency.HIGH, status=Status.NEW, assigned_to=bob),
        "second": with_state(second, urgency=Urgency.CRITICAL, status=Status.IN_TRIAGE, assigned_to=dana),
        "third": with_state(third, urgency=Urgency.LOW, status=Status.NEEDS_INFORMATION, assigned_to=None),
    }


def refs(reports: dict[str, Report], *names: str) -> list[str]:
    return [reports[name].reference for name in names]


def test_each_filter_gives_exactly_its_rows(client_for: Any, bob: User, dana: User, three: Any) -> None:
    client = client_for(bob)
    today = timezone.localdate()
    expected = {
        "": ["second", "first", "third"],  # the queue's own order: most urgent, then oldest
        "status=in_triage": ["second"],
        "status=needs_information": ["third"],
        "status=closed": [],
        "urgency=4": ["second"],
        "urgency=1": ["third"],
        "assignee=me": ["first"],
        "assignee=none": ["third"],
        f"assignee={dana.pk}": ["second"],
        "channel=sms": ["third"],
        "channel=web": ["first"],
        "place=ES": ["first", "third"],
        "place=es-ct": ["third"],
        "place=FR": ["second"],
        f"received_from={today - timedelta(days=15)}": ["second", "third"],
        f"received_to={today - timedelta(days=15)}": ["first"],
        f"received_from={today - timedelta(days=10)}&received_to={today - timedelta(days=10)}": ["second"],
        "language=fr": ["second"],
        "language=es": ["third"],
        "urgency=3&channel=web&place=ES-MD&assignee=me": ["first"],
        "urgency=3&channel=sms": [],
    }
    got = {query: rows(client, f"/reports/?{query}") for query in expected}
    assert got == {query: refs(three, *names) for query, names in expected.items()}


def test_flag_filter_counts_open_flags_of_the_own_organisation_only(
    client_for: Any, bob: User, org_a: Any, three: Any
) -> None:
    actor = actor_of(bob, org_a)
    report_flag_raise(actor=actor, report=three["first"], reason="safety")
    resolved = report_flag_raise(actor=actor, report=three["second"], reason="supervisor")
    report_flag_resolve(actor=actor, flag=resolved, note="Talked it through.")
    client = client_for(bob)
    assert {
        flag: rows(client, f"/reports/?flag={flag}") for flag in ("any", "safety", "supervisor", "none")
    } == {
        "any": refs(three, "first"),
        "safety": refs(three, "first"),
        "supervisor": [],
        "none": refs(three, "second", "third"),
    }


def test_search_finds_a_reference_or_a_named_identifier(client_for: Any, bob: User, three: Any) -> None:
    client = client_for(bob)
    third = three["third"].reference
    assert rows(client, f"/reports/?q={third}") == [third]
    assert rows(client, f"/reports/?q={third[3:].lower()}") == [third]  # a part, any case
    assert rows(client, "/reports/?q=%2B34612345678") == refs(three, "first")  # the phone, written otherwise
    assert rows(client, "/reports/?q=vex.doe%40example.org") == refs(three, "first")
    assert rows(client, "/reports/?q=nobody%40example.org") == []
    # The narrative is encrypted and never searched.
    assert rows(client, "/reports/?q=second") == []


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("urgency", ["third", "first", "second"]),
        ("-urgency", ["second", "first", "third"]),
        ("received", ["first", "second", "third"]),
        ("-received", ["third", "second", "first"]),
        ("status", ["first", "second", "third"]),  # in workflow order: new, in triage, needs information
        ("-status", ["third", "second", "first"]),
        ("channel", ["second", "third", "first"]),  # phone, sms, web
        ("-channel", ["first", "third", "second"]),
        ("region", ["third", "first", "second"]),  # by country, then region: ES-CT, ES-MD, FR
        ("-region", ["second", "first", "third"]),
        ("assignee", ["first", "second", "third"]),  # Bob, Dana, then nobody (last either way)
        ("-assignee", ["second", "first", "third"]),
    ],
)
def test_each_column_sorts_both_ways(
    client_for: Any, bob: User, three: Any, sort: str, order: list[str]
) -> None:
    assert rows(client_for(bob), f"/reports/?status=all&sort={sort}") == refs(three, *order)


def test_the_subtitle_says_most_urgent_first_only_when_the_list_is_in_that_order(
    client_for: Any, bob: User, three: Any
) -> None:
    client = client_for(bob)
    for query, says_it in [
        ("", True),
        ("?sort=-urgency", True),
        ("?sort=received", False),
        ("?sort=-status", False),
    ]:
        page = client.get("/reports/" + query).content.decode()
        assert ("Most urgent first, then oldest first." in page) is says_it, query


def test_equal_values_keep_one_order_and_the_reference_sorts(
    client_for: Any, bob: User, make_report: Any
) -> None:
    same = [with_state(make_report(narrative=f"same {n}"), urgency=Urgency.MEDIUM) for n in range(3)]
    client = client_for(bob)
    by_id = [report.reference for report in same]
    assert rows(client, "/reports/?sort=urgency") == by_id
    assert rows(client, "/reports/?sort=-urgency") == by_id[::-1]
    assert rows(client, "/reports/?sort=reference") == sorted(by_id)
    assert rows(client, "/reports/?sort=-reference") == sorted(by_id, reverse=True)


def test_headings_link_to_ascending_then_descending(client_for: Any, bob: User, three: Any) -> None:
    client = client_for(bob)
    columns = {c["key"]: c for c in client.get("/reports/?channel=sms").context["columns"] if c["key"]}
    # Unsorted, the queue is by urgency, most urgent first; every link keeps the filters.
    assert (columns["urgency"]["aria"], columns["urgency"]["link"]) == (
        "descending",
        "?channel=sms&sort=urgency",
    )
    assert (columns["received"]["aria"], columns["received"]["link"]) == ("", "?channel=sms&sort=received")
    columns = {
        c["key"]: c for c in client.get("/reports/?channel=sms&sort=received").context["columns"] if c["key"]
    }
    assert (columns["received"]["aria"], columns["received"]["link"]) == (
        "ascending",
        "?channel=sms&sort=-received",
    )
    columns = {
        c["key"]: c for c in client.get("/reports/?channel=sms&sort=-received").context["columns"] if c["key"]
    }
    assert (columns["received"]["aria"], columns["received"]["link"]) == (
        "descending",
        "?channel=sms&sort=received",
    )
    page = client.get("/reports/?sort=-received").content.decode()
    assert 'aria-sort="descending"><a href="?sort=received" title="Sort ascending">Received' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("urgency=9", "Urgency: Select a valid choice. 9 is not one of the available choices."),
        ("status=deleted", "Status: Select a valid choice. deleted is not one of the available choices."),
        (
            "assignee=999999",
            "Assigned to: Select a valid choice. 999999 is not one of the available choices.",
        ),
        ("channel=pigeon", "Channel: Select a valid choice. pigeon is not one of the available choices."),
        ("language=xx", "Language: Select a valid choice. xx is not one of the available choices."),
        ("flag=red", "Flags: Select a valid choice. red is not one of the available choices."),
        ("place=ZZ-9", "Place: Enter a country code such as GB or a region code such as GB-ENG."),
        ("received_from=yesterday", "Received from: Enter a valid date."),
        (
            "received_from=2026-02-10&received_to=2026-02-01",
            "Received until: The end of the date range is before its start.",
        ),
        (
            "sort=receipt_hash",
            "Sort order: The list cannot be sorted by “receipt_hash”; choose a column heading.",
        ),
    ],
)
def test_a_wrong_filter_is_named_and_lists_nothing(
    client_for: Any, bob: User, three: Any, query: str, message: str
) -> None:
    response = client_for(bob).get(f"/reports/?{query}")
    assert response.status_code == 400
    assert response.context["rows"] == []
    page = response.content.decode()
    assert "These filters cannot be used; correct them to see the reports:" in page
    assert f"<li>{message}</li>" in page


def test_a_users_filter_names_only_own_organisation_members(
    client_for: Any, bob: User, charlie: User, three: Any
) -> None:
    response = client_for(bob).get(f"/reports/?assignee={charlie.pk}")
    assert response.status_code == 400


def test_pages_keep_the_filters(
    client_for: Any, bob: User, make_report: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(triage, "QUEUE_PAGE_SIZE", 2)
    sms = [make_report(narrative=f"sms {n}", channel=Channel.SMS) for n in range(3)]
    make_report(narrative="web")
    client = client_for(bob)
    first_page = client.get("/reports/?channel=sms&sort=received")
    assert 'href="?channel=sms&amp;sort=received&amp;page=2"' in first_page.content.decode()
    assert rows(client, "/reports/?channel=sms&sort=received&page=2") == [sms[2].reference]


def test_another_organisations_reports_never_appear(
    client_for: Any, bob: User, operator_b: User, org_b: Any, make_report: Any, three: Any
) -> None:
    theirs = make_report(
        organisation=org_b, narrative="theirs", identifiers=[("email", "vex.doe@example.org")]
    )
    client = client_for(bob)
    for query in (
        "status=all",
        f"q={theirs.reference}",
        "q=vex.doe%40example.org",
        "status=all&sort=-received",
    ):
        assert theirs.reference not in rows(client, f"/reports/?{query}")
    assert rows(client_for(operator_b), "/reports/?q=vex.doe%40example.org") == [theirs.reference]


def test_the_counters_name_each_level_in_the_readers_language(client_for: Any, bob: User, three: Any) -> None:
    page = client_for(bob).get("/reports/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    for level, count, label in [
        ("critical", 1, "Crítica"),
        ("high", 1, "Alta"),
        ("medium", 0, "Media"),
        ("low", 1, "Baja"),
    ]:
        assert f'<span class="badge badge-{level}">{count} {label}</span>' in page
    assert "1 critical" not in page
