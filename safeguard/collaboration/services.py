"""Every write collaboration makes: task forces, agreements, shares, requests, match notices.

Each service that acts for a person takes ``actor`` (keyword-only), checks the action itself
before anything is written, validates, writes in one transaction with a timeline event
(``TaskForceEvent``) and an audit event. Audit ``detail`` holds ids and choice values only.
``match_notices_for_record`` is run by the system (a background task) and takes no actor.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Membership, Organisation, User
from safeguard.accounts.roles import OrganisationKind
from safeguard.collaboration import access, selectors
from safeguard.collaboration.events import task_force_event
from safeguard.collaboration.models import (
    LEVEL_RANK,
    AccessRequest,
    AccessRequestStatus,
    ActionStatus,
    CollaborationSettings,
    CrossBorderRequest,
    ItemType,
    JointOperation,
    MatchNotice,
    MemberRole,
    NoticeStatus,
    Notification,
    NotificationKind,
    OperationStatus,
    Purpose,
    RecordType,
    RequestKind,
    RequestStatus,
    Share,
    ShareLevel,
    SharingAgreement,
    TaskForce,
    TaskForceAction,
    TaskForceDecision,
    TaskForceEventKind,
    TaskForceMember,
    TaskForceParticipant,
)
from safeguard.core.audit import audit_record
from safeguard.core.geography import is_country, is_subdivision_of

logger = logging.getLogger(__name__)


def _notify(
    organisation: Organisation | int,
    action: str,
    kind: NotificationKind,
    *,
    task_force: TaskForce | None = None,
    url: str = "",
) -> Notification:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return Notification.objects.create(
        organisation_id=organisation_id, action=action, kind=kind, task_force=task_force, url=url
    )


def _task_force_url(task_force: TaskForce) -> str:
    return f"/collaboration/task-forces/{task_force.pk}/"


# ---------------------------------------------------------------------------------------------
# Settings


def settings_update(*, actor: Actor, match_notices: bool) -> CollaborationSettings:
    """An organisation admin turns match notices on or off for their organisation."""
    actor.require("collaboration.settings")
    assert actor.organisation is not None
    with transaction.atomic():
        settings, _created = CollaborationSettings.objects.get_or_create(organisation=actor.organisation)
        settings.match_notices = match_notices
        settings.changed_by = actor.user
        settings.changed_at = timezone.now()
        settings.save(update_fields=["match_notices", "changed_by", "changed_at"])
        audit_record(
            action="collaboration.settings_changed",
            actor=actor,
            target=settings,
            detail={"match_notices": match_notices},
        )
    return settings


# ---------------------------------------------------------------------------------------------
# Task forces, members, agreements, participants


@dataclass(frozen=True)
class AgreementTerms:
    legal_basis: str
    purposes: list[str]
    record_kinds: list[str]
    max_level: str
    retention_days: int
    starts_on: date
    ends_on: date


def _clean_terms(terms: AgreementTerms) -> None:
    errors: dict[str, list[str]] = {}
    if not terms.legal_basis.strip():
        errors["legal_basis"] = [_("State the legal basis for sharing.")]
    if not terms.purposes or any(p not in Purpose.values for p in terms.purposes):
        errors["purposes"] = [_("Choose at least one purpose.")]
    if not terms.record_kinds or any(k not in ItemType.values for k in terms.record_kinds):
        errors["record_kinds"] = [_("Choose at least one kind of record.")]
    if terms.max_level not in ShareLevel.values:
        errors["max_level"] = [_("Choose a level.")]
    if terms.ends_on < terms.starts_on:
        errors["ends_on"] = [_("The end date must not be before the start date.")]
    if not 1 <= terms.retention_days <= 3650:
        errors["retention_days"] = [_("Retention is between 1 and 3650 days.")]
    if errors:
        raise ValidationError(errors)


def _clean_jurisdictions(codes: list[str]) -> list[str]:
    cleaned = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        country = code[:2]
        if not (is_country(country) and (len(code) == 2 or is_subdivision_of(code, country))):
            raise ValidationError(
                {"jurisdictions": [_("%(code)s is not an ISO 3166 code.") % {"code": code}]}
            )
        cleaned.append(code)
    if not cleaned:
        raise ValidationError({"jurisdictions": [_("Name at least one country or region.")]})
    return sorted(set(cleaned))


def _propose(*, actor: Actor, member: TaskForceMember, terms: AgreementTerms) -> SharingAgreement:
    _clean_terms(terms)
    agreement = SharingAgreement(
        member=member,
        legal_basis=terms.legal_basis.strip(),
        purposes=sorted(set(terms.purposes)),
        record_kinds=sorted(set(terms.record_kinds)),
        max_level=terms.max_level,
        retention_days=terms.retention_days,
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        proposed_by=actor.user,
    )
    agreement.full_clean()
    agreement.save()
    task_force_event(
        task_force=member.task_force,
        kind=TaskForceEventKind.AGREEMENT_PROPOSED,
        actor=actor,
        member=member.pk,
        agreement=agreement.pk,
    )
    audit_record(
        action="collaboration.agreement_proposed",
        actor=actor,
        target=agreement,
        detail={"task_force": member.task_force_id, "member_organisation": member.organisation_id},
    )
    _notify(
        member.organisation,
        "taskforce.agree",
        NotificationKind.AGREEMENT_TO_ACCEPT,
        task_force=member.task_force,
        url=_task_force_url(member.task_force),
    )
    return agreement


def task_force_create(
    *, actor: Actor, name: str, purpose: str, jurisdictions: list[str], terms: AgreementTerms
) -> TaskForce:
    """A task force led by the actor's organisation; the actor takes part, and the lead's own
    agreement is proposed (it binds once the lead's organisation admin accepts it)."""
    actor.require("taskforce.create")
    assert actor.organisation is not None
    if not name.strip():
        raise ValidationError({"name": [_("Give the task force a name.")]})
    if not purpose.strip():
        raise ValidationError({"purpose": [_("Say what the task force is for.")]})
    codes = _clean_jurisdictions(jurisdictions)
    with transaction.atomic():
        task_force = TaskForce(
            name=name.strip(),
            purpose=purpose.strip(),
            jurisdictions=codes,
            lead_organisation=actor.organisation,
            created_by=actor.user,
        )
        task_force.full_clean()
        task_force.save()
        member = TaskForceMember.objects.create(
            task_force=task_force, organisation=actor.organisation, role=MemberRole.LEAD
        )
        TaskForceParticipant.objects.create(member=member, user=actor.user, added_by=actor.user)
        task_force_event(
            task_force=task_force, kind=TaskForceEventKind.CREATED, actor=actor, jurisdictions=codes
        )
        audit_record(action="collaboration.task_force_created", actor=actor, target=task_force)
        _propose(actor=actor, member=member, terms=terms)
    return task_force


def member_add(
    *, actor: Actor, task_force: TaskForce, organisation: Organisation, role: str, terms: AgreementTerms
) -> TaskForceMember:
    """The lead adds an organisation with a role and proposes its agreement."""
    seat = access.working_seat(actor, task_force, "taskforce.manage")
    if not seat.is_lead:
        raise PermissionDenied("only the lead organisation adds members")
    if role not in (MemberRole.MEMBER, MemberRole.OBSERVER):
        raise ValidationError({"role": [_("A new member is a member or an observer.")]})
    if not organisation.is_active:
        raise ValidationError({"organisation": [_("This organisation is not active.")]})
    with transaction.atomic():
        member = TaskForceMember.objects.filter(task_force=task_force, organisation=organisation).first()
        if member is not None and member.left_at is None:
            raise ValidationError({"organisation": [_("This organisation is already a member.")]})
        if member is None:
            member = TaskForceMember.objects.create(
                task_force=task_force, organisation=organisation, role=role
            )
        else:  # rejoining after leaving
            member.role, member.left_at, member.joined_at = role, None, timezone.now()
            member.save(update_fields=["role", "left_at", "joined_at"])
        task_force_event(
            task_force=task_force,
            kind=TaskForceEventKind.MEMBER_ADDED,
            actor=actor,
            member_organisation=organisation.pk,
            role=role,
        )
        audit_record(
            action="collaboration.member_added",
            actor=actor,
            target=member,
            detail={"task_force": task_force.pk, "member_organisation": organisation.pk, "role": role},
        )
        _propose(actor=actor, member=member, terms=terms)
    return member


def member_leave(*, actor: Actor, member: TaskForceMember) -> TaskForceMember:
    """The member's own admin takes it out (or the lead removes it); its access ends at once."""
    task_force = member.task_force
    own = actor.organisation is not None and member.organisation_id == actor.organisation.pk
    if own:
        actor.require("taskforce.agree")
    else:
        seat = access.working_seat(actor, task_force, "taskforce.manage")
        if not seat.is_lead:
            raise PermissionDenied("only the lead organisation removes members")
    if member.role == MemberRole.LEAD:
        raise ValidationError(_("The lead organisation cannot leave its task force."))
    with transaction.atomic():
        member.left_at = timezone.now()
        member.save(update_fields=["left_at"])
        task_force_event(
            task_force=task_force,
            kind=TaskForceEventKind.MEMBER_LEFT,
            actor=actor,
            member_organisation=member.organisation_id,
        )
        audit_record(
            action="collaboration.member_left",
            actor=actor,
            target=member,
            detail={"task_force": task_force.pk},
        )
    return member


def agreement_propose(*, actor: Actor, member: TaskForceMember, terms: AgreementTerms) -> SharingAgreement:
    """The lead proposes new terms for a member (a renewal, a change); they bind once accepted."""
    seat = access.working_seat(actor, member.task_force, "taskforce.manage")
    if not seat.is_lead:
        raise PermissionDenied("only the lead organisation proposes agreements")
    with transaction.atomic():
        return _propose(actor=actor, member=member, terms=terms)


def agreement_accept(*, actor: Actor, agreement: SharingAgreement) -> SharingAgreement:
    """The member's organisation admin accepts its agreement; sharing may begin on its start date."""
    actor.require("taskforce.agree")
    member = agreement.member
    if actor.organisation is None or member.organisation_id != actor.organisation.pk or member.left_at:
        raise PermissionDenied("only the member's own admin accepts its agreement")
    if agreement.accepted_at is not None:
        raise ValidationError(_("This agreement is already accepted."))
    if agreement.ends_on < timezone.localdate():
        raise ValidationError(_("This agreement has already ended."))
    with transaction.atomic():
        agreement.accepted_by = actor.user
        agreement.accepted_at = timezone.now()
        agreement.save(update_fields=["accepted_by", "accepted_at"])
        task_force_event(
            task_force=member.task_force,
            kind=TaskForceEventKind.AGREEMENT_ACCEPTED,
            actor=actor,
            agreement=agreement.pk,
        )
        audit_record(action="collaboration.agreement_accepted", actor=actor, target=agreement)
    return agreement


def participant_add(*, actor: Actor, member: TaskForceMember, user: User) -> TaskForceParticipant:
    """A member's admin chooses one of their users to take part."""
    actor.require("taskforce.agree")
    if actor.organisation is None or member.organisation_id != actor.organisation.pk or member.left_at:
        raise PermissionDenied("only the member's own admin chooses its participants")
    if not Membership.objects.active().filter(user=user, organisation=member.organisation).exists():
        raise ValidationError({"user": [_("Choose a user of your organisation.")]})
    with transaction.atomic():
        participant, created = TaskForceParticipant.objects.get_or_create(
            member=member, user=user, defaults={"added_by": actor.user}
        )
        if not created:
            if participant.removed_at is None:
                raise ValidationError({"user": [_("This user already takes part.")]})
            participant.removed_at, participant.added_by, participant.added_at = (
                None,
                actor.user,
                timezone.now(),
            )
            participant.save(update_fields=["removed_at", "added_by", "added_at"])
        task_force_event(
            task_force=member.task_force, kind=TaskForceEventKind.PARTICIPANT_ADDED, actor=actor, user=user.pk
        )
        audit_record(
            action="collaboration.participant_added",
            actor=actor,
            target=participant,
            detail={"user": user.pk},
        )
    return participant


def participant_remove(*, actor: Actor, participant: TaskForceParticipant) -> TaskForceParticipant:
    actor.require("taskforce.agree")
    member = participant.member
    if actor.organisation is None or member.organisation_id != actor.organisation.pk:
        raise PermissionDenied("only the member's own admin chooses its participants")
    with transaction.atomic():
        participant.removed_at = timezone.now()
        participant.save(update_fields=["removed_at"])
        task_force_event(
            task_force=member.task_force,
            kind=TaskForceEventKind.PARTICIPANT_REMOVED,
            actor=actor,
            user=participant.user_id,
        )
        audit_record(action="collaboration.participant_removed", actor=actor, target=participant)
    return participant


# ---------------------------------------------------------------------------------------------
# Shares


def _consent_for_full_case(case: Any, purpose: str, recipients: list[int]) -> Any:
    """The recorded consent that allows a full share of ``case`` for ``purpose`` to ``recipients``.

    Investigation and prosecution need consent to sharing with law enforcement; protection and
    prevention need consent to sharing with each recipient organisation by name.
    """
    from safeguard.cases.models import Consent, ConsentScope

    in_force = Consent.objects.in_force().filter(case=case)
    if purpose in (Purpose.INVESTIGATION, Purpose.PROSECUTION):
        return in_force.filter(scope=ConsentScope.LAW_ENFORCEMENT).first()
    named = in_force.filter(scope=ConsentScope.SHARE_ORGANISATION)
    if not recipients or not all(named.filter(organisation_id=pk).exists() for pk in recipients):
        return None
    return named.filter(organisation_id=recipients[0]).first()


def _share_item(
    *,
    actor: Actor,
    item_type: str,
    item_id: int,
    purpose: str,
    level: str,
    expires_on: date,
    recipients: list[int],
    task_force: TaskForce | None,
    recipient: Organisation | None,
    override_reason: str,
    latest_expiry: date | None,
) -> Share:
    if item_type not in ItemType.values:
        raise ValidationError({"item_type": [_("Choose what to share.")]})
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose a purpose.")]})
    if level not in ShareLevel.values:
        raise ValidationError({"level": [_("Choose a level.")]})
    today = timezone.localdate()
    if expires_on <= today:
        raise ValidationError({"expires_on": [_("The share must end after today.")]})
    if latest_expiry is not None and expires_on > latest_expiry:
        raise ValidationError(
            {
                "expires_on": [
                    _("The agreement allows sharing until %(day)s at the latest.")
                    % {"day": latest_expiry.isoformat()}
                ]
            }
        )
    item, label = access.item_for_sharing(actor, item_type, item_id)
    consent = None
    override_reason = override_reason.strip()
    if item_type == ItemType.CASE and level == ShareLevel.FULL:
        consent = _consent_for_full_case(item, purpose, recipients)
        if consent is None:
            if not override_reason:
                raise ValidationError(
                    {
                        "level": [
                            _(
                                "A child's case is shared in full only with the child's recorded consent for "
                                "this purpose, or a supervisor's override with a reason."
                            )
                        ]
                    }
                )
            if not actor.can("case.override_consent"):
                raise PermissionDenied("case.override_consent")
    else:
        override_reason = ""
    share = Share(
        task_force=task_force,
        recipient_organisation=recipient,
        organisation=actor.organisation,
        item_type=item_type,
        item_id=item_id,
        item_label=label[:60],
        purpose=purpose,
        level=level,
        expires_on=expires_on,
        consent=consent,
        override_reason=override_reason if consent is None else "",
        shared_by=actor.user,
    )
    share.full_clean()
    share.save()
    audit_record(
        action="collaboration.item_shared",
        actor=actor,
        target=share,
        detail={
            "item_type": item_type,
            "item_id": item_id,
            "level": level,
            "purpose": purpose,
            "task_force": task_force.pk if task_force else None,
            "recipient": recipient.pk if recipient else None,
            "consent": consent.pk if consent else None,
            "override": bool(share.override_reason),
        },
    )
    if item_type == ItemType.CASE:
        # The owning organisation's own record of who its child's case was shared with.
        audit_record(
            action="cases.case_shared",
            actor=actor,
            object_type="cases.case",
            object_id=item_id,
            detail={"share": share.pk, "level": level, "recipients": recipients},
        )
    return share


def share_create(
    *,
    actor: Actor,
    task_force: TaskForce,
    item_type: str,
    item_id: int,
    purpose: str,
    level: str = ShareLevel.DEIDENTIFIED,
    expires_on: date,
    override_reason: str = "",
) -> Share:
    """Share one item of the actor's organisation into a task force.

    Refused unless the actor takes part (not as an observer), the organisation's agreement is in
    force and covers the kind of record, the level and the purpose, the item is the
    organisation's own and visible to the actor, and — for a full share of a child's case — the
    child's consent for that purpose is recorded or a supervisor overrides with a reason. The
    share ends at the latest when the agreement ends or its retention period runs out.
    """
    seat = access.working_seat(actor, task_force, "share.create")
    agreement = seat.agreement
    if agreement is None:
        raise ValidationError(
            _("Your organisation's data-sharing agreement is not in force: nothing can be shared.")
        )
    if not agreement.covers(item_type, level, purpose):
        raise ValidationError(
            {
                "level": [
                    _(
                        "Your organisation's agreement does not cover sharing this kind of record at this level for this purpose."
                    )
                ]
            }
        )
    latest = min(agreement.ends_on, timezone.localdate() + timedelta(days=agreement.retention_days))
    recipients = list(
        TaskForceMember.objects.current()
        .filter(task_force=task_force)
        .exclude(pk=seat.member.pk)
        .values_list("organisation_id", flat=True)
    )
    with transaction.atomic():
        share = _share_item(
            actor=actor,
            item_type=item_type,
            item_id=item_id,
            purpose=purpose,
            level=level,
            expires_on=expires_on,
            recipients=recipients,
            task_force=task_force,
            recipient=None,
            override_reason=override_reason,
            latest_expiry=latest,
        )
        task_force_event(
            task_force=task_force,
            kind=TaskForceEventKind.ITEM_SHARED,
            actor=actor,
            share=share.pk,
            item_type=item_type,
            level=level,
        )
        for organisation_id in recipients:
            _notify(
                organisation_id,
                "taskforce.view",
                NotificationKind.ITEM_SHARED,
                task_force=task_force,
                url=f"/collaboration/shares/{share.pk}/",
            )
    return share


def share_revoke(*, actor: Actor, share: Share, reason: str) -> Share:
    """The sharing organisation ends a share; every member loses it at once."""
    actor.require("share.create")
    if actor.organisation is None or share.organisation_id != actor.organisation.pk:
        raise PermissionDenied("only the sharing organisation revokes a share")
    if share.revoked_at is not None:
        raise ValidationError(_("This share is already revoked."))
    with transaction.atomic():
        share.revoked_at = timezone.now()
        share.revoked_by = actor.user
        share.revoke_reason = reason.strip()[:300]
        share.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        if share.task_force is not None:
            task_force_event(
                task_force=share.task_force,
                kind=TaskForceEventKind.SHARE_REVOKED,
                actor=actor,
                share=share.pk,
            )
        audit_record(action="collaboration.share_revoked", actor=actor, target=share)
    return share


def shared_item_open(
    *, actor: Actor, share_id: int
) -> tuple[access.VisibleShare, selectors.SharedView | None]:
    """Read one shared item at the level the actor may see it, and record the view in the
    sharing organisation's audit log."""
    visible = access.share_for(actor, share_id)
    view = selectors.shared_view(visible.share, visible.level)
    audit_record(
        action="collaboration.shared_item_viewed",
        actor=actor.user,
        organisation=visible.share.organisation,
        target=visible.share,
        detail={
            "viewer_organisation": getattr(actor.organisation, "pk", None),
            "item_type": visible.share.item_type,
            "item_id": visible.share.item_id,
            "level": visible.level,
        },
    )
    return visible, view


# ---------------------------------------------------------------------------------------------
# Workspace: actions, decisions, joint operations


def action_assign(
    *, actor: Actor, task_force: TaskForce, title: str, assignee: Organisation, due_on: date
) -> TaskForceAction:
    access.working_seat(actor, task_force, "taskforce.manage")
    if not TaskForceMember.objects.current().filter(task_force=task_force, organisation=assignee).exists():
        raise ValidationError({"assignee": [_("Assign the action to a member organisation.")]})
    with transaction.atomic():
        action = TaskForceAction(
            task_force=task_force,
            title=title.strip(),
            assignee=assignee,
            due_on=due_on,
            created_by=actor.user,
        )
        action.full_clean()
        action.save()
        task_force_event(
            task_force=task_force,
            kind=TaskForceEventKind.ACTION_ASSIGNED,
            actor=actor,
            action=action.pk,
            assignee=assignee.pk,
        )
        audit_record(action="collaboration.action_assigned", actor=actor, target=action)
        _notify(
            assignee,
            "taskforce.view",
            NotificationKind.ACTION_ASSIGNED,
            task_force=task_force,
            url=_task_force_url(task_force),
        )
    return action


def action_set_status(*, actor: Actor, action: TaskForceAction, status: str) -> TaskForceAction:
    """The assigned organisation's participants, or the lead, move an action along."""
    seat = access.working_seat(actor, action.task_force, "taskforce.view")
    if not (seat.is_lead or action.assignee_id == seat.member.organisation_id):
        raise PermissionDenied("only the assigned organisation or the lead updates an action")
    if status not in ActionStatus.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    with transaction.atomic():
        action.status = status
        action.save(update_fields=["status"])
        task_force_event(
            task_force=action.task_force,
            kind=TaskForceEventKind.ACTION_UPDATED,
            actor=actor,
            action=action.pk,
            status=status,
        )
        audit_record(
            action="collaboration.action_updated", actor=actor, target=action, detail={"status": status}
        )
    return action


def decision_record(*, actor: Actor, task_force: TaskForce, text: str, decided_on: date) -> TaskForceDecision:
    access.working_seat(actor, task_force, "taskforce.manage")
    assert actor.organisation is not None
    with transaction.atomic():
        decision = TaskForceDecision(
            task_force=task_force,
            text=text.strip(),
            decided_on=decided_on,
            recorded_by=actor.user,
            organisation=actor.organisation,
        )
        decision.full_clean()
        decision.save()
        task_force_event(
            task_force=task_force,
            kind=TaskForceEventKind.DECISION_RECORDED,
            actor=actor,
            decision=decision.pk,
        )
        audit_record(action="collaboration.decision_recorded", actor=actor, target=decision)
    return decision


def operation_plan(
    *, actor: Actor, task_force: TaskForce, name: str, planned_on: date, participants: list[Organisation]
) -> JointOperation:
    access.working_seat(actor, task_force, "taskforce.manage")
    members = set(
        TaskForceMember.objects.current()
        .filter(task_force=task_force)
        .values_list("organisation_id", flat=True)
    )
    if not participants or any(org.pk not in members for org in participants):
        raise ValidationError({"participants": [_("Choose participating organisations among the members.")]})
    with transaction.atomic():
        operation = JointOperation(
            task_force=task_force, name=name.strip(), planned_on=planned_on, created_by=actor.user
        )
        operation.full_clean()
        operation.save()
        operation.participants.set(participants)
        task_force_event(
            task_force=task_force,
            kind=TaskForceEventKind.OPERATION_PLANNED,
            actor=actor,
            operation=operation.pk,
        )
        audit_record(action="collaboration.operation_planned", actor=actor, target=operation)
    return operation


def operation_record_outcome(
    *,
    actor: Actor,
    operation: JointOperation,
    status: str,
    children_safeguarded: int,
    people_arrested: int,
    referrals_made: int,
) -> JointOperation:
    access.working_seat(actor, operation.task_force, "taskforce.manage")
    if status not in (OperationStatus.DONE, OperationStatus.CANCELLED):
        raise ValidationError({"status": [_("Say whether it was carried out or cancelled.")]})
    if min(children_safeguarded, people_arrested, referrals_made) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    with transaction.atomic():
        operation.status = status
        operation.children_safeguarded = children_safeguarded
        operation.people_arrested = people_arrested
        operation.referrals_made = referrals_made
        operation.save(update_fields=["status", "children_safeguarded", "people_arrested", "referrals_made"])
        outcome = {
            "children_safeguarded": children_safeguarded,
            "people_arrested": people_arrested,
            "referrals_made": referrals_made,
        }
        task_force_event(
            task_force=operation.task_force,
            kind=TaskForceEventKind.OPERATION_OUTCOME,
            actor=actor,
            operation=operation.pk,
            status=status,
            **outcome,
        )
        audit_record(
            action="collaboration.operation_outcome",
            actor=actor,
            target=operation,
            detail={"status": status, **outcome},
        )
    return operation


# ---------------------------------------------------------------------------------------------
# Cross-border requests


def request_send(
    *,
    actor: Actor,
    task_force: TaskForce,
    to_organisation: Organisation,
    kind: str,
    legal_basis: str,
    subject: str,
    deadline: date,
    shares: list[Share] | None = None,
) -> CrossBorderRequest:
    """A law-enforcement member's liaison asks another member for assistance or information."""
    seat = access.working_seat(actor, task_force, "request.send")
    if seat.member.organisation.kind != OrganisationKind.LAW_ENFORCEMENT:
        raise PermissionDenied("only law-enforcement members send cross-border requests")
    errors: dict[str, list[str]] = {}
    recipient = (
        TaskForceMember.objects.current().filter(task_force=task_force, organisation=to_organisation).first()
    )
    if recipient is None or recipient.pk == seat.member.pk or recipient.role == MemberRole.OBSERVER:
        errors["to_organisation"] = [_("Send the request to another member (not an observer).")]
    if kind not in RequestKind.values:
        errors["kind"] = [_("Choose the kind of request.")]
    if not legal_basis.strip():
        errors["legal_basis"] = [_("State the legal basis of the request.")]
    if not subject.strip():
        errors["subject"] = [_("Say what you ask for.")]
    if deadline <= timezone.localdate():
        errors["deadline"] = [_("The deadline must be after today.")]
    attached = list(shares or [])
    if any(
        s.task_force_id != task_force.pk
        or s.organisation_id != seat.member.organisation_id
        or not s.is_active()
        for s in attached
    ):
        errors["shares"] = [_("Attach only your organisation's active shares in this task force.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = CrossBorderRequest(
            task_force=task_force,
            kind=kind,
            from_organisation=seat.member.organisation,
            to_organisation=to_organisation,
            legal_basis=legal_basis.strip(),
            subject=subject.strip(),
            deadline=deadline,
            sent_by=actor.user,
        )
        request.full_clean()
        request.save()
        request.shares.set(attached)
        task_force_event(
            task_force=task_force,
            kind=TaskForceEventKind.REQUEST_SENT,
            actor=actor,
            request=request.pk,
            to=to_organisation.pk,
        )
        detail = {
            "task_force": task_force.pk,
            "kind": kind,
            "to": to_organisation.pk,
            "shares": [s.pk for s in attached],
        }
        audit_record(action="collaboration.request_sent", actor=actor, target=request, detail=detail)
        audit_record(
            action="collaboration.request_received",
            actor=actor.user,
            organisation=to_organisation,
            target=request,
            detail=detail,
        )
        _notify(
            to_organisation,
            "request.respond",
            NotificationKind.REQUEST_RECEIVED,
            task_force=task_force,
            url=f"/collaboration/requests/{request.pk}/",
        )
    return request


def _respond(actor: Actor, request: CrossBorderRequest) -> None:
    seat = access.working_seat(actor, request.task_force, "request.respond")
    if seat.member.organisation_id != request.to_organisation_id:
        raise PermissionDenied("only the receiving organisation answers a request")
    if not request.is_open:
        raise ValidationError(_("This request is already closed."))


def _request_changed(
    actor: Actor, request: CrossBorderRequest, kind: TaskForceEventKind, action: str, **detail: Any
) -> None:
    task_force_event(task_force=request.task_force, kind=kind, actor=actor, request=request.pk, **detail)
    audit_record(action=action, actor=actor, target=request, detail=detail)
    audit_record(
        action=action, actor=actor.user, organisation=request.from_organisation, target=request, detail=detail
    )
    _notify(
        request.from_organisation,
        "request.send",
        NotificationKind.REQUEST_UPDATED,
        task_force=request.task_force,
        url=f"/collaboration/requests/{request.pk}/",
    )


def request_acknowledge(*, actor: Actor, request: CrossBorderRequest) -> CrossBorderRequest:
    _respond(actor, request)
    if request.status != RequestStatus.SENT:
        raise ValidationError(_("This request is already acknowledged."))
    with transaction.atomic():
        request.status = RequestStatus.ACKNOWLEDGED
        request.acknowledged_at = timezone.now()
        request.save(update_fields=["status", "acknowledged_at"])
        _request_changed(
            actor, request, TaskForceEventKind.REQUEST_ACKNOWLEDGED, "collaboration.request_acknowledged"
        )
    return request


def request_answer(*, actor: Actor, request: CrossBorderRequest, response: str) -> CrossBorderRequest:
    _respond(actor, request)
    if not response.strip():
        raise ValidationError({"response": [_("Write the answer.")]})
    with transaction.atomic():
        request.status = RequestStatus.ANSWERED
        request.response = response.strip()
        request.answered_by = actor.user
        request.answered_at = timezone.now()
        request.acknowledged_at = request.acknowledged_at or request.answered_at
        request.save(update_fields=["status", "response", "answered_by", "answered_at", "acknowledged_at"])
        _request_changed(
            actor, request, TaskForceEventKind.REQUEST_ANSWERED, "collaboration.request_answered"
        )
    return request


def request_decline(*, actor: Actor, request: CrossBorderRequest, reason: str) -> CrossBorderRequest:
    _respond(actor, request)
    if not reason.strip():
        raise ValidationError({"decline_reason": [_("Give the reason for declining.")]})
    with transaction.atomic():
        request.status = RequestStatus.DECLINED
        request.decline_reason = reason.strip()
        request.answered_by = actor.user
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "decline_reason", "answered_by", "answered_at"])
        _request_changed(
            actor, request, TaskForceEventKind.REQUEST_DECLINED, "collaboration.request_declined"
        )
    return request


