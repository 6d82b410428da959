"""The public map of safe aggregates: exact suppression, the organisation's switch, no records shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.core.models import AuditEvent
from safeguard.intake import services as intake
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.sharing import public_map
from safeguard.sharing.services import budget_update
from safeguard.testing.fixtures import actor_of

COUNTS = {
    ("ES-MD", "2026-01"): 12,
    ("ES-MD", "2026-02"): 3,
    ("ES-B", "2026-01"): 4,
    ("ES-B", "2026-02"): 5,
    ("PT-11", "2026-02"): 9,
    ("", "2026-01"): 50,  # no region: never on the map
    ("ES-MD", "2025-01"): 100,  # outside the window
}


def test_suppression_at_the_default_threshold_is_exact() -> None:
    assert public_map.suppress(COUNTS, months=["2026-01", "2026-02"], threshold=10) == {
        # 15 over the window: shown; February's 3 is hidden. ES-B (9) and PT-11 (9) are left out.
        "ES-MD": {"2026-01": 12, "2026-02": None},
    }


def test_suppression_at_a_lower_threshold_is_exact() -> None:
    assert public_map.suppress(COUNTS, months=["2026-01", "2026-02"], threshold=5) == {
        "ES-B": {"2026-01": None, "2026-02": 5},  # 5 reaches the threshold, 4 does not
        "ES-MD": {"2026-01": 12, "2026-02": None},
        "PT-11": {"2026-01": None, "2026-02": 9},  # a month without records is hidden too, not "0"
    }


def test_months_are_the_twelve_calendar_months_up_to_today() -> None:
    assert public_map.month_keys(dt.date(2026, 2, 15), 3) == ["2025-12", "2026-01", "2026-02"]
    keys = public_map.month_keys(dt.date(2026, 12, 2))
    assert (len(keys), keys[0], keys[-1]) == (12, "2026-01", "2026-12")


def _this_and_last_month() -> tuple[dt.datetime, dt.datetime]:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime(today.year, today.month, 1, 0, 1))
    return start, start - dt.timedelta(days=1)


def _submit(organisation: Organisation, subdivision: str, at: dt.datetime, count: int) -> list[Report]:
    return [
        intake.report_submit(
            data=intake.ReportInput(
                narrative="Fictional narrative for the public map test.",
                country=subdivision[:2],
                subdivision=subdivision,
            ),
            channel=Channel.PHONE,
            organisation=organisation,
            created_at=at,
        ).report
        for _ in range(count)
    ]


@pytest.fixture
def reports(org_a: Organisation, org_b: Organisation, member: Callable[..., User]) -> dict[str, str]:
    """Threshold 5. ES-MD: 6 this month; ES-B: 2 this month, 4 last month (+1 duplicate); PT-11: 4; org B: 5."""
    budget_update(actor=actor_of(member(org_a, Role.ORG_ADMIN), org_a), total_epsilon=10, threshold=5)
    this_month, last_month = _this_and_last_month()
    _submit(org_a, "ES-MD", this_month, 6)
    _submit(org_a, "ES-B", this_month, 2)
    _submit(org_a, "ES-B", last_month, 4)
    duplicates = _submit(org_a, "ES-B", last_month, 1)
    Report.objects.filter(pk__in=[r.pk for r in duplicates]).update(outcome="duplicate", status="closed")
    _submit(org_a, "PT-11", this_month, 4)
    _submit(org_b, "PT-11", this_month, 5)
    return {"this": f"{this_month:%Y-%m}", "last": f"{last_month:%Y-%m}"}


@pytest.mark.django_db
def test_the_organisations_report_counts_are_suppressed_below_its_threshold(
    reports: dict[str, str], org_a: Organisation
) -> None:
    data = public_map.public_map_data(org_a, kind="reports")
    assert data.threshold == 5
    shown = {
        code: {month: n for month, n in row.items() if month in reports.values()}
        for code, row in data.areas.items()
    }
    # ES-B: 6 over the year, so listed, but 2 and 4 (the duplicate not counted) are each below 5.
    # PT-11: 4 of ours (org B's 5 are not ours), left out.
    assert shown == {
        "ES-B": {reports["last"]: None, reports["this"]: None},
        "ES-MD": {reports["last"]: None, reports["this"]: 6},
    }


@pytest.mark.django_db
def test_the_threshold_is_the_policys_but_never_below_five(
    org_a: Organisation, member: Callable[..., User]
) -> None:
    admin = actor_of(member(org_a, Role.ORG_ADMIN), org_a)
    budget_update(actor=admin, total_epsilon=10, threshold=25)
    assert public_map.threshold_of(org_a) == 25
    budget_update(actor=admin, total_epsilon=10, threshold=2)
    assert public_map.threshold_of(org_a) == public_map.MIN_THRESHOLD == 5


@pytest.mark.django_db
def test_cases_are_counted_by_the_childs_region(org_a: Organisation, member: Callable[..., User]) -> None:
    worker = actor_of(member(org_a, Role.CASEWORKER), org_a)
    this_month, _last = _this_and_last_month()
    for i in range(10):
        case_register(
            actor=worker,
            person=PersonDetails(
                first_name=f"Map{i}", second_name="Fictional", country="ES", subdivision="ES-CT"
            ),
            registered_at=this_month,
        )
    data = public_map.public_map_data(org_a, kind="cases")
    assert data.areas == {
        "ES-CT": {month: (10 if month == f"{this_month:%Y-%m}" else None) for month in data.months}
    }


@pytest.mark.django_db
def test_the_page_is_off_until_an_admin_turns_it_on_and_shows_no_record(
    reports: dict[str, str],
    org_a: Organisation,
    org_b: Organisation,
    member: Callable[..., User],
    client_for: Callable[[User], Client],
    client: Client,
) -> None:
    url = f"/statistics/{org_a.slug}/map/"
    assert client.get(url).status_code == 404
    # Another organisation's admin turns on only their own map.
    client_for(member(org_b, Role.ORG_ADMIN)).post("/releases/public-map/", {"enabled": "on"})
    assert (
        client.get(url).status_code == 404 and client.get(f"/statistics/{org_b.slug}/map/").status_code == 200
    )

    admin = member(org_a, Role.ORG_ADMIN, email="admin.map@alpha.example")
    admin_client = client_for(admin)
    response = admin_client.post("/releases/public-map/", {"enabled": "on"})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="sharing.public_map_updated", organisation=org_a).get()
    assert (event.detail, event.actor_id) == ({"before": False, "after": True}, admin.pk)

    page = client.get(url).content.decode()
    assert '<svg id="public-map" class="map"' in page
    assert (
        'data-region="ES-MD"' in page and 'data-region="ES-B"' in page and 'data-region="PT-11"' not in page
    )
    assert "Madrid, Comunidad de: 6 in" in page
    assert "Barcelona [Barcelona]: fewer than 5 in" in page  # ES-B this month
    assert "<td>6</td>" in page and page.count("&lt;&nbsp;5") == 23  # 12 months of ES-B + 11 of ES-MD
    assert "Fictional narrative" not in page and "SG-" not in page  # no record, no reference
    assert "<td>2</td>" not in page and "<td>4</td>" not in page

    cases = client.get(url + "?kind=cases").content.decode()
    assert "No region has enough records to be shown yet." in cases
    wrong = client.get(url + "?month=1999-01")
    assert wrong.status_code == 200 and "Select a valid choice." in wrong.content.decode()

    off = admin_client.post("/releases/public-map/", {})
    assert off.status_code == 302, off.content.decode()[-3000:]
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.PROGRAMME_MANAGER, Role.ANALYST])
def test_only_organisation_admins_change_the_setting(
    role: str, org_a: Organisation, member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    client = client_for(member(org_a, role))
    page = client.get("/releases/public-map/")
    assert page.status_code == 200 and "The public map is off." in page.content.decode()
    assert 'name="enabled"' not in page.content.decode()
    assert client.post("/releases/public-map/", {"enabled": "on"}).status_code == 403
    assert not public_map.public_map_enabled(org_a)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OPERATOR, Role.CASEWORKER, Role.LIAISON])
def test_roles_without_releases_cannot_open_the_setting(
    role: str, org_a: Organisation, member: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    assert client_for(member(org_a, role)).get("/releases/public-map/").status_code == 403


def test_a_kind_outside_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        public_map.public_map_data(Organisation(), kind="people")
