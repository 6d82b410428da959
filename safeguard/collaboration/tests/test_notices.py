"""Match notices: both sides told, nothing of the other's record shown, access granted or declined."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguard.accounts.models import Organisation, User
from safeguard.collaboration import access, selectors, services
from safeguard.collaboration.models import (
    AccessRequest,
    MatchNotice,
    NoticeStatus,
    Purpose,
    Share,
    ShareLevel,
)
from safeguard.collaboration.tests.conftest import in_days, make_case, make_report, mention, opt_in
from safeguard.core.models import AuditEvent
from safeguard.testing.fixtures import actor_of

PHONE = "+44 7911 123456"


@pytest.fixture
def matched(
    org_a: Organisation, org_b: Organisation, alice: User, charlie: User, supervisor_a: User, member: object
) -> dict[str, object]:
    """Beta Foundation knows a phone number from one case and two reports; Alpha receives a new
    report naming it."""
    from safeguard.accounts.roles import Role

    sam = member(org_b, Role.SUPERVISOR, email="sam@beta.example")  # type: ignore[operator]
    case = make_case(org_b, sam, phone=PHONE)
    mention("case", case.pk, org_b, phone=PHONE)
    for _ in range(2):
        report = make_report(org_b, phone=PHONE)
        mention("report", report.pk, org_b, phone=PHONE)
    new = make_report(org_a, phone=PHONE)
    return {"new": new, "case": case, "sam": sam}


@pytest.mark.django_db
def test_no_notice_unless_both_opted_in(
    matched: dict[str, object], alice: User, org_a: Organisation, charlie: User, org_b: Organisation
) -> None:
    new = matched["new"]
    assert services.match_notices_for_record(record_type="report", record_id=new.pk) == []  # type: ignore[attr-defined]
    opt_in((alice, org_a))
    assert services.match_notices_for_record(record_type="report", record_id=new.pk) == []  # type: ignore[attr-defined]
    assert not MatchNotice.objects.exists()
    assert not AuditEvent.objects.filter(action="collaboration.match_notice").exists()


@pytest.mark.django_db
def test_both_sides_get_a_notice_without_the_others_record(
    matched: dict[str, object],
    alice: User,
    org_a: Organisation,
    charlie: User,
    org_b: Organisation,
    supervisor_a: User,
) -> None:
    opt_in((alice, org_a), (charlie, org_b))
    new = matched["new"]
    mine, theirs = services.match_notices_for_record(record_type="report", record_id=new.pk)  # type: ignore[attr-defined]
    assert (mine.organisation, mine.other_organisation, mine.own_records, mine.other_counts, mine.kinds) == (
        org_a, org_b, [{"type": "report", "id": new.pk}], {"case": 1, "report": 2}, ["phone"],  # type: ignore[attr-defined]
    )  # fmt: skip
    assert selectors.notice_text(mine) == (
        "A phone number in this report also appears in records of Beta Foundation (1 case, 2 reports)."
    )
    assert theirs.organisation == org_b and theirs.other_counts == {"report": 1}
    assert sorted(r["type"] for r in theirs.own_records) == ["case", "report", "report"]
    assert selectors.notice_text(theirs) == (
        "A phone number in 3 of your records also appears in records of Alpha Helpline (1 report)."
    )
    # Alpha's notice names none of Beta's records, and Alpha cannot open them.
    assert str(matched["case"].pk) not in str(mine.own_records)  # type: ignore[attr-defined]
    sue = actor_of(supervisor_a, org_a)
    assert list(access.notices_for(sue)) == [mine]
    with pytest.raises(Http404):
        access.notice_for(sue, theirs.pk)
    # Idempotent.
    assert services.match_notices_for_record(record_type="report", record_id=new.pk) == []  # type: ignore[attr-defined]
    assert MatchNotice.objects.count() == 2


@pytest.mark.django_db
def test_names_never_match(
    org_a: Organisation, org_b: Organisation, alice: User, charlie: User, member: object
) -> None:
    from safeguard.accounts.roles import Role

    opt_in((alice, org_a), (charlie, org_b))
    owner = member(org_b, Role.CASEWORKER)  # type: ignore[operator]
    make_case(org_b, owner)  # the same child's name, no shared identifier
    new = make_case(org_a, member(org_a, Role.CASEWORKER))  # type: ignore[operator]
    assert services.match_notices_for_record(record_type="case", record_id=new.pk) == []


@pytest.mark.django_db
def test_a_document_number_matches_across_cases(
    org_a: Organisation, org_b: Organisation, alice: User, charlie: User, member: object
) -> None:
    from safeguard.accounts.roles import Role

    opt_in((alice, org_a), (charlie, org_b))
    make_case(org_b, member(org_b, Role.CASEWORKER), identity="P1234567")  # type: ignore[operator]
    new = make_case(org_a, member(org_a, Role.CASEWORKER), identity="P1234567")  # type: ignore[operator]
    mine, _theirs = services.match_notices_for_record(record_type="case", record_id=new.pk)
    assert (mine.kinds, mine.other_counts) == (["document"], {"case": 1})


@pytest.mark.django_db
def test_access_request_granted_shares_the_matching_records_deidentified(
    matched: dict[str, object],
    alice: User,
    org_a: Organisation,
    charlie: User,
    org_b: Organisation,
    supervisor_a: User,
    bob: User,
) -> None:
    opt_in((alice, org_a), (charlie, org_b))
    mine, theirs = services.match_notices_for_record(record_type="report", record_id=matched["new"].pk)  # type: ignore[attr-defined]
    sue, sam = actor_of(supervisor_a, org_a), actor_of(matched["sam"], org_b)  # type: ignore[arg-type]
    request = services.access_request_create(
        actor=sue, notice=mine, purpose=Purpose.PROTECTION, note="Same number as our new report"
    )
    # Only Beta's supervisors answer it.
    with pytest.raises(Http404):
        access.access_request_for(sue, request.pk)
    with pytest.raises(PermissionDenied):
        services.access_request_grant(
            actor=actor_of(charlie, org_b), access_request=request, expires_on=in_days(30)
        )
    assert not Share.objects.exists()

    shares = services.access_request_grant(
        actor=sam, access_request=access.access_request_for(sam, request.pk), expires_on=in_days(30)
    )
    assert sorted(s.item_type for s in shares) == ["case", "report", "report"]
    assert {(s.level, s.organisation_id, s.recipient_organisation_id, s.task_force_id) for s in shares} == {
        (ShareLevel.DEIDENTIFIED, org_b.pk, org_a.pk, None)
    }
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (NoticeStatus.GRANTED, NoticeStatus.GRANTED)
    # Alpha's supervisor reads the case de-identified …
    case_share = next(s for s in shares if s.item_type == "case")
    _visible, view = services.shared_item_open(actor=sue, share_id=case_share.pk)
    assert view is not None and "Zora" not in str(view.facts)
    # … and a third organisation sees nothing.
    from safeguard.accounts.roles import Role
    from safeguard.testing.fixtures import OrganisationFactory, make_member

    third = OrganisationFactory.create(name="Gamma Shelter", slug="gamma-shelter")
    with pytest.raises(Http404):
        services.shared_item_open(
            actor=actor_of(make_member(third, Role.SUPERVISOR), third), share_id=case_share.pk
        )
    assert (
        not AuditEvent.objects.filter(action="collaboration.shared_item_viewed", organisation=org_b)
        .exclude(actor=supervisor_a)
        .exists()
    )


@pytest.mark.django_db
def test_access_request_declined_with_a_reason(
    matched: dict[str, object],
    alice: User,
    org_a: Organisation,
    charlie: User,
    org_b: Organisation,
    supervisor_a: User,
) -> None:
    opt_in((alice, org_a), (charlie, org_b))
    mine, _theirs = services.match_notices_for_record(record_type="report", record_id=matched["new"].pk)  # type: ignore[attr-defined]
    request = services.access_request_create(
        actor=actor_of(supervisor_a, org_a), notice=mine, purpose=Purpose.PROTECTION, note="Please"
    )
    sam = matched["sam"]
    assert isinstance(sam, User)
    services.access_request_decline(
        actor=actor_of(sam, org_b), access_request=request, reason="Open investigation"
    )
    request.refresh_from_db()
    mine.refresh_from_db()
    assert (request.status, request.decline_reason, mine.status) == (
        "declined",
        "Open investigation",
        NoticeStatus.DECLINED,
    )
    assert not Share.objects.exists()
    assert AccessRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_submitted_report_raises_notices_through_the_signal(
    org_a: Organisation, org_b: Organisation, alice: User, charlie: User, member: object
) -> None:
    """The real pipeline: intake stores a report, its follow-up task sends ``report_received``,
    collaboration's receiver enqueues the match (the immediate task backend runs it at once)."""
    from safeguard.accounts.roles import Role
    from safeguard.intake.services import ReportInput
    from safeguard.intake.services.submission import report_enter

    opt_in((alice, org_a), (charlie, org_b))
    other = make_report(org_b, phone=PHONE)
    mention("report", other.pk, org_b, phone=PHONE)
    operator = member(org_a, Role.OPERATOR)  # type: ignore[operator]
    submission = report_enter(
        data=ReportInput(
            narrative="A van collects children at night.", country="GB", identifiers=[("phone", PHONE)]
        ),
        channel="phone",
        actor=actor_of(operator, org_a),
    )
    assert sorted(MatchNotice.objects.values_list("organisation_id", "trigger_type", "trigger_id")) == sorted(
        [(org_a.pk, "report", submission.report.pk), (org_b.pk, "report", submission.report.pk)]
    )
