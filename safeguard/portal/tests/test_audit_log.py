"""The organisation audit log: sentences instead of codes, filters, and bad filter input explained
instead of a crash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safeguard.accounts.models import Organisation, User
from safeguard.accounts.roles import Role
from safeguard.cases.models import Case
from safeguard.cases.services.registration import PersonDetails, case_register
from safeguard.core.audit import audit_record
from safeguard.intake.choices import Channel
from safeguard.intake.models import Report
from safeguard.intake.services.submission import ReportInput, report_submit
from safeguard.intake.services.triage import report_assign
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def test_an_impossible_date_is_explained_and_the_other_filters_still_apply(
    alice: User, bob: User, org_a: Organisation, client_for: Callable[[User], Client]
) -> None:
    audit_record(action="case.viewed", actor=bob, organisation=org_a)
    audit_record(action="report.received", actor=None, organisation=org_a)

    response = client_for(alice).get("/audit/?since=2026-02-30&action=case.")

    page = response.content.decode()
    assert response.status_code == 400
    assert "From: Enter a valid date." in page
    assert 'value="2026-02-30"' in page
    assert "<code>case.viewed</code>" in page
    assert "<code>report.received</code>" not in page


def test_another_organisations_events_never_show(
    alice: User, charlie: User, org_a: Organisation, org_b: Organisation, client_for: Callable[[User], Client]
) -> None:
    audit_record(action="case.viewed", actor=charlie, organisation=org_b)

    page = client_for(alice).get("/audit/?action=case.").content.decode()

    assert "charlie@beta.example" not in page
    assert "No events match." in page


@dataclass
class Worked:
    report: Report
    case: Case


@pytest.fixture
def worked(bob: User, org_a: Organisation) -> Worked:
    """A report received by org A and assigned by Bob, and a case Cara registered, all through the services."""
    cara = make_member(org_a, Role.CASEWORKER, email="cara@alpha.example", name="Cara Caseworker")
    report = report_submit(
        data=ReportInput(narrative="Fictional test narrative."), channel=Channel.WEB, organisation=org_a
    ).report
    report_assign(report=report, assignee=bob, actor=actor_of(bob, org_a))
    case = case_register(actor=actor_of(cara, org_a), person=PersonDetails(first_name="Testa"))
    return Worked(report=report, case=case)


def test_the_log_reads_as_sentences_with_the_code_in_the_tooltip(
    alice: User, worked: Worked, client_for: Callable[[User], Client]
) -> None:
    page = client_for(alice).get("/audit/").content.decode()

    reference, case = worked.report.reference, worked.case.reference
    assert (
        f'<span class="audit-sentence" title="report.assigned">Bob Operator assigned report {reference}</span>'
        in page
    )
    assert (
        f'<span class="audit-sentence" title="case.registered">Cara Caseworker registered case {case}</span>'
        in page
    )
    assert (
        f'<span class="audit-sentence" title="report.received">Report {reference} was received</span>' in page
    )
    assert "<code>report.assigned</code>" in page
    # The child's name never shows; the record's label is its reference.
    assert "Testa" not in page


def test_the_log_reads_in_spanish(alice: User, worked: Worked, client_for: Callable[[User], Client]) -> None:
    page = client_for(alice).get("/audit/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    reference, case = worked.report.reference, worked.case.reference
    assert f'title="report.assigned">Bob Operator asignó la denuncia {reference}</span>' in page
    assert f'title="case.registered">Cara Caseworker registró el caso {case}</span>' in page
    assert f'title="report.received">Se recibió la denuncia {reference}</span>' in page
    assert "Qué ocurrió" in page


def test_an_admin_of_another_organisation_sees_none_of_the_sentences(
    charlie: User, worked: Worked, client_for: Callable[[User], Client]
) -> None:
    page = client_for(charlie).get("/audit/").content.decode()

    assert worked.report.reference not in page
    assert worked.case.reference not in page
    assert "Bob Operator" not in page
    assert 'title="report.assigned"' not in page


def test_records_are_named_in_one_query_per_kind_not_per_row(
    alice: User, bob: User, org_a: Organisation, worked: Worked, client_for: Callable[[User], Client]
) -> None:
    client = client_for(alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    for _ in range(5):
        report = report_submit(
            data=ReportInput(narrative="Another fictional narrative."),
            channel=Channel.WEB,
            organisation=org_a,
        ).report
        report_assign(report=report, assignee=bob, actor=actor_of(bob, org_a))

    with CaptureQueriesContext(connection) as many:
        page = client.get("/audit/").content.decode()

    assert page.count('title="report.assigned"') == 6
    assert len(many) == len(few)


def test_the_dashboard_shows_recent_activity_as_sentences(
    alice: User, worked: Worked, client_for: Callable[[User], Client]
) -> None:
    page = client_for(alice).get("/dashboard/").content.decode()

    assert (
        f'<span title="case.registered">Cara Caseworker registered case {worked.case.reference}</span>'
        in page
    )
