"""Training coverage: the campaign-target rule, the column and map layer on the risk targeting
page, completions over time; only the viewer's organisation's learners are counted."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.learning.coverage import CoverageInput, coverage_rows
from safeguard.learning.models import Course, Enrolment
from safeguard.learning.selectors import completions_in_regions, completions_per_month
from safeguard.risk.models import IndexRun, Region

pytestmark = pytest.mark.django_db


def _entry(region: str, *, high: bool, completions: int, children: int | None, people: int | None = None) -> CoverageInput:  # fmt: skip
    return CoverageInput(
        region=region,
        scored=True,
        high_vulnerability=high,
        completions=completions,
        child_population=children,
        population=people,
    )


def test_a_highly_vulnerable_region_with_low_coverage_per_child_is_a_campaign_target() -> None:
    rows, basis = coverage_rows(
        [
            _entry("A", high=True, completions=1, children=100_000),  # 1 per 100k
            _entry("B", high=True, completions=30, children=100_000),  # 30
            _entry("C", high=False, completions=10, children=50_000),  # 20
            _entry("D", high=False, completions=1, children=10_000),  # 10
            _entry("E", high=False, completions=1, children=20_000),  # 5: low, not vulnerable
        ]
    )
    assert basis == "children"
    # median 10 per 100k → threshold 5
    assert [(r.region, r.per_100k, r.low, r.campaign) for r in rows] == [
        ("A", 1.0, True, True),
        ("B", 30.0, False, False),
        ("C", 20.0, False, False),
        ("D", 10.0, False, False),
        ("E", 5.0, True, False),
    ]


def test_population_then_counts_are_compared_when_children_are_not_known() -> None:
    rows, basis = coverage_rows(
        [
            _entry("A", high=True, completions=2, children=None, people=200_000),
            _entry("B", high=False, completions=2, children=1000, people=20_000),
        ]
    )
    assert basis == "population"
    assert [r.per_100k for r in rows] == [1.0, 10.0]
    rows, basis = coverage_rows(
        [
            _entry("A", high=True, completions=0, children=None),
            _entry("B", high=False, completions=4, children=None),
        ]
    )
    assert basis == "count"
    assert [(r.per_100k, r.low, r.campaign) for r in rows] == [(None, True, True), (None, False, False)]


def _complete(user: User, organisation: Organisation, course: Course, region: str, when: Any = None) -> None:
    assert course.published_version is not None
    Enrolment.objects.create(
        user=user,
        course=course,
        version=course.published_version,
        organisation=organisation,
        region=region,
        language="en",
        completed_at=when or timezone.now(),
    )


@pytest.fixture
def learners(
    starter_courses: dict[str, Course],
    districts: dict[str, Region],
    org_a: Organisation,
    org_b: Organisation,
    member: Callable[..., User],
) -> None:
    """Org A: 5 completions in Alder (10 per 100k children), 2 in Birch (10), none in Cedar.
    Org B: 4 in Cedar — never counted for org A, else Cedar would not be low."""
    courses = list(starter_courses.values())
    a_users = [member(org_a, Role.OPERATOR, email=f"a{i}@alpha.example") for i in range(2)]
    b_user = member(org_b, Role.OPERATOR, email="b@beta.example")
    places = ["XT-A"] * 5 + ["XT-B"] * 2
    pairs = [(user, course) for user in a_users for course in courses]
    for (user, course), region in zip(pairs, places, strict=False):
        _complete(user, org_a, course, region)
    for course in courses:
        _complete(b_user, org_b, course, "XT-C")


def test_completions_count_in_enclosing_regions_for_the_viewers_organisation_only(
    learners: None, org_a: Organisation, org_b: Organisation
) -> None:
    assert completions_in_regions(organisation=org_a, codes=["XT", "XT-A", "XT-B", "XT-C", "FR"]) == {
        "XT": 7,
        "XT-A": 5,
        "XT-B": 2,
        "XT-C": 0,
        "FR": 0,
    }
    assert completions_in_regions(organisation=org_b, codes=["XT", "XT-C"]) == {"XT": 4, "XT-C": 4}


def test_targeting_page_shows_coverage_and_flags_the_campaign_target(
    learners: None, completed_run: IndexRun, manager: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(manager).get(f"/risk/runs/{completed_run.pk}/targeting/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<th scope="col">Training coverage</th>' in page
    assert "1 region is a campaign target." in page
    assert "Coverage compared: completions per 100,000 children" in page
    cells = {
        code: page.split(f'data-region="{code}">', 1)[1].split("</tr>", 1)[0].rsplit("<td", 1)[1].strip()
        for code in ["XT-A", "XT-B", "XT-C", "XT-D"]
    }
    assert cells["XT-A"] == 'class="coverage-cell">5 <span class="muted">(10.0)</span></td>'
    assert "Campaign target" in cells["XT-C"] and cells["XT-C"].startswith('class="coverage-cell">0 ')
    assert "Campaign target" not in cells["XT-B"]
    # The map layer: Cedar darkest, Dogwood has no shape; every other region coloured by the rule.
    assert '<path class="map-area coverage-campaign" data-region="XT-C"' in page
    assert '<path class="map-area coverage-ok" data-region="XT-A"' in page
    assert "Cedar: 0 completions (0.0 per 100,000 children) — high vulnerability" in page


def test_completions_over_time_by_audience_and_region(
    starter_courses: dict[str, Course],
    org_a: Organisation,
    org_b: Organisation,
    member: Callable[..., User],
    alice: User,
    charlie: User,
    client_for: Callable[[User], Client],
) -> None:
    now = timezone.now()
    two_months_ago = now - datetime.timedelta(days=62)
    user = member(org_a, Role.OPERATOR, email="x@alpha.example")
    _complete(user, org_a, starter_courses["frontline"], "ES-MD", now)
    _complete(user, org_a, starter_courses["parents"], "FR", two_months_ago)
    _complete(charlie, org_b, starter_courses["frontline"], "ES-MD", now)
    since = (now - datetime.timedelta(days=100)).date()
    month = timezone.localtime(now).strftime("%Y-%m")
    earlier = timezone.localtime(two_months_ago).strftime("%Y-%m")
    assert completions_per_month(organisation=org_a, since=since) == {
        ("frontline", month): 1,
        ("parents", earlier): 1,
    }
    assert completions_per_month(organisation=org_a, since=since, region="ES") == {("frontline", month): 1}

    page = client_for(alice).get("/learn/manage/coverage/?region=es")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Completions per month in ES" in html
    assert '<svg class="learning-chart"' in html and "<script>" not in html
    assert "1 completion in these months." in html
    # The all-time table by region: org A's two regions, never org B's completion.
    assert '<a href="?region=ES-MD">ES-MD</a></th><td>0</td><td>0</td><td>0</td><td>1</td>' in html
    assert '<a href="?region=FR">FR</a></th><td>0</td><td>1</td><td>0</td><td>0</td>' in html


def test_coverage_page_needs_learning_manage(bob: User, client_for: Callable[[User], Client]) -> None:
    assert client_for(bob).get("/learn/manage/coverage/").status_code == 403


def test_the_coverage_api_answers_for_the_callers_runs_only(
    learners: None,
    completed_run: IndexRun,
    manager: User,
    charlie: User,
    bob: User,
    client_for: Callable[[User], Client],
) -> None:
    as_manager = client_for(manager)
    response = as_manager.get(f"/api/v1/learning/coverage?run={completed_run.pk}")
    assert response.status_code == 200
    assert [
        (r["region"], r["completions"], r["per_100k"], r["campaign_target"]) for r in response.json()
    ] == [
        ("XT-C", 0, 0.0, True),
        ("XT-B", 2, 10.0, False),
        ("XT-A", 5, 10.0, False),
        ("XT-D", 0, None, False),
    ]
    assert as_manager.get("/api/v1/learning/coverage?run=x").status_code == 400
    assert client_for(charlie).get(f"/api/v1/learning/coverage?run={completed_run.pk}").status_code in (
        403,
        404,
    )
    assert client_for(bob).get(f"/api/v1/learning/coverage?run={completed_run.pk}").status_code == 403
