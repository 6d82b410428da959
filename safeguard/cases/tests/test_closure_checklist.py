"""The closure checklist: configured per organisation, every item confirmed before a case is put
forward for closure, the confirmed items kept with the closure and shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.cases.models import CaseStatus, ClosureChecklistItem, ClosureRequest
from safeguard.cases.services.checklist import checklist_item_add, checklist_item_retire
from safeguard.cases.services.closure import case_request_closure
from safeguard.cases.tests.conftest import register
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(sue, org_a):
    supervisor = actor_of(sue, org_a)
    return [
        checklist_item_add(actor=supervisor, text="Safety plan shared with the family"),
        checklist_item_add(actor=supervisor, text="School informed"),
    ]


def test_every_item_must_be_confirmed(case_a, cara, org_a, checklist) -> None:
    caseworker = actor_of(cara, org_a)
    with pytest.raises(ValidationError, match="Confirm every item"):
        case_request_closure(
            actor=caseworker, case=case_a, reason_code="reintegrated", confirmed=[checklist[0].pk]
        )
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.OPEN
    case_request_closure(
        actor=caseworker, case=case_a, reason_code="reintegrated", confirmed=[item.pk for item in checklist]
    )
    assert ClosureRequest.objects.get(case=case_a).checklist == [
        "Safety plan shared with the family",
        "School informed",
    ]


def test_the_form_asks_for_each_item_and_the_case_page_shows_them(
    case_a, cara, checklist, client_for
) -> None:
    client = client_for(cara)
    form = client.get(f"/cases/{case_a.pk}/close/").content.decode()
    assert "Safety plan shared with the family" in form and "School informed" in form
    response = client.post(
        f"/cases/{case_a.pk}/close/", {"reason_code": "aged_out", f"check_{checklist[0].pk}": "on"}
    )
    assert response.status_code == 400
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.OPEN
    response = client.post(
        f"/cases/{case_a.pk}/close/",
        {"reason_code": "aged_out", f"check_{checklist[0].pk}": "on", f"check_{checklist[1].pk}": "on"},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert "Checklist confirmed: Safety plan shared with the family; School informed" in page


def test_the_checklist_is_per_organisation(bert, org_b, checklist) -> None:
    case_b = register(actor_of(bert, org_b), first_name="Bela")
    case_request_closure(actor=actor_of(bert, org_b), case=case_b, reason_code="lost_contact")
    assert ClosureRequest.objects.get(case=case_b).checklist == []


def test_a_retired_item_is_no_longer_asked_but_kept_where_confirmed(
    case_a, cara, sue, org_a, checklist
) -> None:
    caseworker = actor_of(cara, org_a)
    checklist_item_retire(actor=actor_of(sue, org_a), item=checklist[1])
    case_request_closure(actor=caseworker, case=case_a, reason_code="died", confirmed=[checklist[0].pk])
    assert ClosureRequest.objects.get(case=case_a).checklist == ["Safety plan shared with the family"]
    assert AuditEvent.objects.filter(action="case.checklist_item_retired", actor=sue).count() == 1


def test_who_manages_the_checklist(cara, beth, sue, org_a, org_b, checklist, client_for) -> None:
    with pytest.raises(PermissionDenied):
        checklist_item_add(actor=actor_of(cara, org_a), text="Anything")
    with pytest.raises(ValidationError):
        checklist_item_retire(actor=actor_of(beth, org_b), item=checklist[0])
    assert client_for(cara).get("/cases/closure-checklist/").status_code == 403
    beth_client = client_for(beth)
    page = beth_client.get("/cases/closure-checklist/").content.decode()
    assert "School informed" not in page  # org B sees only its own (empty) checklist
    assert beth_client.post(f"/cases/closure-checklist/{checklist[0].pk}/remove/").status_code == 404
    assert ClosureChecklistItem.objects.filter(active=True).count() == 2
    sue_client = client_for(sue)
    assert sue_client.post("/cases/closure-checklist/", {"text": "  School informed "}).status_code == 400
    assert sue_client.post("/cases/closure-checklist/", {"text": "Health check done"}).status_code == 302
    assert list(ClosureChecklistItem.objects.filter(organisation=org_a).values_list("text", "position")) == [
        ("Safety plan shared with the family", 1), ("School informed", 2), ("Health check done", 3),
    ]  # fmt: skip
