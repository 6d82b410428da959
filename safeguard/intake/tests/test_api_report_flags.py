"""``/api/v1/reports/{id}/flags`` and ``/api/v1/report-flags/{id}/resolve``: the report page's flags.

Through the services the page uses: operators and supervisors of the receiving organisation (or
of one that accepted a hand-over) raise and resolve flags; each organisation sees only its own.
A refused request leaves no flag, no timeline event and no audit event; a repeated
Idempotency-Key writes nothing new."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.services import api_token_create
from safeguard.core.models import AuditEvent
from safeguard.intake.models import Report, ReportEvent, ReportEventKind, ReportFlag
from safeguard.intake.services.flags import report_flag_raise
from safeguard.intake.services.handover import handover_accept
from safeguard.intake.services.routing import report_route
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

NOTE = "The caller sounded scared and hung up (fictional)."
FLAG = {"reason": "safety", "note": NOTE}

# Org A's operator and supervisor triage; its analyst reads reports but does not triage; the
# admins hold no report role; org B's operator cannot reach org A's report.
RAISE = {
    "bob": 201,
    "supervisor_a": 201,
    "analyst_a": 403,
    "alice": 403,
    "operator_b": 404,
    "analyst_b": 403,
    "charlie": 403,
}
# Reading: the analyst reads the flags as on the report page; org B's analyst cannot reach it.
READ = {**RAISE, "bob": 200, "supervisor_a": 200, "analyst_a": 200, "analyst_b": 404}
RESOLVE = {**RAISE, "bob": 200, "supervisor_a": 200}


def api(user: User, organisation: Organisation, scopes: list[str] | None = None) -> APIClient:
    client = APIClient()
    key = api_token_create(actor=actor_of(user, organisation), name="test", scopes=scopes or [])[1]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def report(make_report: Any) -> Report:
    return make_report()


@pytest.fixture
def open_flag(report: Report, bob: User, org_a: Organisation) -> ReportFlag:
    return report_flag_raise(actor=actor_of(bob, org_a), report=report, reason="supervisor", note=NOTE)


def caller(request: pytest.FixtureRequest, who: str) -> tuple[User, Organisation]:
    user: User = request.getfixturevalue(who)
    return user, user.memberships.get().organisation


@pytest.mark.parametrize(("who", "expected"), sorted(RAISE.items()))
def test_raising_a_flag_for_every_role_and_the_other_organisation(
    report, request: pytest.FixtureRequest, who, expected
) -> None:
    user, organisation = caller(request, who)
    response = api(user, organisation).post(f"/api/v1/reports/{report.pk}/flags", FLAG, format="json")

    assert response.status_code == expected, response.content
    raised = ReportEvent.objects.filter(report=report, kind=ReportEventKind.FLAG_RAISED)
    audited = AuditEvent.objects.filter(action="report.flag_raised", actor=user)
    if expected == 201:
        flag = ReportFlag.objects.get(report=report)
        assert response.json()["id"] == flag.pk
        assert (flag.reason, flag.note, flag.raised_by, flag.organisation) == (
            "safety",
            NOTE,
            user,
            organisation,
        )
        assert (raised.count(), audited.count()) == (1, 1)
        assert audited.get().detail == {"flag": flag.pk, "reason": "safety"}
    else:
        assert ReportFlag.objects.count() == 0
        assert (raised.count(), audited.count()) == (0, 0)


@pytest.mark.parametrize(("who", "expected"), sorted(READ.items()))
def test_listing_the_flags_for_every_role_and_the_other_organisation(
    report, open_flag, request: pytest.FixtureRequest, who, expected
) -> None:
    user, organisation = caller(request, who)
    response = api(user, organisation).get(f"/api/v1/reports/{report.pk}/flags")

    assert response.status_code == expected
    viewed = AuditEvent.objects.filter(action="report.viewed", actor=user).count()
    if expected == 200:
        assert [(row["id"], row["note"]) for row in response.json()["results"]] == [(open_flag.pk, NOTE)]
        assert viewed == 1
    else:
        assert NOTE not in response.content.decode()
        assert viewed == 0


@pytest.mark.parametrize(("who", "expected"), sorted(RESOLVE.items()))
def test_resolving_a_flag_for_every_role_and_the_other_organisation(
    open_flag, request: pytest.FixtureRequest, who, expected
) -> None:
    user, organisation = caller(request, who)
    response = api(user, organisation).post(
        f"/api/v1/report-flags/{open_flag.pk}/resolve", {"note": "Called back (fictional)."}, format="json"
    )

    assert response.status_code == expected, response.content
    open_flag.refresh_from_db()
    audited = AuditEvent.objects.filter(action="report.flag_resolved", actor=user).count()
    resolved = ReportEvent.objects.filter(report=open_flag.report, kind=ReportEventKind.FLAG_RESOLVED).count()
    if expected == 200:
        assert response.json()["resolution_note"] == "Called back (fictional)."
        assert (open_flag.resolved_by, open_flag.resolution_note) == (user, "Called back (fictional).")
        assert (resolved, audited) == (1, 1)
    else:
        assert (open_flag.resolved_at, open_flag.resolution_note) == (None, "")
        assert (resolved, audited) == (0, 0)


def test_a_receiver_flags_for_itself_and_the_sender_never_sees_it(
    report, open_flag, bob, operator_b, org_a, org_b
) -> None:
    route = report_route(report=report, organisation=org_b, actor=actor_of(bob, org_a))
    receiver, sender = api(operator_b, org_b), api(bob, org_a)
    path = f"/api/v1/reports/{report.pk}/flags"
    assert receiver.post(path, FLAG, format="json").status_code == 404  # offered, not yet accepted
    handover_accept(route=route, actor=actor_of(operator_b, org_b))

    raised = receiver.post(path, {"reason": "data_quality", "note": "Theirs (fictional)."}, format="json")

    assert raised.status_code == 201
    theirs = ReportFlag.objects.get(organisation=org_b)
    assert [row["id"] for row in receiver.get(path).json()["results"]] == [theirs.pk]
    assert [row["id"] for row in sender.get(path).json()["results"]] == [open_flag.pk]
    assert (
        receiver.post(
            f"/api/v1/report-flags/{open_flag.pk}/resolve", {"note": "x"}, format="json"
        ).status_code
        == 404
    )
    assert (
        sender.post(f"/api/v1/report-flags/{theirs.pk}/resolve", {"note": "x"}, format="json").status_code
        == 404
    )
    assert ReportFlag.objects.filter(resolved_at__isnull=False).count() == 0


def test_bad_input_and_a_second_resolution_are_refused(report, open_flag, bob, org_a) -> None:
    client = api(bob, org_a)
    resolve = f"/api/v1/report-flags/{open_flag.pk}/resolve"

    bad_reason = client.post(f"/api/v1/reports/{report.pk}/flags", {"reason": "bogus"}, format="json")
    blank = client.post(resolve, {"note": " "}, format="json")
    assert client.post(resolve, {"note": "Done (fictional)."}, format="json").status_code == 200
    again = client.post(resolve, {"note": "Twice."}, format="json")

    assert (bad_reason.status_code, list(bad_reason.json()["error"]["fields"])) == (400, ["reason"])
    assert (blank.status_code, list(blank.json()["error"]["fields"])) == (400, ["note"])
    assert (again.status_code, again.json()["error"]["fields"]) == (
        400,
        {"_": ["This flag is already resolved."]},
    )
    open_flag.refresh_from_db()
    assert open_flag.resolution_note == "Done (fictional)."
    assert ReportFlag.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.flag_resolved").count() == 1


def test_a_repeated_idempotency_key_raises_one_flag(report, bob, org_a) -> None:
    client = api(bob, org_a)
    path = f"/api/v1/reports/{report.pk}/flags"

    first = client.post(path, FLAG, format="json", HTTP_IDEMPOTENCY_KEY="flag-1")
    audits = AuditEvent.objects.count()
    again = client.post(path, FLAG, format="json", HTTP_IDEMPOTENCY_KEY="flag-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ReportFlag.objects.count() == 1
    assert AuditEvent.objects.count() == audits


def test_a_repeated_idempotency_key_resolves_once(open_flag, bob, org_a) -> None:
    client = api(bob, org_a)
    path = f"/api/v1/report-flags/{open_flag.pk}/resolve"

    first = client.post(path, {"note": "Done (fictional)."}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(path, {"note": "Done (fictional)."}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")

    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="report.flag_resolved").count() == 1


def test_a_read_scope_lists_but_does_not_raise(report, open_flag, bob, org_a) -> None:
    reader = api(bob, org_a, scopes=["reports:read"])
    cases_only = api(bob, org_a, scopes=["cases:write"])

    assert reader.get(f"/api/v1/reports/{report.pk}/flags").status_code == 200
    assert reader.post(f"/api/v1/reports/{report.pk}/flags", FLAG, format="json").status_code == 403
    assert (
        reader.post(f"/api/v1/report-flags/{open_flag.pk}/resolve", {"note": "x"}, format="json").status_code
        == 403
    )
    assert cases_only.get(f"/api/v1/reports/{report.pk}/flags").status_code == 403
    assert ReportFlag.objects.count() == 1
    open_flag.refresh_from_db()
    assert open_flag.resolved_at is None
