"""Fetching collaboration objects *for an actor*, and what crosses between organisations.

A task force is reached by the users its member organisations chose to take part (and by the
admins of those organisations, who accept agreements and choose the participants). Inside,
what a member sees of another member's shared item is decided here, at read time, from:
the share (not revoked, not expired), the sharer's and the viewer's membership (not left) and
agreements (accepted, between their dates, covering the kind of record and the purpose), and
the viewer's role (an observer sees summaries only). Anything outside reach is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safeguard.accounts.access import Actor
from safeguard.collaboration.models import (
    AccessRequest,
    CrossBorderRequest,
    ItemType,
    JointOperation,
    MatchNotice,
    MemberRole,
    Share,
    ShareLevel,
    SharingAgreement,
    TaskForce,
    TaskForceAction,
    TaskForceMember,
    TaskForceParticipant,
    lower_level,
)


@dataclass(frozen=True)
class Seat:
    """The actor's organisation's place in a task force, today."""

    member: TaskForceMember
    agreement: SharingAgreement | None  # the agreement in force today, if any
    participant: bool  # the user was chosen to take part

    @property
    def is_observer(self) -> bool:
        return self.member.role == MemberRole.OBSERVER

    @property
    def is_lead(self) -> bool:
        return self.member.role == MemberRole.LEAD


def agreement_in_force(member: TaskForceMember) -> SharingAgreement | None:
    """The member's newest accepted agreement whose dates cover today."""
    return SharingAgreement.objects.in_force().filter(member=member).order_by("-starts_on", "-id").first()


def seat_of(actor: Actor, task_force: TaskForce) -> Seat | None:
    if actor.organisation is None:
        return None
    member = (
        TaskForceMember.objects.current()
        .filter(task_force=task_force, organisation=actor.organisation)
        .first()
    )
    if member is None:
        return None
    participant = TaskForceParticipant.objects.current().filter(member=member, user=actor.user).exists()
    return Seat(member=member, agreement=agreement_in_force(member), participant=participant)


def taskforces_visible_to(actor: Actor) -> QuerySet[TaskForce]:
    """Task forces the actor's organisation is a current member of, and the actor takes part in
    (or administers their organisation's membership)."""
    if actor.organisation is None or not actor.can("taskforce.view"):
        return TaskForce.objects.none()
    members = TaskForceMember.objects.current().filter(organisation=actor.organisation)
    if not actor.can("taskforce.agree"):
        members = members.filter(
            Exists(TaskForceParticipant.objects.current().filter(member=OuterRef("pk"), user=actor.user))
        )
    return TaskForce.objects.filter(pk__in=members.values("task_force_id"), closed_at__isnull=True)


def taskforce_for(actor: Actor, task_force_id: int, *, action: str = "taskforce.view") -> TaskForce:
    actor.require(action)
    task_force = (
        taskforces_visible_to(actor).select_related("lead_organisation").filter(pk=task_force_id).first()
    )
    if task_force is None:
        raise Http404("task force")
    return task_force


def working_seat(actor: Actor, task_force: TaskForce, action: str) -> Seat:
    """The seat of a participant who may take ``action`` and is not an observer."""
    actor.require(action)
    seat = seat_of(actor, task_force)
    if seat is None or not seat.participant:
        raise Http404("task force")
    if seat.is_observer:
        raise PermissionDenied("observers do not act in the task force")
    return seat


def member_of_mine(actor: Actor, member_id: int) -> TaskForceMember:
    """A membership of the actor's organisation, for its admin (agreements, participants)."""
    actor.require("taskforce.agree")
    member = (
        TaskForceMember.objects.current()
        .select_related("task_force", "organisation")
        .filter(pk=member_id, organisation=actor.organisation)
        .first()
    )
    if member is None:
        raise Http404("member")
    return member


def agreement_to_accept(actor: Actor, agreement_id: int) -> SharingAgreement:
    actor.require("taskforce.agree")
    agreement = (
        SharingAgreement.objects.select_related("member__task_force", "member__organisation")
        .filter(pk=agreement_id, member__organisation=actor.organisation, member__left_at__isnull=True)
        .first()
    )
    if agreement is None:
        raise Http404("agreement")
    return agreement


# ---------------------------------------------------------------------------------------------
# Shares