# ---------------------------------------------------------------------------------------------
# Match notices


# Identifier kinds that match across organisations. Names never do (decision 070).
MATCH_KINDS = ("phone", "email", "url", "handle", "plate")
DOCUMENT = "document"


def _record_keys(record_type: str, record_id: int) -> tuple[int | None, set[int], str]:
    """(owning organisation, ids of analytics entities the record names, document blind key)."""
    from safeguard.analytics import records as analytics_records
    from safeguard.analytics.models import Ad, Entity, Mention
    from safeguard.core.fields import blind_index_for

    organisation_id: int | None = None
    wanted: set[tuple[str, str]] = set()
    document = ""
    if record_type == RecordType.REPORT:
        report = analytics_records.load_report(record_id)
        if report is None:
            return None, set(), ""
        organisation_id = report.organisation_id
        snapshot = analytics_records.report_snapshot(report)
    elif record_type == RecordType.CASE:
        case = analytics_records.load_case(record_id)
        if case is None:
            return None, set(), ""
        organisation_id = case.organisation_id
        snapshot = analytics_records.case_snapshot(case)
        document = case.person.identity_index or ""
    else:
        ad = Ad.objects.filter(pk=record_id).first()
        if ad is None:
            return None, set(), ""
        organisation_id = ad.organisation_id
        snapshot = analytics_records.ad_snapshot(ad)
    for entity in snapshot.entities:
        if str(entity.kind) in MATCH_KINDS:
            wanted.add((str(entity.kind), blind_index_for(entity.key, purpose=str(entity.kind))))
    # Whatever analytics already stored for the record (an ad's phones are known only at import).
    entity_ids = set(
        Mention.objects.filter(
            record_type=record_type, record_id=record_id, entity__kind__in=MATCH_KINDS
        ).values_list("entity_id", flat=True)
    )
    if wanted:
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, key in wanted:
            by_kind[kind].append(key)
        for kind, keys in by_kind.items():
            entity_ids |= set(
                Entity.objects.filter(kind=kind, key_index__in=keys).values_list("pk", flat=True)
            )
    stop = set(Entity.objects.filter(pk__in=entity_ids, is_stop=True).values_list("pk", flat=True))
    return organisation_id, entity_ids - stop, document


