"""Escalation to law enforcement: the package, the liaison's view and downloads, outcomes."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from safeguard.core.models import AuditEvent
from safeguard.intake.choices import EscalationOutcome, Status
from safeguard.intake.models import Escalation, Notification
from safeguard.intake.services.escalation import report_escalate
from safeguard.intake.services.triage import report_add_note
from safeguard.testing.fixtures import OrganisationFactory, actor_of, make_member


@pytest.fixture
def escalation(
    make_report: Any, bob: Any, org_a: Any, police: Any, liaison: Any, django_capture_on_commit_callbacks: Any
) -> Escalation:
    actor = actor_of(bob, org_a)
    other = make_report(identifiers=[("phone", "+44 7700 900123")])
    report = make_report(
        narrative="Kept in a back room <b>now</b>",
        identifiers=[("phone", "+447700900123")],
        child_in_danger="yes",
        contact={"email": "ria@example.org"},
        contact_consent=True,
    )
    report_add_note(report=report, body="Checked: van seen twice", actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        made = report_escalate(report=report, organisation=police, summary="Child held now", actor=actor)
    made.other_reference = other.reference  # type: ignore[attr-defined]
    return made


@pytest.mark.django_db
def test_escalating_freezes_a_package_and_notifies_the_liaison(escalation: Escalation, liaison: Any) -> None:
    package = escalation.package
    assert package["reference"] == escalation.report.reference
    assert package["summary"] == "Child held now"
    assert package["notes"][0]["body"] == "Checked: van seen twice"
    assert package["linked_reports"]["sharing_identifiers"] == [escalation.other_reference]  # type: ignore[attr-defined]
    assert package["reporter_contact"] == {"email": "ria@example.org"}
    assert escalation.report.status == Status.ESCALATED
    assert list(Notification.objects.filter(recipient=liaison).values_list("kind", flat=True)) == [
        "escalated"
    ]


@pytest.mark.django_db
def test_only_law_enforcement_can_receive(make_report: Any, bob: Any, org_a: Any, org_b: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=re.escape("Choose an active law-enforcement organisation.")):
        report_escalate(report=make_report(), organisation=org_b, summary="x", actor=actor_of(bob, org_a))
    assert Escalation.objects.count() == 0


@pytest.mark.django_db
def test_liaison_sees_downloads_and_returns_an_outcome(
    escalation: Escalation, liaison: Any, bob: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(liaison)
    page = client.get(f"/escalations/{escalation.pk}/").content.decode()
    assert "Kept in a back room &lt;b&gt;now&lt;/b&gt;" in page
    pdf = client.get(f"/escalations/{escalation.pk}/package.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    data = client.get(f"/escalations/{escalation.pk}/package.json")
    assert json.loads(data.content)["narrative"] == "Kept in a back room <b>now</b>"
    assert sorted(
        AuditEvent.objects.filter(action="escalation.downloaded").values_list("detail__format", flat=True)
    ) == ["json", "pdf"]
    # The liaison never reaches the report itself.
    assert client.get(f"/reports/{escalation.report_id}/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/escalations/{escalation.pk}/", {"outcome": "investigation_opened", "note": "Unit 4 assigned"}
        )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.outcome, escalation.outcome_note, escalation.outcome_by) == (
        EscalationOutcome.INVESTIGATION_OPENED,
        "Unit 4 assigned",
        liaison,
    )
    assert Notification.objects.filter(recipient=bob, kind="escalation_outcome").count() == 1


@pytest.mark.django_db
def test_liaison_of_another_force_gets_not_found(escalation: Escalation, client_for: Any) -> None:
    other_force = OrganisationFactory.create(name="Epsilon Police", slug="epsilon", kind="law_enforcement")
    stranger = make_member(other_force, "liaison")
    client = client_for(stranger)
    assert client.get(f"/escalations/{escalation.pk}/").status_code == 404
    assert client.get(f"/escalations/{escalation.pk}/package.json").status_code == 404
    response = client.post(f"/escalations/{escalation.pk}/", {"outcome": "no_further_action"})
    assert response.status_code == 404
    escalation.refresh_from_db()
    assert escalation.outcome == EscalationOutcome.PENDING
    assert not AuditEvent.objects.filter(action="escalation.downloaded").exists()


@pytest.mark.django_db
def test_the_package_carries_the_senders_zone_and_the_pdf_shows_times_in_it(
    make_report: Any, bob: Any, org_a: Any, police: Any
) -> None:
    from safeguard.intake.pdf import _moment

    org_a.time_zone = "Asia/Kolkata"
    org_a.save(update_fields=["time_zone"])
    made = report_escalate(
        report=make_report(), organisation=police, summary="Now", actor=actor_of(bob, org_a)
    )
    assert made.package["time_zone"] == "Asia/Kolkata"
    assert _moment("2026-03-12T14:05:00+00:00", "Asia/Kolkata") == "2026-03-12 19:35 IST (UTC+05:30)"
    assert _moment("2026-07-01T10:00:00+00:00", "Europe/Madrid") == "2026-07-01 12:00 CEST (UTC+02:00)"
    # A package frozen before zones were recorded, or a broken value, still prints.
    assert _moment("not a time", "UTC") == "not a time"
    assert _moment("2026-03-12T14:05:00+00:00", "Nowhere/Else") == "2026-03-12T14:05:00+00:00"