@dataclass(frozen=True)
class VisibleShare:
    share: Share
    level: str  # the level this actor sees it at
    own: bool  # shared by the actor's organisation


def _members_in_force(task_force: TaskForce) -> QuerySet[TaskForceMember]:
    return TaskForceMember.objects.current().filter(
        Exists(SharingAgreement.objects.in_force().filter(member=OuterRef("pk"))), task_force=task_force
    )


def _level_for(share: Share, seat: Seat | None) -> str:
    level = share.level
    # A full share that relied on consent falls back when the consent is withdrawn.
    consent = share.consent if share.consent_id else None
    if share.level == ShareLevel.FULL and consent is not None and consent.withdrawn_at is not None:
        level = ShareLevel.DEIDENTIFIED
    if seat is not None:
        if seat.agreement is not None:
            level = lower_level(level, seat.agreement.max_level)
        if seat.is_observer:
            level = ShareLevel.SUMMARY
    return level


def visible_shares(actor: Actor, task_force: TaskForce) -> tuple[QuerySet[Share], Seat | None]:
    """The shares of a task force the actor sees, newest first, and the actor's seat.

    The actor's own organisation's shares are listed whatever their state (to manage them);
    another member's only while active and while both agreements are in force and cover it.
    One indexed query, so that a page of a task force with many thousands of shares reads only
    that page (``as_visible`` then gives each share its level).
    """
    seat = seat_of(actor, task_force)
    if seat is None or not seat.participant or not actor.can("taskforce.view"):
        return Share.objects.none(), seat
    query = Q(organisation=actor.organisation)
    agreement = seat.agreement
    if agreement is not None:
        sharers = _members_in_force(task_force).exclude(pk=seat.member.pk).values("organisation_id")
        today = timezone.localdate()
        query |= Q(
            organisation_id__in=sharers,
            revoked_at__isnull=True,
            expires_on__gte=today,
            item_type__in=agreement.record_kinds,
            purpose__in=agreement.purposes,
        )
    shares = (
        Share.objects.filter(query, task_force=task_force)
        .select_related("organisation", "consent", "shared_by")
        .order_by("-created_at", "-id")
    )
    return shares, seat


def as_visible(shares: Any, seat: Seat | None) -> list[VisibleShare]:
    """Each share at the level the seat's holder sees it at (their own at its own level)."""
    if seat is None:
        return []
    own = seat.member.organisation_id
    return [
        VisibleShare(
            share=share,
            level=share.level if share.organisation_id == own else _level_for(share, seat),
            own=share.organisation_id == own,
        )
        for share in shares
    ]


def shares_in(actor: Actor, task_force: TaskForce) -> list[VisibleShare]:
    """All the shares of a task force the actor sees, each at its level (see ``visible_shares``)."""
    shares, seat = visible_shares(actor, task_force)
    return as_visible(shares, seat)


def bilateral_shares_for(actor: Actor) -> list[VisibleShare]:
    """Shares made to the actor's organisation outside any task force (from match notices)."""
    if actor.organisation is None or not actor.can("notice.view"):
        return []
    shares = (
        Share.objects.active()
        .filter(task_force__isnull=True, recipient_organisation=actor.organisation)
        .select_related("organisation", "consent")
    )
    return [VisibleShare(share=share, level=_level_for(share, None), own=False) for share in shares]


def share_for(actor: Actor, share_id: int) -> VisibleShare:
    """One share the actor may read, at the level the actor may read it; otherwise 404."""
    actor.require("taskforce.view")
    share = Share.objects.select_related("task_force", "organisation", "consent").filter(pk=share_id).first()
    if share is None:
        raise Http404("share")
    if share.task_force_id is None:
        found = [visible for visible in bilateral_shares_for(actor) if visible.share.pk == share.pk]
    else:
        if not taskforces_visible_to(actor).filter(pk=share.task_force_id).exists():
            raise Http404("share")
        assert share.task_force is not None
        shares, seat = visible_shares(actor, share.task_force)
        found = as_visible(shares.filter(pk=share.pk), seat)
    if not found or (not found[0].own and not found[0].share.is_active()):
        raise Http404("share")
    return found[0]


def share_of_mine(actor: Actor, share_id: int) -> Share:
    """A share the actor's organisation made, to revoke it."""
    actor.require("share.create")
    share = Share.objects.filter(pk=share_id, organisation=actor.organisation).first()
    if share is None:
        raise Http404("share")
    return share