def match_notices_for_record(*, record_type: str, record_id: int) -> list[MatchNotice]:
    """Run by the system after a report, case or ad is stored: tell both organisations when the
    record shares an identifier (never a name) with records of another organisation.

    Only organisations that opted in take part, on both sides. Each notice names its own
    organisation's records, the kinds of identifier and the other organisation's record counts —
    never the other's records or identifiers. Idempotent: one pair of notices per record and
    other organisation.
    """
    from safeguard.analytics.models import Entity, Mention

    organisation_id, entity_ids, document = _record_keys(record_type, record_id)
    if organisation_id is None or not selectors.opted_in(organisation_id):
        return []
    opted = set(
        CollaborationSettings.objects.filter(match_notices=True).values_list("organisation_id", flat=True)
    )
    opted.discard(organisation_id)
    if not opted:
        return []
    # other organisation → {(record type, record id)} and kinds
    records: dict[int, set[tuple[str, int]]] = defaultdict(set)
    kinds: dict[int, set[str]] = defaultdict(set)
    if entity_ids:
        kind_of = dict(Entity.objects.filter(pk__in=entity_ids).values_list("pk", "kind"))
        for entity_id, other_type, other_id, other_org in Mention.objects.filter(
            entity_id__in=entity_ids, organisation_id__in=opted
        ).values_list("entity_id", "record_type", "record_id", "organisation_id"):
            records[other_org].add((other_type, other_id))
            kinds[other_org].add(kind_of[entity_id])
    if document:
        from safeguard.cases.models import Case

        for other_id, other_org in Case.objects.filter(
            person__identity_index=document, organisation_id__in=opted
        ).values_list("pk", "organisation_id"):
            records[other_org].add((RecordType.CASE, other_id))
            kinds[other_org].add(DOCUMENT)
    created: list[MatchNotice] = []
    for other_org, matched in sorted(records.items()):
        counts: dict[str, int] = defaultdict(int)
        for other_type, _other_id in matched:
            counts[other_type] += 1
        with transaction.atomic():
            if MatchNotice.objects.filter(
                organisation_id=organisation_id,
                other_organisation_id=other_org,
                trigger_type=record_type,
                trigger_id=record_id,
            ).exists():
                continue
            try:
                mine = MatchNotice.objects.create(
                    organisation_id=organisation_id,
                    other_organisation_id=other_org,
                    trigger_type=record_type,
                    trigger_id=record_id,
                    is_trigger_side=True,
                    own_records=[{"type": record_type, "id": record_id}],
                    other_counts=dict(counts),
                    kinds=sorted(kinds[other_org]),
                )
                theirs = MatchNotice.objects.create(
                    organisation_id=other_org,
                    other_organisation_id=organisation_id,
                    trigger_type=record_type,
                    trigger_id=record_id,
                    is_trigger_side=False,
                    own_records=[{"type": t, "id": i} for t, i in sorted(matched)],
                    other_counts={record_type: 1},
                    kinds=sorted(kinds[other_org]),
                    counterpart=mine,
                )
            except IntegrityError:  # a concurrent run stored the pair first
                continue
            mine.counterpart = theirs
            mine.save(update_fields=["counterpart"])
            for notice in (mine, theirs):
                audit_record(
                    action="collaboration.match_notice",
                    organisation=notice.organisation,
                    target=notice,
                    detail={
                        "other_organisation": notice.other_organisation_id,
                        "kinds": notice.kinds,
                        "records": len(notice.own_records),
                    },
                )
                _notify(
                    notice.organisation_id,
                    "notice.view",
                    NotificationKind.MATCH_NOTICE,
                    url=f"/collaboration/notices/{notice.pk}/",
                )
            created += [mine, theirs]
    return created


