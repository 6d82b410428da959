"""Fetching cases and what hangs off them (consents, follow-ups, tasks, plans, referrals,
transfers) *for a user*.

Caseworkers see the cases they own and their teams' cases; supervisors see every case of
their organisation; a provider's users see a referral sent to their organisation and nothing
else of the case; everyone else sees no case. Anything outside a user's reach is "not found".
Services check the same rule with ``require_case_in_reach`` before they write.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.models import (
    CarePlan,
    Case,
    CaseFlag,
    CaseNote,
    CaseQuerySet,
    CaseStatus,
    Consent,
    FollowUp,
    Referral,
    SavedView,
    Task,
    Team,
    Transfer,
)
from safeguard.core.audit import audit_record


def cases_visible_to(actor: Actor) -> CaseQuerySet:
    if actor.organisation is None or not actor.can("case.view"):
        return Case.objects.none()
    cases = Case.objects.filter(organisation=actor.organisation)
    if actor.can("case.view_all"):
        return cases
    my_teams = Team.objects.filter(organisation=actor.organisation, members=actor.user).values("pk")
    return cases.filter(Q(owner=actor.user) | Q(team_id__in=my_teams))


def case_for(actor: Actor, case_id: int, *, action: str = "case.view") -> Case:
    """The case if ``actor`` may take ``action`` on it; otherwise ``Http404`` (or PermissionDenied)."""
    actor.require(action)
    case = (
        cases_visible_to(actor)
        .select_related("person", "owner", "team", "organisation")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("case")
    return case


def case_view_for(actor: Actor, case_id: int) -> Case:
    """The case for reading (page or API), with its "case viewed" audit event: the one place it is written."""
    case = case_for(actor, case_id)
    audit_record(action="case.viewed", actor=actor, target=case)
    return case


def require_case_in_reach(actor: Actor, case: Case, action: str) -> None:
    """For services: PermissionDenied unless ``actor`` may take ``action`` on ``case`` (the rule of
    ``case_for``), so that no caller can write to a case outside the actor's reach. A case
    transferred to another installation is read-only: nothing but reading is allowed on it."""
    actor.require(action)
    status = cases_visible_to(actor).filter(pk=case.pk).values_list("status", flat=True).first()
    if status is None:
        raise PermissionDenied("case outside the actor's reach")
    if action != "case.view" and status == CaseStatus.TRANSFERRED:
        raise ValidationError(_("This case was transferred to another installation; it is read-only."))


def consent_for(actor: Actor, consent_id: int, *, action: str = "case.edit") -> Consent:
    """A consent of a case the actor may take ``action`` on; otherwise ``Http404``."""
    actor.require(action)
    consent = (
        Consent.objects.select_related("case").filter(pk=consent_id, case__in=cases_visible_to(actor)).first()
    )
    if consent is None:
        raise Http404("consent")
    return consent


def follow_up_for(actor: Actor, follow_up_id: int, *, action: str = "case.edit") -> FollowUp:
    """A follow-up of a case the actor may take ``action`` on; otherwise ``Http404``."""
    actor.require(action)
    follow_up = (
        FollowUp.objects.select_related("case")
        .filter(pk=follow_up_id, case__in=cases_visible_to(actor))
        .first()
    )
    if follow_up is None:
        raise Http404("follow-up")
    return follow_up


def note_for(actor: Actor, note_id: int, *, action: str = "case.edit") -> CaseNote:
    """A note of a case the actor may take ``action`` on; otherwise ``Http404``."""
    actor.require(action)
    note = (
        CaseNote.objects.select_related("case").filter(pk=note_id, case__in=cases_visible_to(actor)).first()
    )
    if note is None:
        raise Http404("note")
    return note


def flag_for(actor: Actor, flag_id: int, *, action: str = "case.edit") -> CaseFlag:
    """A flag of a case the actor may take ``action`` on; otherwise ``Http404``."""
    actor.require(action)
    flag = (
        CaseFlag.objects.select_related("case").filter(pk=flag_id, case__in=cases_visible_to(actor)).first()
    )
    if flag is None:
        raise Http404("flag")
    return flag


def saved_views_for(actor: Actor) -> QuerySet[SavedView]:
    """The actor's own saved views and those shared with a team of theirs, in their organisation."""
    if actor.organisation is None or not actor.can("case.view"):
        return SavedView.objects.none()
    my_teams = Team.objects.filter(organisation=actor.organisation, members=actor.user).values("pk")
    return SavedView.objects.filter(organisation=actor.organisation).filter(
        Q(owner=actor.user) | Q(team_id__in=my_teams)
    )


def saved_view_for(actor: Actor, view_id: int) -> SavedView:
    """A saved view the actor may open; otherwise ``Http404``."""
    view = saved_views_for(actor).select_related("owner", "team").filter(pk=view_id).first()
    if view is None:
        raise Http404("saved view")
    return view


def task_for(actor: Actor, task_id: int, *, action: str = "case.edit") -> Task:
    """A task assigned to the actor, of a case they may see; otherwise ``Http404``."""
    actor.require(action)
    task = (
        Task.objects.select_related("case")
        .filter(pk=task_id, assignee=actor.user, case__in=cases_visible_to(actor))
        .first()
    )
    if task is None:
        raise Http404("task")
    return task


def referral_for_provider(actor: Actor, referral_id: int) -> Referral:
    """A referral sent to the actor's organisation, for its users to answer."""
    actor.require("referral.respond")
    referral = (
        Referral.objects.select_related("service", "provider", "case__person", "case__organisation")
        .filter(pk=referral_id, provider=actor.organisation)
        .first()
    )
    if referral is None:
        raise Http404("referral")
    return referral


def plan_for_approver(actor: Actor, plan_id: int) -> CarePlan:
    actor.require("case.approve")
    plan = (
        CarePlan.objects.select_related("case").filter(pk=plan_id, case__in=cases_visible_to(actor)).first()
    )
    if plan is None:
        raise Http404("care plan")
    return plan


def transfer_for_receiver(actor: Actor, transfer_id: int) -> Transfer:
    """A transfer offered to the actor's organisation, for its supervisors to accept or decline."""
    actor.require("case.approve")
    transfer = (
        Transfer.objects.select_related("case", "from_organisation")
        .filter(pk=transfer_id, to_organisation=actor.organisation)
        .first()
    )
    if transfer is None:
        raise Http404("transfer")
    return transfer


def team_for(actor: Actor, team_id: int) -> Team:
    """A team of the actor's organisation, for those who manage teams."""
    actor.require("team.manage")
    team = Team.objects.filter(pk=team_id, organisation=actor.organisation).first()
    if actor.organisation is None or team is None:
        raise Http404("team")
    return team
