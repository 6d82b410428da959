"""The permission matrix: every collaboration object × who asks, allowed and denied.

Who asks: a participating member (by role), a chosen-out user of a member (Bob), an observer
(Pat), a non-member (Eve), a member whose agreement has expired, after a share was revoked,
and after a member left. On every denial the side effect is absent: no row, no audit event,
no timeline event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from safeguard.collaboration import access, services
from safeguard.collaboration.models import (
    CrossBorderRequest,
    ItemType,
    JointOperation,
    MemberRole,
    RequestKind,
    Share,
    SharingAgreement,
    TaskForceAction,
    TaskForceDecision,
    TaskForceEvent,
    TaskForceMember,
)
from safeguard.collaboration.tests.conftest import World, in_days, make_report, share_in, terms
from safeguard.core.models import AuditEvent


def _counts() -> tuple[int, ...]:
    return (
        Share.objects.count(),
        TaskForceAction.objects.count(),
        TaskForceDecision.objects.count(),
        JointOperation.objects.count(),
        CrossBorderRequest.objects.count(),
        TaskForceMember.objects.count(),
        SharingAgreement.objects.count(),
        TaskForceEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def _denied(
    call: Callable[[], Any], error: type[Exception] | tuple[type[Exception], ...] = PermissionDenied
) -> None:
    before = _counts()
    with pytest.raises(error):
        call()
    assert _counts() == before


WRITES: dict[str, Callable[[World, Any], Any]] = {
    "share": lambda w, actor: services.share_create(
        actor=actor, task_force=w.task_force, item_type=ItemType.REPORT,
        item_id=make_report(actor.organisation).pk, purpose="investigation", level="summary", expires_on=in_days(9),
    ),
    "action": lambda w, actor: services.action_assign(
        actor=actor, task_force=w.task_force, title="Check the ads", assignee=w.org_b, due_on=in_days(7)
    ),
    "decision": lambda w, actor: services.decision_record(
        actor=actor, task_force=w.task_force, text="Share ad clusters weekly", decided_on=timezone.localdate()
    ),
    "operation": lambda w, actor: services.operation_plan(
        actor=actor, task_force=w.task_force, name="Dawn visit", planned_on=in_days(3), participants=[w.police, w.org_b]
    ),
    "request": lambda w, actor: services.request_send(
        actor=actor, task_force=w.task_force, to_organisation=w.org_b, kind=RequestKind.INFORMATION,
        legal_basis="Art. 12 (fictional)", subject="Who pays for the van", deadline=in_days(5),
    ),
    "member": lambda w, actor: services.member_add(
        actor=actor, task_force=w.task_force, organisation=w.outsider, role=MemberRole.MEMBER, terms=terms()
    ),
}  # fmt: skip

# (write, user attribute) → allowed?
MATRIX = {
    ("share", "sue"): True,
    ("share", "ana"): True,
    ("share", "lee"): False,  # a liaison sees no reports (it shares escalations)
    ("share", "sam"): True,
    ("share", "bob"): False,  # operator: no share.create, and not chosen
    ("share", "pat"): False,  # observer
    ("share", "eve"): False,  # not a member
    ("action", "lee"): True,
    ("action", "sue"): True,
    ("action", "ana"): False,  # analysts do not manage
    ("action", "pat"): False,
    ("action", "eve"): False,
    ("decision", "sam"): True,
    ("decision", "bea"): False,
    ("decision", "pat"): False,
    ("decision", "eve"): False,
    ("operation", "lee"): True,
    ("operation", "pat"): False,
    ("operation", "eve"): False,
    ("request", "lee"): True,  # a law-enforcement liaison
    ("request", "sue"): False,  # not law enforcement
    ("request", "pat"): False,
    ("request", "eve"): False,
    ("member", "lee"): True,  # the lead
    ("member", "sue"): False,  # a member, not the lead
    ("member", "eve"): False,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("write", "who"), sorted(MATRIX))
def test_writes(world: World, write: str, who: str) -> None:
    actor = world.actor(getattr(world, who))
    if MATRIX[(write, who)]:
        before = AuditEvent.objects.count()
        assert WRITES[write](world, actor).pk
        assert AuditEvent.objects.count() > before
    else:
        # Eve is outside: the task force is "not found" to her; members with a wrong role or
        # observers are refused.
        _denied(lambda: WRITES[write](world, actor), (PermissionDenied, Http404))


READERS = {
    "sue": True,
    "ana": True,
    "lee": True,
    "sam": True,
    "bea": True,
    "pat": True,
    "bob": False,
    "eve": False,
    "charlie": True,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(READERS))
def test_reading_the_task_force_and_a_shared_item(world: World, who: str) -> None:
    share = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    actor = world.actor(getattr(world, who))
    before = AuditEvent.objects.filter(action="collaboration.shared_item_viewed").count()
    if READERS[who]:
        assert access.taskforce_for(actor, world.task_force.pk) == world.task_force
    else:
        with pytest.raises(Http404):
            access.taskforce_for(actor, world.task_force.pk)
    # Admins see the task force to manage their membership, but take no part in its items.
    sees_items = READERS[who] and who != "charlie"
    if sees_items:
        services.shared_item_open(actor=actor, share_id=share.pk)
        assert AuditEvent.objects.filter(action="collaboration.shared_item_viewed").count() == before + 1
    else:
        with pytest.raises(Http404):
            services.shared_item_open(actor=actor, share_id=share.pk)
        assert AuditEvent.objects.filter(action="collaboration.shared_item_viewed").count() == before


@pytest.mark.django_db
def test_an_expired_agreement_ends_access_at_once(world: World) -> None:
    share = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    sam = world.actor(world.sam)
    services.shared_item_open(actor=sam, share_id=share.pk)
    SharingAgreement.objects.filter(member=world.member(world.org_b)).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(Http404):
        services.shared_item_open(actor=sam, share_id=share.pk)
    assert [v.share for v in access.shares_in(sam, world.task_force)] == []
    # Its own sharing stops too.
    _denied(lambda: share_in(world, world.sam, ItemType.REPORT, make_report(world.org_b).pk), Exception)


@pytest.mark.django_db
def test_the_sharers_expired_agreement_ends_its_shares(world: World) -> None:
    share = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    SharingAgreement.objects.filter(member=world.member(world.org_a)).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(Http404):
        services.shared_item_open(actor=world.actor(world.sam), share_id=share.pk)


@pytest.mark.django_db
def test_a_revoked_or_expired_share_is_gone(world: World) -> None:
    share = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    sam = world.actor(world.sam)
    _denied(lambda: services.share_revoke(actor=sam, share=share, reason="not mine"))
    services.share_revoke(actor=world.actor(world.sue), share=share, reason="Investigation closed")
    before = AuditEvent.objects.filter(action="collaboration.shared_item_viewed").count()
    with pytest.raises(Http404):
        services.shared_item_open(actor=sam, share_id=share.pk)
    assert AuditEvent.objects.filter(action="collaboration.shared_item_viewed").count() == before
    # The sharer still lists it (to see it was revoked).
    assert [v.share.pk for v in access.shares_in(world.actor(world.sue), world.task_force)] == [share.pk]
    other = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    Share.objects.filter(pk=other.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(Http404):
        services.shared_item_open(actor=sam, share_id=other.pk)


@pytest.mark.django_db
def test_leaving_ends_access_and_participation(world: World) -> None:
    share = share_in(world, world.sue, ItemType.REPORT, make_report(world.org_a).pk)
    services.member_leave(actor=world.actor(world.charlie), member=world.member(world.org_b))
    sam = world.actor(world.sam)
    with pytest.raises(Http404):
        services.shared_item_open(actor=sam, share_id=share.pk)
    with pytest.raises(Http404):
        access.taskforce_for(sam, world.task_force.pk)
    _denied(lambda: WRITES["decision"](world, sam), Http404)


@pytest.mark.django_db
def test_only_the_members_admin_accepts_and_chooses(world: World) -> None:
    member = services.member_add(
        actor=world.actor(world.lee),
        task_force=world.task_force,
        organisation=world.outsider,
        role=MemberRole.MEMBER,
        terms=terms(),
    )
    agreement = SharingAgreement.objects.get(member=member)
    for who in (world.alice, world.eve, world.lee):
        actor = world.actor(who)
        _denied(partial(services.agreement_accept, actor=actor, agreement=agreement))
    _denied(lambda: services.participant_add(actor=world.actor(world.alice), member=member, user=world.eve))
    services.agreement_accept(actor=world.actor(world.eve_admin), agreement=agreement)
    assert SharingAgreement.objects.get(pk=agreement.pk).accepted_by == world.eve_admin


@pytest.mark.django_db
def test_requests_are_answered_only_by_the_receiver(world: World) -> None:
    request = WRITES["request"](world, world.actor(world.lee))
    for who in (world.lee, world.sue, world.pat, world.eve):
        actor = world.actor(who)
        _denied(
            partial(services.request_answer, actor=actor, request=request, response="x"),
            (PermissionDenied, Http404),
        )
    with pytest.raises(Http404):
        access.request_for(world.actor(world.sue), request.pk)
    services.request_acknowledge(actor=world.actor(world.sam), request=request)
    services.request_answer(
        actor=world.actor(world.sam), request=request, response="The van is leased by a fictional firm."
    )
    request.refresh_from_db()
    assert (request.status, request.answered_by) == ("answered", world.sam)
    assert sorted(
        AuditEvent.objects.filter(
            object_id=str(request.pk), action__startswith="collaboration.request"
        ).values_list("action", "organisation_id")
    ) == sorted(
        [
            ("collaboration.request_sent", world.police.pk),
            ("collaboration.request_received", world.org_b.pk),
            ("collaboration.request_acknowledged", world.org_b.pk),
            ("collaboration.request_acknowledged", world.police.pk),
            ("collaboration.request_answered", world.org_b.pk),
            ("collaboration.request_answered", world.police.pk),
        ]
    )


@pytest.mark.django_db
def test_overdue_requests_are_flagged(world: World) -> None:
    from safeguard.collaboration import selectors

    request = WRITES["request"](world, world.actor(world.lee))
    assert selectors.overdue_requests(world.actor(world.lee)) == []
    CrossBorderRequest.objects.filter(pk=request.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    assert [r.pk for r in selectors.overdue_requests(world.actor(world.lee))] == [request.pk]
    assert [r.pk for r in selectors.overdue_requests(world.actor(world.sam))] == [request.pk]