def access_request_create(*, actor: Actor, notice: MatchNotice, purpose: str, note: str) -> AccessRequest:
    """Ask the other organisation to share the records behind a notice; its supervisors decide."""
    actor.require("notice.view")
    if actor.organisation is None or notice.organisation_id != actor.organisation.pk:
        raise PermissionDenied("only the notice's organisation requests access")
    if notice.other_organisation is None:
        raise ValidationError(_("Ask the other installation from the notice's page."))
    if notice.status != NoticeStatus.OPEN or notice.counterpart is None:
        raise ValidationError(_("Access was already requested for this notice."))
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose a purpose.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Say why you need access (no personal data).")]})
    with transaction.atomic():
        request = AccessRequest.objects.create(
            notice=notice,
            from_organisation=actor.organisation,
            to_organisation=notice.other_organisation,
            purpose=purpose,
            note=note.strip()[:500],
            requested_by=actor.user,
        )
        notice.status = NoticeStatus.REQUESTED
        notice.save(update_fields=["status"])
        detail = {"notice": notice.pk, "purpose": purpose, "from": actor.organisation.pk}
        audit_record(action="collaboration.access_requested", actor=actor, target=request, detail=detail)
        audit_record(
            action="collaboration.access_requested",
            actor=actor.user,
            organisation=notice.other_organisation,
            target=request,
            detail=detail,
        )
        _notify(
            notice.other_organisation,
            "notice.respond",
            NotificationKind.ACCESS_REQUESTED,
            url=f"/collaboration/access-requests/{request.pk}/",
        )
    return request


