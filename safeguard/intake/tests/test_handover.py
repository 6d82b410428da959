"""Hand-overs that close the loop: a routed report is offered → accepted or declined → outcome.

Alpha Helpline (org A, a hotline: operator Bob) hands reports to Beta Foundation (org B, an NGO:
operator Otto, supervisors Sam and Sid, analyst Bea, caseworker Cleo). Gamma Shelter is a third
organisation that must never reach them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import OrganisationKind, Role
from safeguard.cases.models import Case
from safeguard.cases.services.closure import case_decide_closure, case_request_closure
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.core.models import AuditEvent
from safeguard.intake.choices import HandoverOutcome, HandoverStatus, NotificationKind, Status, Urgency
from safeguard.intake.models import HandoverSettings, Notification, Report, ReportEvent, ReportRoute
from safeguard.intake.selectors import queue_counts, triage_queue
from safeguard.intake.services.handover import handover_accept, handover_close, handover_decline
from safeguard.intake.services.routing import report_route
from safeguard.intake.services.triage import report_add_note, report_ask_reporter
from safeguard.testing.fixtures import OrganisationFactory, actor_of, make_member

pytestmark = pytest.mark.django_db

CHILD_NAME = "Zephyrine"


@pytest.fixture
def sam(org_b: Organisation) -> User:
    return make_member(org_b, Role.SUPERVISOR, email="sam@beta.example", name="Sam Supervisor")


@pytest.fixture
def sid(org_b: Organisation) -> User:
    return make_member(org_b, Role.SUPERVISOR, email="sid@beta.example", name="Sid Supervisor")


@pytest.fixture
def bea(org_b: Organisation) -> User:
    return make_member(org_b, Role.ANALYST, email="bea@beta.example", name="Bea Analyst")


@pytest.fixture
def gus(db: None) -> User:
    gamma = OrganisationFactory.create(name="Gamma Shelter", slug="gamma", kind=OrganisationKind.NGO)
    return make_member(gamma, Role.OPERATOR, Role.SUPERVISOR, email="gus@gamma.example", name="Gus Gamma")


@pytest.fixture
def routed(make_report: Any, bob: User, org_a: Organisation, org_b: Organisation) -> ReportRoute:
    """A critical report of org A, handed to org B by hand."""
    report = make_report(child_in_danger="yes", children=[{"age": 9}], country="ES")
    assert report.urgency == Urgency.CRITICAL
    route = report_route(report=report, organisation=org_b, actor=actor_of(bob, org_a))
    route.receipt = report.receipt  # type: ignore[attr-defined]
    return route


def _org_of(user: User) -> Organisation:
    membership = user.memberships.first()
    assert membership is not None
    return membership.organisation


def _side_effects(route: ReportRoute) -> tuple[int, int, int]:
    return (
        ReportEvent.objects.filter(report=route.report).count(),
        AuditEvent.objects.filter(action__startswith="handover.").count(),
        Notification.objects.count(),
    )


def test_a_routed_report_is_work_in_the_receivers_queue_and_counters(
    routed: ReportRoute, operator_b: User, sam: User, org_b: Organisation, client_for: Any
) -> None:
    actor = actor_of(operator_b, org_b)
    assert list(triage_queue(actor)) == [routed.report]
    assert list(triage_queue(actor, status="offered")) == [routed.report]
    counts = queue_counts(actor)
    assert counts["open"] == 1 and counts["offered"] == 1 and counts["unassigned"] == 1
    assert dict(counts["by_level"])["critical"] == 1
    client = client_for(sam)
    dashboard = client.get("/dashboard/").content.decode()
    assert "1 open" in dashboard and "0 open" not in dashboard
    queue = client.get("/reports/").content.decode()
    assert routed.report.reference in queue


def test_the_counters_count_own_work_and_hand_overs_once_each_and_nothing_else(
    routed: ReportRoute,
    make_report: Any,
    operator_b: User,
    bob: User,
    org_a: Organisation,
    org_b: Organisation,
    client_for: Any,
) -> None:
    # Org B: two open reports of its own, one closed, the open hand-over from A, one it declined.
    make_report(organisation=org_b)
    make_report(organisation=org_b)
    Report.objects.filter(pk=make_report(organisation=org_b).pk).update(status=Status.CLOSED)
    declined = report_route(report=make_report(), organisation=org_b, actor=actor_of(bob, org_a))
    declined.status = HandoverStatus.DECLINED
    declined.save()
    for user, organisation in ((operator_b, org_b), (bob, org_a)):
        actor = actor_of(user, organisation)
        counts = queue_counts(actor)
        work = list(triage_queue(actor))
        assert counts["open"] == len(work) == sum(count for _name, count in counts["by_level"])
        assert counts["unassigned"] == len(triage_queue(actor, assignee="none"))
        assert counts["offered"] == len(triage_queue(actor, status="offered"))
    assert queue_counts(actor_of(operator_b, org_b))["open"] == 3  # two of its own open, one handed over
    # The queue's pages: the open work counted by the counters, a narrower list by itself.
    client = client_for(operator_b)
    for query, total in (("", 3), ("?page=1&sort=-received", 3), ("?urgency=4", 1), ("?status=closed", 1)):
        assert client.get(f"/reports/{query}").context["page"].paginator.count == total, query


@pytest.mark.parametrize("who", ["operator_b", "sam"])
def test_the_receivers_operator_and_supervisor_accept_it(
    who: str, routed: ReportRoute, org_b: Organisation, request: pytest.FixtureRequest, client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    user = request.getfixturevalue(who)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(f"/reports/{routed.report_id}/handover/accept/")
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.status == HandoverStatus.ACCEPTED and routed.responded_by == user
    event = ReportEvent.objects.get(report=routed.report, kind="handover_accepted")
    assert event.organisation == org_b and event.detail == {"route": routed.pk, "to_organisation": org_b.pk}
    assert AuditEvent.objects.filter(action="handover.accepted", organisation=org_b).count() == 1
    assert list(Notification.objects.filter(kind=NotificationKind.HANDOVER_ACCEPTED).values_list("recipient__email", flat=True)) == ["bob@alpha.example"]  # fmt: skip
    assert counts_after_accept(user, org_b)["mine"] == 1


def counts_after_accept(user: User, organisation: Organisation) -> dict[str, Any]:
    return queue_counts(actor_of(user, organisation))


def test_nobody_else_acts_on_the_receivers_side(
    routed: ReportRoute, bob: User, bea: User, gus: User, org_a: Organisation, org_b: Organisation, client_for: Any
) -> None:  # fmt: skip
    before = _side_effects(routed)
    # A third organisation: not found on the page and the API, refused by the service.
    stranger = client_for(gus)
    assert stranger.post(f"/reports/{routed.report_id}/handover/accept/").status_code == 404
    assert stranger.get(f"/reports/{routed.report_id}/").status_code == 404
    assert stranger.post(f"/api/v1/handovers/{routed.pk}/accept").status_code == 404
    assert stranger.get(f"/api/v1/handovers/{routed.pk}").status_code == 404
    with pytest.raises(PermissionDenied):
        handover_accept(route=routed, actor=actor_of(gus, _org_of(gus)))
    # The sender cannot answer its own hand-over for the receiver.
    sender = client_for(bob)
    assert sender.post(f"/reports/{routed.report_id}/handover/accept/").status_code == 404
    assert sender.post(f"/api/v1/handovers/{routed.pk}/accept").status_code == 404
    with pytest.raises(PermissionDenied):
        handover_accept(route=routed, actor=actor_of(bob, org_a))
    with pytest.raises(PermissionDenied):
        handover_decline(route=routed, reason="not mine", actor=actor_of(bob, org_a))
    # An analyst of the receiver reads but does not answer.
    assert client_for(bea).post(f"/reports/{routed.report_id}/handover/accept/").status_code == 403
    with pytest.raises(PermissionDenied):
        handover_accept(route=routed, actor=actor_of(bea, org_b))
    routed.refresh_from_db()
    assert routed.status == HandoverStatus.OFFERED and routed.responded_by is None
    assert _side_effects(routed) == before
    assert (
        not AuditEvent.objects.filter(organisation=_org_of(gus)).exclude(action__startswith="auth.").exists()
    )


def test_before_accepting_the_receiver_cannot_work_on_it_or_open_a_case(
    routed: ReportRoute, sam: User, org_b: Organisation, client_for: Any
) -> None:
    actor = actor_of(sam, org_b)
    with pytest.raises(PermissionDenied):
        report_add_note(report=routed.report, body="ours", actor=actor)
    with pytest.raises(PermissionDenied):
        case_register(actor=actor, person=PersonDetails(first_name=CHILD_NAME), source_report=routed.report)
    assert not Case.objects.exists()
    page = client_for(sam).get(f"/cases/new/?report={routed.report_id}")
    assert page.context["report"] is None


def test_decline_needs_a_reason_and_returns_the_report_to_its_sender(
    routed: ReportRoute, operator_b: User, bob: User, org_a: Organisation, org_b: Organisation, client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = client_for(operator_b)
    before = _side_effects(routed)
    blank = client.post(f"/reports/{routed.report_id}/handover/decline/", {"reason": "  "}, follow=True)
    assert "This field is required." in blank.content.decode()
    api_blank = client.post(f"/api/v1/handovers/{routed.pk}/decline", {}, content_type="application/json")
    assert api_blank.status_code == 400 and "reason" in api_blank.json()["error"]["fields"]
    with pytest.raises(ValidationError):
        handover_decline(route=routed, reason=" ", actor=actor_of(operator_b, org_b))
    assert _side_effects(routed) == before
    reason = "Outside the region we work in; the Gamma shelter covers it."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/{routed.report_id}/handover/decline/", {"reason": reason})
    assert response.status_code == 302
    routed.refresh_from_db()
    routed.report.refresh_from_db()
    assert routed.status == HandoverStatus.DECLINED and routed.decline_reason == reason
    assert routed.report.status == Status.IN_TRIAGE  # back in the sender's triage
    assert Notification.objects.filter(kind=NotificationKind.HANDOVER_DECLINED, recipient=bob).count() == 1
    sender_page = client_for(bob).get(f"/reports/{routed.report_id}/").content.decode()
    history = sender_page.split('class="timeline"')[1]
    assert "Hand-over declined" in history and reason in history and "Beta Foundation" in history
    assert "Otto Operator" not in history
    # Declined: the receiver no longer sees it, nor can act on it.
    assert routed.report not in triage_queue(actor_of(operator_b, org_b), status="all")
    assert client.get(f"/reports/{routed.report_id}/").status_code == 404
    assert client.post(f"/reports/{routed.report_id}/handover/accept/").status_code == 404
    assert client.post(f"/reports/{routed.report_id}/notes/", {"body": "late"}).status_code == 404
    with pytest.raises(PermissionDenied):
        report_add_note(report=routed.report, body="late", actor=actor_of(operator_b, org_b))
    with pytest.raises(ValidationError):
        handover_accept(route=routed, actor=actor_of(operator_b, org_b))
    assert not routed.report.notes.exists()
    # The sender may offer it again.
    again = report_route(report=routed.report, organisation=org_b, actor=actor_of(bob, org_a))
    assert again.pk == routed.pk and again.status == HandoverStatus.OFFERED


def test_the_receiver_asks_the_reporter_in_the_one_conversation(
    make_report: Any, bob: User, sam: User, org_a: Organisation, org_b: Organisation, client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    report = make_report()
    route = report_route(report=report, organisation=org_b, actor=actor_of(bob, org_a))
    handover_accept(route=route, actor=actor_of(sam, org_b))
    report_ask_reporter(report=report, body="Which town was it?", actor=actor_of(bob, org_a))
    report_ask_reporter(report=report, body="Is the child at school?", actor=actor_of(sam, org_b))
    report_add_note(report=report, body="Beta's private note", actor=actor_of(sam, org_b))
    page = client.post("/report/follow-up/", {"receipt": report.receipt}).content.decode()
    assert "Which town was it?" in page and "Is the child at school?" in page
    assert "Being handled by a child-protection organisation" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/report/follow-up/", {"receipt": report.receipt, "message": "Yes, at the fictional school."}
        )
    told = Notification.objects.filter(kind=NotificationKind.REPORTER_REPLIED)
    assert sorted(told.values_list("recipient__email", flat=True)) == [
        "bob@alpha.example",
        "sam@beta.example",
    ]


def test_a_routed_report_becomes_a_case_at_the_ngo_and_the_sender_sees_only_case_opened(
    routed: ReportRoute, bob: User, sam: User, sid: User, org_a: Organisation, org_b: Organisation,
    client_for: Any, client: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    ngo = client_for(sam)
    ngo.post(f"/reports/{routed.report_id}/handover/accept/")
    assert (
        f"/cases/new/?report={routed.report_id}" in ngo.get(f"/reports/{routed.report_id}/").content.decode()
    )
    ngo.post(f"/reports/{routed.report_id}/notes/", {"body": "Beta's note: met the family (fictional)."})
    form = ngo.get(f"/cases/new/?report={routed.report_id}")
    assert form.context["report"] == routed.report and form.context["form"].initial["estimated_age"] == 9
    with django_capture_on_commit_callbacks(execute=True):
        created = ngo.post(
            f"/cases/new/?report={routed.report_id}",
            {"first_name": CHILD_NAME, "second_name": "Quillfeather", "gender": "Feminine",
             "estimated_age": "9", "country": "ES", "trafficking_status": "PossibleVictimOfTrafficking",
             "risk_level": "high", "report": str(routed.report_id)},
        )  # fmt: skip
    assert created.status_code == 302
    case = Case.objects.get()
    assert case.organisation == org_b and case.source_report == routed.report
    routed.refresh_from_db()
    assert routed.status == HandoverStatus.CASE_OPENED and routed.case_opened_at is not None
    assert Notification.objects.filter(kind=NotificationKind.HANDOVER_CASE_OPENED, recipient=bob).count() == 1

    sender = client_for(bob)
    page = sender.get(f"/reports/{routed.report_id}/").content.decode()
    api = sender.get("/api/v1/handovers?direction=outgoing").content.decode()
    assert "Case opened by Beta Foundation" in page
    assert '"status":"case_opened"' in api and '"to_organisation":"Beta Foundation"' in api
    for secret in (case.reference, CHILD_NAME, "Quillfeather", "met the family", "Sam Supervisor", f"/cases/{case.pk}/"):  # fmt: skip
        assert secret not in page and secret not in api
    assert sender.get(f"/cases/{case.pk}/").status_code in (403, 404)
    assert not [key for event in routed.report.events.all() for key in event.detail if "case" in key]

    # The case closes (four eyes): the hand-over closes, the sender sees the outcome.
    case_request_closure(
        actor=actor_of(sam, org_b),
        case=case,
        reason_code="reintegrated",
        reason="Reunited with family (fictional).",
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_decide_closure(actor=actor_of(sid, org_b), case=case, approve=True)
    routed.refresh_from_db()
    assert routed.status == HandoverStatus.CLOSED and routed.outcome == HandoverOutcome.CASE_CLOSED
    assert Notification.objects.filter(kind=NotificationKind.HANDOVER_CLOSED, recipient=bob).count() == 1
    page = sender.get(f"/reports/{routed.report_id}/").content.decode()
    assert "The case was closed" in page and "Reunited" not in page and CHILD_NAME not in page
    receipt = routed.receipt  # type: ignore[attr-defined]
    follow_up = client.post("/report/follow-up/", {"receipt": receipt}).content.decode()
    assert "Being handled by a child-protection organisation" in follow_up


def test_the_receiver_closes_a_hand_over_without_a_case(
    routed: ReportRoute, operator_b: User, org_b: Organisation, client_for: Any
) -> None:
    client = client_for(operator_b)
    assert client.post(f"/api/v1/handovers/{routed.pk}/close", {"outcome": "handled"}, content_type="application/json").status_code == 400  # fmt: skip
    accepted = client.post(f"/api/v1/handovers/{routed.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["direction"] == "incoming"
    bad = client.post(f"/api/v1/handovers/{routed.pk}/close", {"outcome": "vanished"}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "outcome" in bad.json()["error"]["fields"]
    closed = client.post(f"/api/v1/handovers/{routed.pk}/close", {"outcome": "handled"}, content_type="application/json")  # fmt: skip
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    with pytest.raises(ValidationError):
        handover_close(route=ReportRoute.objects.get(), outcome="handled", actor=actor_of(operator_b, org_b))
    assert list(triage_queue(actor_of(operator_b, org_b))) == []


def test_hand_over_steps_are_emailed_when_the_organisation_asks(
    routed: ReportRoute, operator_b: User, alice: User, org_a: Organisation, org_b: Organisation,
    client_for: Any, django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    org_a.contact_email = "desk@alpha.example"
    org_a.save(update_fields=["contact_email"])
    with django_capture_on_commit_callbacks(execute=True):
        handover_accept(route=routed, actor=actor_of(operator_b, org_b))
    assert mail.outbox == []  # off by default
    response = client_for(alice).post("/reports/routing/handover-emails/", {"email_steps": "on"})
    assert response.status_code == 302 and HandoverSettings.objects.get(organisation=org_a).email_steps
    with django_capture_on_commit_callbacks(execute=True):
        handover_close(route=routed, outcome=HandoverOutcome.HANDLED, actor=actor_of(operator_b, org_b))
    assert [message.to for message in mail.outbox] == [["desk@alpha.example"]]
    assert routed.report.reference in mail.outbox[0].subject
    assert "Fictional" not in mail.outbox[0].body
    assert (
        client_for(operator_b).post("/reports/routing/handover-emails/", {"email_steps": "on"}).status_code
        == 403
    )


def test_handovers_are_in_the_openapi_schema(client: Any) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/handovers", "/api/v1/handovers/{id}", "/api/v1/handovers/{id}/accept",
                 "/api/v1/handovers/{id}/decline", "/api/v1/handovers/{id}/close"):  # fmt: skip
        assert path in schema["paths"], path


def test_a_caseworker_of_the_receiver_opens_the_case_once_a_supervisor_accepted(
    routed: ReportRoute, sam: User, org_b: Organisation, gus: User, client_for: Any
) -> None:
    cleo = make_member(org_b, Role.CASEWORKER, email="cleo@beta.example", name="Cleo Caseworker")
    assert client_for(cleo).get("/reports/").status_code == 403  # no triage queue by role
    handover_accept(route=routed, actor=actor_of(sam, org_b))
    case = case_register(actor=actor_of(cleo, org_b), person=PersonDetails(first_name=CHILD_NAME), source_report=routed.report)  # fmt: skip
    routed.refresh_from_db()
    assert routed.status == HandoverStatus.CASE_OPENED and case.organisation == org_b
    # A caseworker of a third organisation cannot open a case from it.
    gamma = _org_of(gus)
    outsider = make_member(gamma, Role.CASEWORKER, email="cy@gamma.example")
    with pytest.raises(PermissionDenied):
        case_register(actor=actor_of(outsider, gamma), person=PersonDetails(first_name="X"), source_report=routed.report)  # fmt: skip
    assert Case.objects.count() == 1
