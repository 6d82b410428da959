"""Flags on a case: raised and resolved through the service, on the timeline, audited, shown on
the case page only to the case team."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.cases.models import CaseEvent, CaseFlag
from safeguard.cases.services.flags import flag_raise, flag_resolve
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db

NOTE = "Unknown adult waiting outside the shelter (fictional)."


def test_raise_and_resolve_a_flag(case_a, cara, org_a, client_for) -> None:
    flag = flag_raise(actor=actor_of(cara, org_a), case=case_a, reason="safety", note=NOTE)
    page = client_for(cara).get(f"/cases/{case_a.pk}/").content.decode()
    assert "Safety concern" in page and NOTE in page
    with pytest.raises(ValidationError):
        flag_resolve(actor=actor_of(cara, org_a), flag=flag, note="  ")
    flag_resolve(actor=actor_of(cara, org_a), flag=flag, note="Police informed.")
    flag.refresh_from_db()
    assert flag.resolved_by == cara and flag.resolved_at is not None
    kinds = list(CaseEvent.objects.filter(case=case_a).values_list("kind", flat=True))
    assert "flag_raised" in kinds and "flag_resolved" in kinds
    assert AuditEvent.objects.filter(action="case.flag_raised", actor=cara).exists()
    with pytest.raises(ValidationError):
        flag_resolve(actor=actor_of(cara, org_a), flag=flag, note="again")


@pytest.mark.parametrize("who", ["carl", "beth"])
def test_outsiders_neither_flag_nor_see_flags(
    case_a, cara, carl, beth, org_a, org_b, client_for, who
) -> None:
    flag_raise(actor=actor_of(cara, org_a), case=case_a, reason="supervisor", note=NOTE)
    user, org = {"carl": (carl, org_a), "beth": (beth, org_b)}[who]
    with pytest.raises(PermissionDenied):
        flag_raise(actor=actor_of(user, org), case=case_a, reason="other", note="x")
    assert CaseFlag.objects.count() == 1
    page = client_for(user).get(f"/cases/{case_a.pk}/")
    assert NOTE not in page.content.decode()


def test_raise_and_resolve_from_the_case_page(case_a, cara, client_for) -> None:
    client = client_for(cara)
    assert client.get(f"/cases/{case_a.pk}/flags/new/").status_code == 200
    refused = client.post(f"/cases/{case_a.pk}/flags/new/", {"reason": "bogus", "note": NOTE})
    assert refused.status_code == 400 and NOTE in refused.content.decode()  # what was typed is kept
    assert CaseFlag.objects.count() == 0
    response = client.post(f"/cases/{case_a.pk}/flags/new/", {"reason": "safety", "note": NOTE}, follow=True)
    assert "Flag raised." in response.content.decode()
    flag = CaseFlag.objects.get()
    assert (flag.case, flag.reason, flag.note, flag.raised_by) == (case_a, "safety", NOTE, cara)
    assert f"/cases/flags/{flag.pk}/resolve/" in response.content.decode()
    empty = client.post(f"/cases/flags/{flag.pk}/resolve/", {"note": " "})
    assert empty.status_code == 400
    flag.refresh_from_db()
    assert flag.resolved_at is None
    done = client.post(f"/cases/flags/{flag.pk}/resolve/", {"note": "Police informed."}, follow=True)
    assert "Flag resolved." in done.content.decode()
    flag.refresh_from_db()
    assert (flag.resolved_by, flag.resolution_note) == (cara, "Police informed.")
    again = client.post(f"/cases/flags/{flag.pk}/resolve/", {"note": "Twice."})
    assert again.status_code == 400 and "already resolved" in again.content.decode()
    flag.refresh_from_db()
    assert flag.resolution_note == "Police informed."
    assert AuditEvent.objects.filter(action="case.flag_resolved", actor=cara).count() == 1


@pytest.mark.parametrize("who", ["carl", "beth", "ana"])
def test_outsiders_cannot_raise_or_resolve_from_the_page(
    case_a, cara, carl, beth, ana, org_a, client_for, who
) -> None:
    flag = flag_raise(actor=actor_of(cara, org_a), case=case_a, reason="supervisor", note=NOTE)
    client = client_for({"carl": carl, "beth": beth, "ana": ana}[who])
    raised = client.post(f"/cases/{case_a.pk}/flags/new/", {"reason": "safety", "note": "x"})
    resolved = client.post(f"/cases/flags/{flag.pk}/resolve/", {"note": "x"})
    assert raised.status_code in (403, 404) and resolved.status_code in (403, 404)
    flag.refresh_from_db()
    assert CaseFlag.objects.count() == 1 and flag.resolved_at is None


def test_open_flags_shown_and_filtered_in_the_case_list(case_a, cara, sue, beth, org_a, client_for) -> None:
    from safeguard.cases.tests.conftest import register

    other = register(actor_of(sue, org_a), first_name="Chen")
    quiet = register(actor_of(sue, org_a), first_name="Dana")
    flag_raise(actor=actor_of(sue, org_a), case=case_a, reason="safety", note=NOTE)
    done = flag_raise(actor=actor_of(sue, org_a), case=quiet, reason="safety", note="old")
    flag_resolve(actor=actor_of(sue, org_a), flag=done, note="Settled.")
    flag_raise(actor=actor_of(sue, org_a), case=other, reason="data_quality", note="")
    client = client_for(sue)

    def listed(**params: str) -> set[str]:
        response = client.get("/cases/", params)
        assert response.status_code == 200
        return {case.reference for case in response.context["page"].object_list}

    assert listed(flag="any") == {case_a.reference, other.reference}
    assert listed(flag="safety") == {case_a.reference}
    assert listed(flag="data_quality") == {other.reference}
    assert listed(flag="supervisor") == set()
    assert listed(flag="none") == {quiet.reference}
    bad = client.get("/cases/", {"flag": "nonsense"})
    assert list(bad.context["page"].object_list) == [] and "Select a valid choice" in bad.content.decode()
    page = client.get("/cases/", {"flag": "safety"}).content.decode()
    assert 'badge badge-overdue">Safety concern' in page
    # Cara (team North) sees her flagged case; org B's supervisor sees none of org A's.
    assert {c.reference for c in client_for(cara).get("/cases/", {"flag": "any"}).context["page"]} == {
        case_a.reference
    }
    assert list(client_for(beth).get("/cases/", {"flag": "any"}).context["page"].object_list) == []