def access_request_grant(
    *,
    actor: Actor,
    access_request: AccessRequest,
    level: str = ShareLevel.DEIDENTIFIED,
    expires_on: date,
    task_force: TaskForce | None = None,
    override_reason: str = "",
) -> list[Share]:
    """A supervisor of the other organisation shares its matching records: into a task force both
    organisations belong to (by that task force's rules), or bilaterally with the same rules
    (consent or override for a child's full case, an expiry, revocable)."""
    actor.require("notice.respond")
    if actor.organisation is None or access_request.to_organisation_id != actor.organisation.pk:
        raise PermissionDenied("only the organisation asked decides")
    if access_request.status != AccessRequestStatus.PENDING:
        raise ValidationError(_("This request is already decided."))
    counterpart = access_request.notice.counterpart
    if counterpart is None:
        raise ValidationError(_("The matching records are no longer known."))
    items = [
        (ItemType.REPORT if row["type"] == RecordType.REPORT else ItemType.CASE, int(row["id"]))
        for row in counterpart.own_records
        if row["type"] in (RecordType.REPORT, RecordType.CASE)
    ]
    if not items:
        raise ValidationError(
            _("None of the matching records can be shared (online ads are shared as ad clusters).")
        )
    with transaction.atomic():
        shares: list[Share] = []
        for item_type, item_id in items:
            if task_force is not None:
                if (
                    not TaskForceMember.objects.current()
                    .filter(task_force=task_force, organisation=access_request.from_organisation)
                    .exists()
                ):
                    raise ValidationError(
                        {"task_force": [_("The requesting organisation is not a member of this task force.")]}
                    )
                shares.append(
                    share_create(
                        actor=actor,
                        task_force=task_force,
                        item_type=item_type,
                        item_id=item_id,
                        purpose=access_request.purpose,
                        level=level,
                        expires_on=expires_on,
                        override_reason=override_reason,
                    )
                )
            else:
                if LEVEL_RANK[ShareLevel(level)] > LEVEL_RANK[ShareLevel.FULL]:
                    raise ValidationError({"level": [_("Choose a level.")]})
                shares.append(
                    _share_item(
                        actor=actor,
                        item_type=item_type,
                        item_id=item_id,
                        purpose=access_request.purpose,
                        level=level,
                        expires_on=expires_on,
                        recipients=[access_request.from_organisation_id],
                        task_force=None,
                        recipient=access_request.from_organisation,
                        override_reason=override_reason,
                        latest_expiry=timezone.localdate() + timedelta(days=365),
                    )
                )
        access_request.status = AccessRequestStatus.GRANTED
        access_request.decided_by = actor.user
        access_request.decided_at = timezone.now()
        access_request.save(update_fields=["status", "decided_by", "decided_at"])
        access_request.shares.set(shares)
        for notice in (access_request.notice, counterpart):
            notice.status = NoticeStatus.GRANTED
            notice.save(update_fields=["status"])
        detail = {
            "shares": [s.pk for s in shares],
            "level": level,
            "task_force": task_force.pk if task_force else None,
        }
        audit_record(action="collaboration.access_granted", actor=actor, target=access_request, detail=detail)
        audit_record(
            action="collaboration.access_granted",
            actor=actor.user,
            organisation=access_request.from_organisation,
            target=access_request,
            detail=detail,
        )
        _notify(
            access_request.from_organisation,
            "notice.view",
            NotificationKind.ACCESS_DECIDED,
            url=f"/collaboration/notices/{access_request.notice_id}/",
        )
    return shares


