"""Flags on reports: raised and resolved from the report page, shown and filtered in the triage
queue, on the timeline and audited; each organisation sees only its own flags, and nobody
outside the report's handlers raises or resolves one."""

from __future__ import annotations

from typing import Any

import pytest

from safeguard.core.models import AuditEvent
from safeguard.intake.models import ReportEvent, ReportFlag
from safeguard.intake.services.flags import report_flag_raise
from safeguard.intake.services.handover import handover_accept
from safeguard.intake.services.routing import report_route
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

NOTE = "The caller sounded scared and hung up (fictional)."


def queued(client: Any, **params: str) -> set[str]:
    response = client.get("/reports/", {"status": "all", **params})
    assert response.status_code == 200
    return {report.reference for report, _hint in response.context["rows"]}


def test_raise_resolve_and_filter_the_queue(make_report: Any, bob: Any, client_for: Any) -> None:
    flagged, other, quiet = make_report(), make_report(), make_report()
    client = client_for(bob)
    bad = client.post(f"/reports/{flagged.pk}/flags/", {"reason": "bogus", "note": NOTE}, follow=True)
    assert "Select a valid choice" in bad.content.decode() and ReportFlag.objects.count() == 0
    page = client.post(f"/reports/{flagged.pk}/flags/", {"reason": "safety", "note": NOTE}, follow=True)
    assert "Flag raised." in page.content.decode() and NOTE in page.content.decode()
    client.post(f"/reports/{other.pk}/flags/", {"reason": "data_quality", "note": ""})
    flag = ReportFlag.objects.get(report=flagged)
    assert (flag.reason, flag.note, flag.raised_by, flag.organisation_id) == (
        "safety",
        NOTE,
        bob,
        flagged.organisation_id,
    )
    assert queued(client, flag="any") == {flagged.reference, other.reference}
    assert queued(client, flag="safety") == {flagged.reference}
    assert queued(client, flag="none") == {quiet.reference}
    assert (
        'badge badge-overdue">Safety concern' in client.get("/reports/", {"flag": "safety"}).content.decode()
    )

    empty = client.post(f"/reports/flags/{flag.pk}/resolve/", {"note": "  "}, follow=True)
    flag.refresh_from_db()
    assert flag.resolved_at is None and "This field is required" in empty.content.decode()
    done = client.post(f"/reports/flags/{flag.pk}/resolve/", {"note": "Called back; safe."}, follow=True)
    assert "Flag resolved." in done.content.decode()
    flag.refresh_from_db()
    assert (flag.resolved_by, flag.resolution_note) == (bob, "Called back; safe.")
    again = client.post(f"/reports/flags/{flag.pk}/resolve/", {"note": "Twice."}, follow=True)
    assert "already resolved" in again.content.decode()
    flag.refresh_from_db()
    assert flag.resolution_note == "Called back; safe."
    assert queued(client, flag="safety") == set()
    kinds = list(ReportEvent.objects.filter(report=flagged).values_list("kind", flat=True))
    assert kinds.count("flag_raised") == 1 and kinds.count("flag_resolved") == 1
    assert AuditEvent.objects.filter(action="report.flag_raised", actor=bob).count() == 2
    assert AuditEvent.objects.filter(action="report.flag_resolved", actor=bob).count() == 1


@pytest.mark.parametrize("who", ["operator_b", "analyst_a"])
def test_outsiders_neither_raise_nor_resolve_nor_see(
    who: str, make_report: Any, bob: Any, org_a: Any, client_for: Any, request: pytest.FixtureRequest
) -> None:
    report = make_report()
    flag = report_flag_raise(actor=actor_of(bob, org_a), report=report, reason="supervisor", note=NOTE)
    client = client_for(request.getfixturevalue(who))
    raised = client.post(f"/reports/{report.pk}/flags/", {"reason": "safety", "note": "x"})
    resolved = client.post(f"/reports/flags/{flag.pk}/resolve/", {"note": "x"})
    assert raised.status_code in (403, 404) and resolved.status_code in (403, 404)
    flag.refresh_from_db()
    assert ReportFlag.objects.count() == 1 and flag.resolved_at is None
    page = client.get(f"/reports/{report.pk}/")
    if who == "operator_b":  # another organisation: the report is not found
        assert page.status_code == 404 and NOTE not in page.content.decode()
    else:  # an analyst of the organisation reads the flag but has no form to raise or resolve one
        assert NOTE in page.content.decode() and "/resolve/" not in page.content.decode()


def test_a_receiver_flags_for_itself_and_the_sender_never_sees_it(
    make_report: Any, bob: Any, operator_b: Any, org_a: Any, org_b: Any, client_for: Any
) -> None:
    report = make_report()
    route = report_route(report=report, organisation=org_b, actor=actor_of(bob, org_a))
    receiver = client_for(operator_b)
    # Offered but not yet accepted: not theirs to work on.
    assert receiver.post(f"/reports/{report.pk}/flags/", {"reason": "safety"}).status_code == 404
    handover_accept(route=route, actor=actor_of(operator_b, org_b))
    receiver.post(f"/reports/{report.pk}/flags/", {"reason": "safety", "note": NOTE})
    flag = ReportFlag.objects.get()
    assert flag.organisation == org_b
    assert queued(receiver, flag="safety") == {report.reference}
    sender = client_for(bob)
    assert queued(sender, flag="any") == set()
    assert NOTE not in sender.get(f"/reports/{report.pk}/").content.decode()
    assert sender.post(f"/reports/flags/{flag.pk}/resolve/", {"note": "x"}).status_code == 404