def item_for_sharing(actor: Actor, item_type: str, item_id: int) -> tuple[Any, str]:
    """The item and its reference, when it belongs to the actor's organisation and the actor
    may see it by the rules of the app that owns it; otherwise 404."""
    if item_type == ItemType.REPORT:
        from safeguard.intake.access import report_for

        report = report_for(actor, item_id)
        if report.organisation_id != getattr(actor.organisation, "pk", None):
            raise Http404("report")
        return report, report.reference
    if item_type == ItemType.ESCALATION:
        from safeguard.intake.models import Escalation

        mine = Q(pk__in=[])
        if actor.can("report.escalate"):
            mine |= Q(from_organisation=actor.organisation)
        if actor.can("escalation.receive"):
            mine |= Q(organisation=actor.organisation)
        escalation = Escalation.objects.select_related("report").filter(mine, pk=item_id).first()
        if escalation is None:
            raise Http404("escalation")
        return escalation, f"{escalation.report.reference}/E{escalation.pk}"
    if item_type == ItemType.CASE:
        from safeguard.cases.access import case_for

        case = case_for(actor, item_id)
        return case, case.reference
    if item_type == ItemType.NETWORK:
        from safeguard.analytics.access import network_for

        network = network_for(actor, item_id)
        return network, f"N{network.pk}"
    if item_type == ItemType.AD_CLUSTER:
        from safeguard.analytics.access import ad_cluster_for

        cluster = ad_cluster_for(actor, item_id)
        return cluster, f"C{cluster.pk}"
    if item_type == ItemType.RISK_RUN:
        from safeguard.risk.access import run_for

        run = run_for(actor, item_id)
        return run, f"R{run.pk}"
    raise Http404("item")


# ---------------------------------------------------------------------------------------------
# Actions, operations, requests


def action_for(actor: Actor, action_id: int) -> TaskForceAction:
    action = TaskForceAction.objects.select_related("task_force").filter(pk=action_id).first()
    if action is None or not taskforces_visible_to(actor).filter(pk=action.task_force_id).exists():
        raise Http404("action")
    return action


def operation_for(actor: Actor, operation_id: int) -> JointOperation:
    operation = JointOperation.objects.select_related("task_force").filter(pk=operation_id).first()
    if operation is None or not taskforces_visible_to(actor).filter(pk=operation.task_force_id).exists():
        raise Http404("operation")
    return operation


def requests_visible_to(actor: Actor) -> QuerySet[CrossBorderRequest]:
    """Requests sent by or to the actor's organisation, in task forces the actor takes part in."""
    if actor.organisation is None or not (actor.can("request.send") or actor.can("request.respond")):
        return CrossBorderRequest.objects.none()
    taking_part = TaskForceParticipant.objects.current().filter(
        user=actor.user, member__organisation=actor.organisation, member__left_at__isnull=True
    )
    return CrossBorderRequest.objects.filter(
        Q(from_organisation=actor.organisation) | Q(to_organisation=actor.organisation),
        task_force_id__in=taking_part.values("member__task_force_id"),
    ).select_related("task_force", "from_organisation", "to_organisation", "sent_by")


def request_for(actor: Actor, request_id: int) -> CrossBorderRequest:
    request = requests_visible_to(actor).filter(pk=request_id).first()
    if request is None:
        raise Http404("request")
    return request


# ---------------------------------------------------------------------------------------------
# Match notices


def notices_for(actor: Actor) -> QuerySet[MatchNotice]:
    if actor.organisation is None or not actor.can("notice.view"):
        return MatchNotice.objects.none()
    return MatchNotice.objects.filter(organisation=actor.organisation).select_related("other_organisation")


def notice_for(actor: Actor, notice_id: int) -> MatchNotice:
    notice = notices_for(actor).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("notice")
    return notice


def access_requests_to_answer(actor: Actor) -> QuerySet[AccessRequest]:
    if actor.organisation is None or not actor.can("notice.respond"):
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(to_organisation=actor.organisation).select_related(
        "from_organisation", "notice"
    )


def access_request_for(actor: Actor, request_id: int) -> AccessRequest:
    actor.require("notice.respond")
    request = access_requests_to_answer(actor).filter(pk=request_id).first()
    if request is None:
        raise Http404("access request")
    return request