def access_request_decline(*, actor: Actor, access_request: AccessRequest, reason: str) -> AccessRequest:
    actor.require("notice.respond")
    if actor.organisation is None or access_request.to_organisation_id != actor.organisation.pk:
        raise PermissionDenied("only the organisation asked decides")
    if access_request.status != AccessRequestStatus.PENDING:
        raise ValidationError(_("This request is already decided."))
    if not reason.strip():
        raise ValidationError({"decline_reason": [_("Give the reason for declining.")]})
    with transaction.atomic():
        access_request.status = AccessRequestStatus.DECLINED
        access_request.decline_reason = reason.strip()
        access_request.decided_by = actor.user
        access_request.decided_at = timezone.now()
        access_request.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        for notice in (access_request.notice, access_request.notice.counterpart):
            if notice is not None:
                notice.status = NoticeStatus.DECLINED
                notice.save(update_fields=["status"])
        audit_record(action="collaboration.access_declined", actor=actor, target=access_request)
        audit_record(
            action="collaboration.access_declined",
            actor=actor.user,
            organisation=access_request.from_organisation,
            target=access_request,
        )
        _notify(
            access_request.from_organisation,
            "notice.view",
            NotificationKind.ACCESS_DECIDED,
            url=f"/collaboration/notices/{access_request.notice_id}/",
        )
    return access_request
