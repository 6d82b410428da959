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
