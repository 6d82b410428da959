"""Shares: what each level shows, the consent rule for a child's case, and the audit of views."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from safeguard.cases.models import Consent, ConsentScope
from safeguard.collaboration import services
from safeguard.collaboration.models import ItemType, Purpose, Share, ShareLevel
from safeguard.collaboration.tests.conftest import World, in_days, make_case, make_report, share_in
from safeguard.core.models import AuditEvent

NAMES = ("Zora", "Testperson", "Little Z", "Marco Fictitious", "Girl in a red coat", "Victoria coach station")


def _rendered(world: World, share: Share, viewer: object) -> str:
    _visible, view = services.shared_item_open(actor=world.actor(viewer), share_id=share.pk)  # type: ignore[arg-type]
    assert view is not None
    return " | ".join(f"{label}: {value}" for label, value in view.facts) + " | " + view.text


@pytest.mark.django_db
def test_a_deidentified_case_shows_no_name_contact_or_birth_date(world: World) -> None:
    case = make_case(world.org_a, world.sue, phone="+44 7911 123456")
    share = share_in(world, world.sue, ItemType.CASE, case.pk)
    text = _rendered(world, share, world.sam)
    for name in NAMES[:3]:
        assert name not in text
    assert case.person.birth_date not in text
    assert "7911" not in text
    assert "Age: 12–14" in text
    assert f"Reference: {case.reference}" in text


@pytest.mark.django_db
def test_a_summary_shows_counts_only(world: World) -> None:
    case = make_case(world.org_a, world.sue)
    share = share_in(world, world.sue, ItemType.CASE, case.pk, level=ShareLevel.SUMMARY)
    _visible, view = services.shared_item_open(actor=world.actor(world.sam), share_id=share.pk)
    assert view is not None
    assert view.facts == [
        ("Country", "United Kingdom"),
        ("Kinds of exploitation", "1"),
        ("Referrals", "0"),
        ("Follow-ups", "0"),
    ]
    assert view.text == ""


@pytest.mark.django_db
def test_report_levels_show_exactly_their_fields(world: World) -> None:
    report = make_report(
        world.org_a, phone="+44 7911 123456", narrative="Marco Fictitious keeps the girl inside."
    )
    summary = share_in(world, world.sue, ItemType.REPORT, report.pk, level=ShareLevel.SUMMARY)
    deidentified = share_in(world, world.sue, ItemType.REPORT, report.pk, level=ShareLevel.DEIDENTIFIED)
    full = share_in(world, world.sue, ItemType.REPORT, report.pk, level=ShareLevel.FULL)

    _v, summary_view = services.shared_item_open(actor=world.actor(world.sam), share_id=summary.pk)
    assert summary_view is not None
    assert [label for label, _value in summary_view.facts] == [
        "Country",
        "Children",
        "Signs observed",
        "Identifiers",
    ]
    assert report.reference not in _rendered(world, summary, world.sam)

    text = _rendered(world, deidentified, world.sam)
    for name in NAMES:
        assert name not in text
    assert "7911" not in text
    assert "Identifiers: Phone number" in text
    assert "Youngest child: 12–14" in text

    text = _rendered(world, full, world.sam)
    assert "Marco Fictitious keeps the girl inside." in text
    assert "+44 7911 123456" in text
    assert "Victoria coach station" in text


@pytest.mark.django_db
def test_an_observer_sees_a_full_share_as_a_summary(world: World) -> None:
    report = make_report(world.org_a, narrative="Marco Fictitious again.")
    share = share_in(world, world.sue, ItemType.REPORT, report.pk, level=ShareLevel.FULL)
    visible, view = services.shared_item_open(actor=world.actor(world.pat), share_id=share.pk)
    assert visible.level == ShareLevel.SUMMARY
    assert view is not None and view.text == ""


@pytest.mark.django_db
def test_every_view_is_audited_for_the_sharing_organisation(world: World) -> None:
    case = make_case(world.org_a, world.sue)
    share = share_in(world, world.sue, ItemType.CASE, case.pk)
    services.shared_item_open(actor=world.actor(world.sam), share_id=share.pk)
    events = AuditEvent.objects.filter(action="collaboration.shared_item_viewed")
    assert [(e.organisation_id, e.actor_id, e.detail) for e in events] == [
        (
            world.org_a.pk,
            world.sam.pk,
            {
                "viewer_organisation": world.org_b.pk,
                "item_type": "case",
                "item_id": case.pk,
                "level": "deidentified",
            },
        )
    ]


@pytest.mark.django_db
def test_a_full_case_share_needs_consent(world: World) -> None:
    case = make_case(world.org_a, world.sue)
    with pytest.raises(ValidationError, match="recorded consent"):
        share_in(world, world.sue, ItemType.CASE, case.pk, level=ShareLevel.FULL)
    assert not Share.objects.exists()


@pytest.mark.django_db
def test_a_full_case_share_with_consent_for_the_purpose(world: World) -> None:
    case = make_case(world.org_a, world.sue)
    consent = Consent.objects.create(
        case=case,
        given_by="child",
        scope=ConsentScope.LAW_ENFORCEMENT,
        given_on=timezone.localdate(),
        recorded_by=world.sue,
    )
    share = share_in(
        world, world.sue, ItemType.CASE, case.pk, level=ShareLevel.FULL, purpose=Purpose.INVESTIGATION
    )
    assert (share.consent_id, share.override_reason) == (consent.pk, "")
    assert "Name: Zora Testperson" in _rendered(world, share, world.sam)
    # Consent to law enforcement does not cover sharing for protection with named organisations.
    with pytest.raises(ValidationError, match="recorded consent"):
        share_in(world, world.sue, ItemType.CASE, case.pk, level=ShareLevel.FULL, purpose=Purpose.PROTECTION)


@pytest.mark.django_db
def test_withdrawn_consent_drops_a_full_share_to_deidentified(world: World) -> None:
    case = make_case(world.org_a, world.sue)
    consent = Consent.objects.create(
        case=case,
        given_by="child",
        scope=ConsentScope.LAW_ENFORCEMENT,
        given_on=timezone.localdate(),
        recorded_by=world.sue,
    )
    share = share_in(world, world.sue, ItemType.CASE, case.pk, level=ShareLevel.FULL)
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    assert "Zora" not in _rendered(world, share, world.sam)


@pytest.mark.django_db
def test_a_supervisor_overrides_with_a_reason_an_analyst_cannot(world: World) -> None:
    from safeguard.cases.models import Team

    case = make_case(world.org_a, world.sue)
    team = Team.objects.create(organisation=world.org_a, name="Analysts")
    team.members.add(world.ana)
    share = share_in(
        world,
        world.sue,
        ItemType.CASE,
        case.pk,
        level=ShareLevel.FULL,
        override_reason="Child in immediate danger",
    )
    assert (share.consent_id, share.override_reason) == (None, "Child in immediate danger")
    assert "Name: Zora Testperson" in _rendered(world, share, world.sam)


@pytest.mark.django_db
def test_nothing_is_shared_before_the_agreement_is_accepted(world: World) -> None:
    from safeguard.collaboration.models import MemberRole, SharingAgreement
    from safeguard.collaboration.tests.conftest import terms

    member = services.member_add(
        actor=world.actor(world.lee),
        task_force=world.task_force,
        organisation=world.outsider,
        role=MemberRole.MEMBER,
        terms=terms(),
    )
    services.participant_add(actor=world.actor(world.eve_admin), member=member, user=world.eve)
    report = make_report(world.outsider)
    with pytest.raises(ValidationError, match="not in force"):
        share_in(world, world.eve, ItemType.REPORT, report.pk)
    assert not Share.objects.exists()
    # … and it sees nothing of others' shares until then.
    other = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    with pytest.raises(Http404):
        services.shared_item_open(actor=world.actor(world.eve), share_id=other.pk)
    services.agreement_accept(
        actor=world.actor(world.eve_admin), agreement=SharingAgreement.objects.get(member=member)
    )
    services.shared_item_open(actor=world.actor(world.eve), share_id=other.pk)


@pytest.mark.django_db
def test_agreement_limits_level_kind_and_expiry(world: World) -> None:
    from safeguard.collaboration.models import SharingAgreement

    SharingAgreement.objects.filter(member=world.member(world.org_a)).update(
        max_level=ShareLevel.DEIDENTIFIED, record_kinds=["report"], ends_on=in_days(20)
    )
    report = make_report(world.org_a)
    with pytest.raises(ValidationError, match="does not cover"):
        share_in(world, world.sue, ItemType.REPORT, report.pk, level=ShareLevel.FULL)
    with pytest.raises(ValidationError, match="does not cover"):
        share_in(world, world.sue, ItemType.CASE, make_case(world.org_a, world.sue).pk)
    with pytest.raises(ValidationError, match="until"):
        share_in(world, world.sue, ItemType.REPORT, report.pk, expires_on=in_days(21))
    assert not Share.objects.exists()


@pytest.mark.django_db
def test_another_organisations_item_cannot_be_shared(world: World) -> None:
    report = make_report(world.org_b)
    with pytest.raises(Http404):
        share_in(world, world.sue, ItemType.REPORT, report.pk)
    assert not Share.objects.exists()


@pytest.mark.django_db
def test_override_needs_a_supervisor(world: World) -> None:
    from safeguard.accounts.roles import Role
    from safeguard.testing.fixtures import make_member

    case = make_case(world.org_a, world.sue)
    worker = make_member(world.org_a, Role.LIAISON, Role.CASEWORKER, email="cw@alpha.example")
    case.owner = worker
    case.save(update_fields=["owner"])
    services.participant_add(actor=world.actor(world.alice), member=world.member(world.org_a), user=worker)
    with pytest.raises(PermissionDenied, match=r"case\.override_consent"):
        share_in(world, worker, ItemType.CASE, case.pk, level=ShareLevel.FULL, override_reason="Urgent")
    assert not Share.objects.exists()
