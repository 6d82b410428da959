"""Law that drives the work on reports: the reporting duty's deadline becomes the triage target
and is flagged and notified when overdue; chosen provisions travel in the escalation package;
a child's age is judged against the jurisdiction's ages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.accounts.roles import OrganisationKind
from safeguard.core.models import AuditEvent
from safeguard.intake.choices import NotificationKind
from safeguard.intake.models import Notification, Report
from safeguard.intake.services.escalation import report_escalate
from safeguard.intake.services.submission import ReportInput, report_enter
from safeguard.legal import ages
from safeguard.legal.models import ReportDuty, ReportProvision
from safeguard.legal.selectors import age_findings, common_instruments, duties_on_report
from safeguard.legal.services.duties import (
    duties_overdue_notify,
    report_duties_apply,
    report_duty_fulfil,
    report_provisions_set,
)
from safeguard.testing.fixtures import actor_of, make_member

pytestmark = pytest.mark.django_db


def enter(bob, org_a, **fields) -> Report:
    data = {
        "narrative": "A boy sells flowers at night (test).",
        "country": "GB",
        "relation": "teacher",
        **fields,
    }
    return report_enter(data=ReportInput(**data), channel="phone", actor=actor_of(bob, org_a)).report


def test_a_new_report_gets_the_duty_and_its_deadline_as_triage_target(
    bob, org_a, teacher_duty, hotline_duty, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = enter(bob, org_a)
    report.refresh_from_db()
    rows = list(
        ReportDuty.objects.filter(report=report)
        .order_by("deadline")
        .values_list("duty__title", "reason", "deadline")
    )
    assert rows == [
        ("Teachers report within 24 hours", "profession", report.created_at + timedelta(hours=24)),
        (
            "Hotlines pass reports on within 72 hours",
            "organisation_kind",
            report.created_at + timedelta(hours=72),
        ),
    ]
    # A low-urgency report's own target is 7 days; the 24-hour duty is sooner, so it wins.
    assert report.due_at == report.created_at + timedelta(hours=24)
    assert (
        AuditEvent.objects.filter(action="legal.report_duty.applied", object_id=str(report.pk)).count() == 1
    )
    # Applying again adds nothing.
    assert report_duties_apply(report_id=report.pk) == []


def test_the_duty_deadline_survives_an_urgency_raise(bob, org_a, teacher_duty) -> None:
    from safeguard.intake.services.assessment import report_raise_urgency

    report = enter(bob, org_a)
    report_duties_apply(report_id=report.pk)
    report = report_raise_urgency(report=report, level="medium", reason="Known network (test)", detail={})
    assert report.due_at == report.created_at + timedelta(hours=24)


def test_no_duty_when_neither_profession_nor_kind_nor_configuration_applies(bob, org_a, teacher_duty) -> None:
    report = enter(bob, org_a, relation="neighbour")
    assert report_duties_apply(report_id=report.pk) == []
    assert duties_on_report(report) == []


def test_a_duty_the_organisation_took_on_applies(bob, alice, org_a, teacher_duty) -> None:
    from safeguard.legal.services.duties import duty_configure

    duty_configure(actor=actor_of(alice, org_a), duty=teacher_duty, taken_on=True)
    report = enter(bob, org_a, relation="neighbour")
    assert [(row.duty, row.reason) for row in report_duties_apply(report_id=report.pk)] == [
        (teacher_duty, "configured")
    ]


def test_only_an_organisation_admin_takes_a_duty_on(bob, org_a, teacher_duty) -> None:
    from safeguard.legal.services.duties import duty_configure

    with pytest.raises(PermissionDenied):
        duty_configure(actor=actor_of(bob, org_a), duty=teacher_duty, taken_on=True)
    assert not teacher_duty.configured_by.exists()


def test_an_overdue_duty_is_flagged_and_notified_once(bob, org_a, teacher_duty) -> None:
    report = enter(bob, org_a)
    (row,) = report_duties_apply(report_id=report.pk)
    assert not row.is_overdue
    later = row.deadline + timedelta(minutes=1)
    ReportDuty.objects.filter(pk=row.pk).update(deadline=report.created_at - timedelta(hours=1))
    row.refresh_from_db()
    assert row.is_overdue and duties_on_report(report)[0].is_overdue
    assert duties_overdue_notify(now=later) == 1
    assert duties_overdue_notify(now=later) == 0
    assert AuditEvent.objects.filter(action="legal.report_duty.overdue_notified").count() == 1


def test_the_overdue_duty_is_mailed_and_notified_after_commit_to_operators_and_supervisors(
    bob, org_a, supervisor_a, operator_b, teacher_duty, django_capture_on_commit_callbacks
) -> None:
    report = enter(bob, org_a)
    (row,) = report_duties_apply(report_id=report.pk)
    with django_capture_on_commit_callbacks(execute=True):
        duties_overdue_notify(now=row.deadline + timedelta(minutes=1))
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([bob.email, supervisor_a.email])
    assert report.reference in message.body and report.narrative not in message.body
    # And in the app: each of them finds it in their notifications, nobody of another organisation.
    notices = Notification.objects.filter(kind=NotificationKind.DUTY_OVERDUE)
    assert sorted(notices.values_list("recipient__email", "report_id")) == sorted(
        [(bob.email, report.pk), (supervisor_a.email, report.pk)]
    )
    assert set(notices.values_list("organisation_id", flat=True)) == {org_a.pk}
    assert not Notification.objects.filter(recipient=operator_b).exists()


def test_a_duty_is_met_by_the_receiving_organisation_only(
    bob, org_a, operator_b, org_b, teacher_duty
) -> None:
    report = enter(bob, org_a)
    (row,) = report_duties_apply(report_id=report.pk)
    with pytest.raises(PermissionDenied):
        report_duty_fulfil(actor=actor_of(operator_b, org_b), report_duty=row, note="Phoned")
    row.refresh_from_db()
    assert row.fulfilled_at is None
    assert not AuditEvent.objects.filter(action="legal.report_duty.fulfilled").exists()
    with pytest.raises(ValidationError):
        report_duty_fulfil(actor=actor_of(bob, org_a), report_duty=row, note="  ")
    report_duty_fulfil(actor=actor_of(bob, org_a), report_duty=row, note="Phoned the duty officer")
    row.refresh_from_db()
    assert row.fulfilled_by == bob and row.fulfilment_note == "Phoned the duty officer"


def test_provisions_chosen_travel_in_the_escalation_package(
    bob, org_a, offence, labour_offence, client_for
) -> None:
    report = enter(bob, org_a, exploitation_types=["SexualExploitation"])
    from safeguard.legal.selectors import provisions_for_report, suggested_provision_ids

    provisions = provisions_for_report(report)
    assert suggested_provision_ids(report, provisions) == {offence.pk}
    report_provisions_set(
        actor=actor_of(bob, org_a), report=report, provision_ids=[offence.pk, labour_offence.pk]
    )
    police = make_member(
        org_a.__class__.objects.create(
            name="Test Police Unit", slug="tpu", kind=OrganisationKind.LAW_ENFORCEMENT
        ),
        "liaison",
    )
    escalation = report_escalate(
        report=report,
        organisation=police.memberships.get().organisation,
        summary="Please act",
        actor=actor_of(bob, org_a),
    )
    package = escalation.package["legal_provisions"]
    assert [(item["citation"], item["article"], item["kind"]) for item in package] == [
        ("Test Act 1", "5", "offence"),
        ("Test Act 1", "8", "offence"),
    ]
    assert package[0]["penalty_max_years"] == "12.0" and package[0]["illustrative"] is True
    # The receiving police unit sees the legal frame on the escalation's page.
    page = client_for(police).get(f"/escalations/{escalation.pk}/").content.decode()
    assert "Test Act 1, art. 5" in page and "Trafficking (test)." in page


def test_provisions_of_another_jurisdiction_or_organisation_are_refused(
    bob, org_a, operator_b, org_b, offence
) -> None:
    report = enter(bob, org_a, country="FR")
    with pytest.raises(ValidationError):
        report_provisions_set(actor=actor_of(bob, org_a), report=report, provision_ids=[offence.pk])
    gb_report = enter(bob, org_a)
    with pytest.raises(PermissionDenied):
        report_provisions_set(actor=actor_of(operator_b, org_b), report=gb_report, provision_ids=[offence.pk])
    assert not ReportProvision.objects.exists()
    assert not AuditEvent.objects.filter(action="legal.report_provisions.set").exists()


def test_ages_in_use() -> None:
    thresholds = ages.Ages(
        majority=18, minimum_work=15, hazardous_work=18, consent=16, criminal_responsibility=12
    )
    assert [item.code for item in ages.judge(16, thresholds)] == ["minor", "below_hazardous_age"]
    assert [item.code for item in ages.judge(14, thresholds)] == ["minor", "below_work_age", "below_consent"]
    assert [item.code for item in ages.judge(11, thresholds)] == [
        "minor", "below_work_age", "below_consent", "below_criminal_responsibility",
    ]  # fmt: skip
    assert ages.judge(19, thresholds) == []
    assert ages.judge(16, ages.Ages()) == []


def test_age_findings_use_the_places_jurisdiction(gb) -> None:
    jurisdiction, findings = age_findings(16, "GB", "GB-SCT")
    assert jurisdiction == gb
    assert findings == [
        "a child: under the age of majority (18)",
        "may work, but not in hazardous work (under 18)",
    ]
    assert age_findings(16, "FR") == (None, [])


def test_common_instruments_of_two_countries(gb, instrument) -> None:
    from safeguard.legal.models import InstrumentStatus, Jurisdiction, PartyStatus

    fr = Jurisdiction.objects.create(code="FR", name="Testfrance (illustrative)", is_illustrative=True)
    assert common_instruments("GB", "FR") == []
    InstrumentStatus.objects.create(jurisdiction=fr, instrument=instrument, status=PartyStatus.SIGNED)
    assert common_instruments("GB", "FR") == []
    InstrumentStatus.objects.filter(jurisdiction=fr).update(status=PartyStatus.ACCEDED)
    assert common_instruments("gb", "fr") == [instrument]
