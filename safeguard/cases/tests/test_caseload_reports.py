"""Caseload reports on a fixture with known answers: figures, scope, period, exports, refusals.

Org A: team North (caseworker Cara, supervisor Sue); caseworker Carl in no team; supervisor
Sid in no team; programme manager Pam sees the whole organisation. Org B has a case with every
kind of record, which no one of org A ever counts. Day 0 (``base``) is 60 days ago.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from safeguard.accounts.models import Organisation, User
from safeguard.cases.caseload import (
    Band,
    CaseworkerLoad,
    ClosureRow,
    OverdueFollowUps,
    Period,
    ReferralRow,
    caseload_report,
    spreadsheet_value,
)
from safeguard.cases.models import (
    Assessment,
    CarePlan,
    Case,
    CaseStatus,
    FollowUp,
    PlanStatus,
    Referral,
    ReferralStatus,
    ServiceRecord,
)
from safeguard.cases.tests.conftest import register
from safeguard.core.audit import AuditEvent
from safeguard.directory.models import Service, ServiceKind
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BASE = TODAY - timedelta(days=60)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def on(days: int) -> date:
    return BASE + timedelta(days=days)


def registered(case: Case, day: date) -> Case:
    Case.objects.filter(pk=case.pk).update(registered_at=at(day))
    return case


def assessed(case: Case, day: date, by: User) -> None:
    ratings = dict.fromkeys(
        ["immediate_safety", "medical", "psychological", "legal", "shelter", "education", "family_tracing"], 1
    )
    Assessment.objects.create(case=case, assessed_by=by, assessed_at=at(day), **ratings)


def plan(case: Case, by: User, *, approved_on: date | None) -> None:
    CarePlan.objects.create(
        case=case,
        goals="Synthetic goals",
        submitted_by=by,
        status=PlanStatus.APPROVED if approved_on else PlanStatus.SUBMITTED,
        decided_at=at(approved_on) if approved_on else None,
    )


def refer(case: Case, service: Service, by: User, need: str, status: str, created: date) -> Referral:
    return Referral.objects.create(
        case=case,
        service=service,
        provider=service.provider,
        need=need,
        status=status,
        summary="Synthetic summary",
        respond_by=created + timedelta(days=7),
        created_by=by,
        created_at=at(created),
    )


def follow_up(case: Case, by: User, due: date, *, done: bool = False) -> None:
    FollowUp.objects.create(
        case=case, due_on=due, purpose="Visit", scheduled_by=by, done_on=due if done else None
    )


def close(case: Case, reason: str, day: date) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closure_reason_code=reason, closed_at=at(day, 15)
    )


@pytest.fixture
def pam(org_a: Organisation) -> User:
    return make_member(org_a, "programme_manager", email="pam@alpha.example", name="Pam Programme")


@pytest.fixture
def pete(org_b: Organisation) -> User:
    return make_member(org_b, "programme_manager", email="pete@beta.example", name="Pete Programme")


@pytest.fixture
def world(cara, carl, sue, team_a, org_a, bert, org_b, shelter, shelter_service) -> dict[str, Case]:
    team_a.members.add(sue)
    medical = Service.objects.create(provider=shelter, kind=ServiceKind.MEDICAL, name="Haven clinic")
    c1, c2, c3, c6 = (register(actor_of(cara, org_a), first_name=f"Kida{i}") for i in range(4))
    c4, c5 = (register(actor_of(carl, org_a), first_name=f"Kidb{i}") for i in range(2))
    for case in (c1, c2, c3):
        registered(case, on(0))
    for case in (c4, c5):
        registered(case, on(1))
    registered(c6, TODAY - timedelta(days=400))  # before the default period, still open
    # Assessments: 2 and 4 days for Cara's cases (only the first of c2's counts), same day for c4.
    assessed(c1, on(2), cara)
    assessed(c2, on(4), cara)
    assessed(c2, on(20), cara)
    assessed(c4, on(1), carl)
    # Approved care plans: 10 days (c1) and 30 days (c4); c2's still awaits approval.
    plan(c1, cara, approved_on=on(10))
    plan(c2, cara, approved_on=None)
    plan(c4, carl, approved_on=on(31))
    # Referrals: two shelter (one completed, with services on days 7 and 5), one medical declined,
    # one legal before the period.
    done = refer(c1, shelter_service, cara, ServiceKind.SHELTER, ReferralStatus.COMPLETED, on(3))
    for day in (7, 5):
        ServiceRecord.objects.create(referral=done, delivered_on=on(day), note="Synthetic", recorded_by=cara)
    refer(c2, shelter_service, cara, ServiceKind.SHELTER, ReferralStatus.PENDING, on(3))
    refer(c4, medical, carl, ServiceKind.MEDICAL, ReferralStatus.DECLINED, on(2))
    refer(
        c6,
        shelter_service,
        cara,
        ServiceKind.LEGAL_AID,
        ReferralStatus.COMPLETED,
        TODAY - timedelta(days=390),
    )
    # Follow-ups: overdue (c1 five days, c4 two days); done, due later, and before the period are not.
    follow_up(c1, cara, TODAY - timedelta(days=5))
    follow_up(c1, cara, TODAY - timedelta(days=10), done=True)
    follow_up(c3, cara, TODAY + timedelta(days=3))
    follow_up(c4, carl, TODAY - timedelta(days=2))
    follow_up(c6, cara, TODAY - timedelta(days=500))
    close(c3, "aged_out", on(30))
    close(c5, "reintegrated", on(40))
    # Org B: every kind of record, never counted for org A.
    b1 = registered(register(actor_of(bert, org_b), first_name="Bela"), on(0))
    assessed(b1, on(1), bert)
    plan(b1, bert, approved_on=on(2))
    refer(b1, shelter_service, bert, ServiceKind.SHELTER, ReferralStatus.ACCEPTED, on(1))
    follow_up(b1, bert, TODAY - timedelta(days=1))
    b2 = registered(register(actor_of(bert, org_b), first_name="Belb"), on(0))
    close(b2, "died", on(5))
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6, "b1": b1}


DEFAULT = Period(TODAY - timedelta(days=364), TODAY)


def test_programme_manager_sees_the_whole_organisation_with_known_answers(world, pam, org_a) -> None:
    report = caseload_report(actor_of(pam, org_a), DEFAULT)
    assert report.organisation_wide is True
    assert report.caseworkers == [
        CaseworkerLoad("Cara Caseworker", open_at_end=3, registered=3, closed=1),
        CaseworkerLoad("Carl Caseworker", open_at_end=1, registered=2, closed=1),
    ]
    assessment, care_plan, service = report.times
    assert (assessment.registered, assessment.reached, assessment.not_reached) == (5, 3, 2)
    assert assessment.median_days == 2
    assert assessment.bands[:3] == [Band("same day", 1), Band("1–3 days", 1), Band("4–7 days", 1)]
    assert sum(band.cases for band in assessment.bands) == 3
    assert (care_plan.reached, care_plan.median_days) == (2, 20)
    assert [band.cases for band in care_plan.bands] == [0, 0, 0, 1, 1, 0, 0]  # 10 and 30 days
    assert (service.reached, service.median_days) == (1, 5)  # the first of the two services
    assert report.overdue == [
        OverdueFollowUps("Cara Caseworker", 1, TODAY - timedelta(days=5)),
        OverdueFollowUps("Carl Caseworker", 1, TODAY - timedelta(days=2)),
    ]
    assert report.referrals == [
        ReferralRow("Shelter", [1, 0, 0, 1, 0]),  # pending, accepted, declined, completed, cancelled
        ReferralRow("Medical care", [0, 0, 1, 0, 0]),
    ]
    assert report.closures == [ClosureRow("Aged out", 1), ClosureRow("Reintegrated with family", 1)]


def test_supervisor_sees_only_their_teams(world, sue, sid, org_a) -> None:
    report = caseload_report(actor_of(sue, org_a), DEFAULT)
    assert report.organisation_wide is False
    assert report.caseworkers == [CaseworkerLoad("Cara Caseworker", open_at_end=3, registered=3, closed=1)]
    assessment, care_plan, service = report.times
    assert (assessment.registered, assessment.reached, assessment.median_days) == (3, 2, 3.0)
    assert (care_plan.reached, care_plan.median_days) == (1, 10)
    assert (service.reached, service.median_days) == (1, 5)
    assert report.overdue == [OverdueFollowUps("Cara Caseworker", 1, TODAY - timedelta(days=5))]
    assert report.referrals == [ReferralRow("Shelter", [1, 0, 0, 1, 0])]
    assert report.closures == [ClosureRow("Aged out", 1)]
    # A supervisor in no team has nothing to report on, and sees nothing of the organisation.
    empty = caseload_report(actor_of(sid, org_a), DEFAULT)
    assert empty.caseworkers == [] and empty.overdue == [] and empty.referrals == [] and empty.closures == []
    assert [step.registered for step in empty.times] == [0, 0, 0]
    assert [step.median_days for step in empty.times] == [None, None, None]


def test_the_period_bounds_every_figure(world, pam, org_a) -> None:
    # Until day 35: Carl's second case closes on day 40, so it is still open at the period's end;
    # Cara's case registered 400 days ago is open at the end though registered before the period.
    report = caseload_report(actor_of(pam, org_a), Period(on(0), on(35)))
    assert report.caseworkers == [
        CaseworkerLoad("Cara Caseworker", open_at_end=3, registered=3, closed=1),
        CaseworkerLoad("Carl Caseworker", open_at_end=2, registered=2, closed=0),
    ]
    assert report.closures == [ClosureRow("Aged out", 1)]
    # Days 1 to 2: only Carl's cases were registered; only the medical referral was sent.
    narrow = caseload_report(actor_of(pam, org_a), Period(on(1), on(2)))
    assert [step.registered for step in narrow.times] == [2, 2, 2]
    assert narrow.times[0].median_days == 0
    assert narrow.referrals == [ReferralRow("Medical care", [0, 0, 1, 0, 0])]
    assert narrow.overdue == [] and narrow.closures == []


def test_another_organisation_is_never_counted(world, pete, beth, org_b) -> None:
    report = caseload_report(actor_of(pete, org_b), DEFAULT)
    assert report.caseworkers == [CaseworkerLoad("Bert Caseworker", open_at_end=1, registered=2, closed=1)]
    assert report.times[0].registered == 2 and report.times[0].median_days == 1
    assert report.referrals == [ReferralRow("Shelter", [0, 1, 0, 0, 0])]
    assert report.overdue == [OverdueFollowUps("Bert Caseworker", 1, TODAY - timedelta(days=1))]
    assert report.closures == [ClosureRow("Died", 1)]
    assert caseload_report(actor_of(beth, org_b), DEFAULT).caseworkers == []  # in no team of org B


@pytest.mark.parametrize("who", ["cara", "carl", "ana", "alice", "hana"])
def test_other_roles_are_refused(world, who, request, client_for, org_a) -> None:
    user = request.getfixturevalue(who)
    membership = user.memberships.first()
    with pytest.raises(PermissionDenied):
        caseload_report(actor_of(user, membership.organisation), DEFAULT)
    client = client_for(user)
    assert client.get("/cases/reports/").status_code == 403
    assert client.get("/cases/reports/export.csv").status_code == 403
    assert not AuditEvent.objects.filter(action="case.caseload_exported").exists()


def test_page_shows_charts_and_the_same_figures_in_tables(world, pam, client_for) -> None:
    client = client_for(pam)
    response = client.get("/cases/reports/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cases of the whole organisation" in page
    assert page.count('<svg class="caseload-chart"') == 7  # caseload, 3 times, overdue, referrals, closures
    assert '<th scope="row">Cara Caseworker</th><td>3</td><td>3</td><td>1</td>' in page
    assert '<th scope="row">Shelter</th><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>2</td>' in page
    assert (
        '<th scope="row">Registration to initial assessment</th><td>5</td><td>3</td><td>2</td><td>2</td>'
        in page
    )
    assert "Bela" not in page and "Kida" not in page  # counts only, no child is named
    nav = client.get("/dashboard/").content.decode()
    assert 'href="/cases/reports/"' in nav


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2020-05-01", "end": "2020-04-01"}, "start", "must be on or before its end"),
        ({"end": (TODAY + timedelta(days=1)).isoformat()}, "end", "cannot be in the future"),
        ({"start": "2000-01-01", "end": "2020-01-01"}, "start", "at most ten years"),
        ({"start": "not-a-date"}, "start", "Enter a valid date"),
    ],
)
def test_a_bad_period_is_a_clear_error_and_shows_no_figures(
    world, pam, client_for, query, field, message
) -> None:
    client = client_for(pam)
    response = client.get("/cases/reports/", query)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert "report" not in response.context
    export = client.get("/cases/reports/export.xlsx", query)
    assert export.status_code == 400 and message in export.content.decode()


def test_csv_export_has_every_figure_with_the_same_filters(world, pam, client_for) -> None:
    query = {"start": on(0).isoformat(), "end": on(35).isoformat()}
    response = client_for(pam).get("/cases/reports/export.csv", query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(row["period_start"], row["period_end"]) for row in rows} == {(query["start"], query["end"])}
    figures = {(row["report"], row["row"], row["column"]): row["value"] for row in rows}
    assert figures[("Open cases per caseworker", "Carl Caseworker", "Open at the end of the period")] == "2"
    assert figures[("Open cases per caseworker", "Carl Caseworker", "Closed in the period")] == "0"
    assert figures[("Time from registration", "Registration to approved care plan", "Median days")] == "20"
    assert figures[("Closures by reason", "Aged out", "Cases closed")] == "1"
    assert ("Closures by reason", "Reintegrated with family", "Cases closed") not in figures  # day 40
    assert figures[("Referrals by service type and outcome", "Shelter", "Total")] == "2"
    event = AuditEvent.objects.get(action="case.caseload_exported")
    assert event.detail == {"format": "csv", "start": query["start"], "end": query["end"]}


def test_xlsx_export_has_a_sheet_per_table(world, sue, client_for) -> None:
    response = client_for(sue).get("/cases/reports/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Period", "caseload", "time_to_step", "time_distribution", "overdue_follow_ups", "referrals", "closures",
    ]  # fmt: skip
    caseload = list(workbook["caseload"].values)
    assert caseload[2] == ("Cara Caseworker", 3, 3, 1)
    assert len(caseload) == 3  # title, header, Cara only: Carl is in no team of Sue's
    assert list(workbook["closures"].values)[2:] == [("Aged out", 1)]
    assert list(workbook["Period"].values)[1] == ("Until", TODAY.isoformat())


def test_formula_cells_are_neutralised(world, pam, org_a, client_for) -> None:
    User.objects.filter(email="cara@alpha.example").update(name='=HYPERLINK("http://x")')
    client = client_for(pam)
    text = client.get("/cases/reports/export.csv").content.decode()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    workbook = load_workbook(io.BytesIO(client.get("/cases/reports/export.xlsx").content))
    names = [row[0] for row in list(workbook["caseload"].values)[2:]]
    assert '\'=HYPERLINK("http://x")' in names
    assert all(cell.data_type != "f" for row in workbook["caseload"].iter_rows() for cell in row)
    assert [spreadsheet_value(v) for v in ("+1", "-2", "@x", 3, "ok")] == ["'+1", "'-2", "'@x", 3, "ok"]
