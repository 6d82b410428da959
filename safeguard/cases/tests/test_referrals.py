"""Consent enforcement on referrals, and what a provider's users see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeguard.cases.models import CaseEvent, Referral, ReferralStatus
from safeguard.cases.services.consents import consent_withdraw
from safeguard.cases.services.referrals import referral_create
from safeguard.cases.tests.conftest import consent_for
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def refer(actor, case, service, **extra):
    return referral_create(
        actor=actor,
        case=case,
        service=service,
        summary="Needs a bed tonight; speaks English.",
        respond_by=timezone.localdate() + timedelta(days=2),
        **extra,
    )


def test_referral_without_consent_is_refused_and_nothing_is_sent(
    case_a, cara, org_a, shelter_service
) -> None:
    with pytest.raises(ValidationError) as error:
        refer(actor_of(cara, org_a), case_a, shelter_service)
    assert "No consent in force covers sharing this case with Haven Shelter" in str(error.value)
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="case.referral").exists()


def test_a_caseworker_cannot_override_missing_consent(case_a, cara, org_a, shelter_service) -> None:
    with pytest.raises(PermissionDenied, match="only a supervisor may share without consent"):
        refer(actor_of(cara, org_a), case_a, shelter_service, override_reason="Urgent")
    assert Referral.objects.count() == 0


def test_a_supervisor_override_is_recorded_and_audited(case_a, sue, org_a, shelter_service) -> None:
    referral = refer(
        actor_of(sue, org_a), case_a, shelter_service, override_reason="Child sleeping rough tonight"
    )
    assert (referral.consent, referral.override_reason) == (None, "Child sleeping rough tonight")
    event = AuditEvent.objects.get(action="case.referral_override")
    assert (event.actor, event.object_id) == (sue, str(case_a.pk))
    assert event.detail == {
        "referral_id": referral.pk,
        "provider_id": shelter_service.provider_id,
        "service_id": shelter_service.pk,
    }
    assert CaseEvent.objects.filter(case=case_a, kind="referral_override").count() == 1


def test_consent_naming_another_organisation_does_not_cover_the_provider(
    case_a, cara, org_a, org_b, shelter_service
) -> None:
    consent_for(case_a, actor_of(cara, org_a), org_b)
    with pytest.raises(
        ValidationError, match="No consent in force covers sharing this case with Haven Shelter"
    ):
        refer(actor_of(cara, org_a), case_a, shelter_service)


def test_withdrawn_consent_no_longer_covers_a_referral(case_a, cara, org_a, shelter, shelter_service) -> None:
    consent = consent_for(case_a, actor_of(cara, org_a), shelter)
    consent_withdraw(actor=actor_of(cara, org_a), consent=consent)
    with pytest.raises(
        ValidationError, match="No consent in force covers sharing this case with Haven Shelter"
    ):
        refer(actor_of(cara, org_a), case_a, shelter_service)


@pytest.fixture
def referral(case_a, cara, org_a, shelter, shelter_service):
    consent_for(case_a, actor_of(cara, org_a), shelter)
    return refer(actor_of(cara, org_a), case_a, shelter_service)


def test_with_consent_the_referral_is_sent_with_a_chase_task(referral, case_a, cara) -> None:
    assert referral.status == ReferralStatus.PENDING
    assert referral.consent.scope == "share_organisation"
    assert case_a.tasks.filter(kind="referral_response", source_id=referral.pk, assignee=cara).count() == 1


def test_provider_sees_only_what_the_referral_shares(referral, hana, client_for, case_a) -> None:
    client = client_for(hana)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Needs a bed tonight" in page
    assert "Testa" not in page  # first name not shared
    assert "Fictionalia" not in page and "+447700900123" not in page and "Tess" not in page
    assert client.get(f"/cases/{case_a.pk}/").status_code == 404  # the case itself stays out of reach
    assert AuditEvent.objects.filter(action="referral.viewed", actor=hana).count() == 1


def test_provider_sees_the_first_name_when_shared(
    case_a, cara, org_a, shelter, shelter_service, hana, client_for
) -> None:
    consent_for(case_a, actor_of(cara, org_a), shelter)
    referral = refer(actor_of(cara, org_a), case_a, shelter_service, share_first_name=True)
    page = client_for(hana).get(f"/referrals/{referral.pk}/").content.decode()
    assert "Testa" in page and "Fictionalia" not in page


def test_another_provider_cannot_see_the_referral(referral, olga, client_for) -> None:
    client = client_for(olga)
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert (
        client.post(f"/referrals/{referral.pk}/", {"step": "respond", "decision": "accept"}).status_code
        == 404
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_provider_accepts_records_service_and_completes(referral, hana, client_for, case_a) -> None:
    client = client_for(hana)
    assert (
        client.post(f"/referrals/{referral.pk}/", {"step": "respond", "decision": "accept"}).status_code
        == 302
    )
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/referrals/{referral.pk}/", {"step": "record", "delivered_on": today, "note": "Bed given"}
    )
    assert response.status_code == 302
    assert client.post(f"/referrals/{referral.pk}/", {"step": "complete"}).status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.responded_by) == (ReferralStatus.COMPLETED, hana)
    assert [record.note for record in referral.service_records.all()] == ["Bed given"]
    assert list(CaseEvent.objects.filter(case=case_a).order_by("id").values_list("kind", flat=True)) == [
        "registered", "consent_recorded", "referral_sent", "referral_accepted", "service_delivered",
        "referral_completed",
    ]  # fmt: skip
    assert not case_a.tasks.pending().filter(kind="referral_response").exists()


def test_decline_needs_a_reason(referral, hana, client_for) -> None:
    response = client_for(hana).post(f"/referrals/{referral.pk}/", {"step": "respond", "decision": "decline"})
    assert response.status_code == 400
    assert "Say why the referral is declined." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_after_consent_is_withdrawn_the_provider_no_longer_sees_the_details(
    referral, cara, org_a, hana, client_for
) -> None:
    consent_withdraw(actor=actor_of(cara, org_a), consent=referral.consent)
    page = client_for(hana).get(f"/referrals/{referral.pk}/").content.decode()
    assert "Needs a bed tonight" not in page
    assert "consent this referral relied on has been withdrawn" in page


def test_referral_page_refuses_without_consent_and_keeps_what_was_typed(
    case_a, cara, client_for, shelter_service
) -> None:
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client_for(cara).post(
        f"/cases/{case_a.pk}/refer/",
        {"service": shelter_service.pk, "summary": "Typed summary", "respond_by": due},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Typed summary" in body and "No consent in force" in body
    assert Referral.objects.count() == 0


def test_a_service_no_longer_offered_cannot_be_referred_to(
    case_a, cara, org_a, shelter, shelter_service, client_for
) -> None:
    consent_for(case_a, actor_of(cara, org_a), shelter)
    shelter_service.is_active = False
    shelter_service.save(update_fields=["is_active"])
    response = client_for(cara).post(
        f"/cases/{case_a.pk}/refer/?service={shelter_service.pk}",
        {"summary": "Needs a bed", "respond_by": "2030-01-01"},
    )
    assert response.status_code == 400
    assert "Choose a service." in response.content.decode()
    assert Referral.objects.count() == 0
