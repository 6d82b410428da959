"""Who a case belongs to: its owner (a caseworker or supervisor of its organisation) and its team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safeguard.accounts.access import PERMISSIONS, Actor
from safeguard.accounts.models import Membership, Organisation, User
from safeguard.cases.access import require_case_in_reach
from safeguard.cases.events import case_event
from safeguard.cases.models import Case, CaseEventKind, Task, Team
from safeguard.cases.services.closure import require_open


def possible_owners(organisation: Organisation | None) -> QuerySet[User]:
    """The active users who may own a case of ``organisation``: those whose role there edits cases."""
    if organisation is None:
        return User.objects.none()
    members = Membership.objects.active().filter(organisation=organisation, role__in=PERMISSIONS["case.edit"])
    return User.objects.filter(pk__in=members.values("user_id")).order_by("name")


@transaction.atomic
def case_reassign(*, actor: Actor, case: Case, owner: User) -> Case:
    """Give an open case to another caseworker of its organisation; its pending tasks of the
    previous owner follow it."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    if not possible_owners(case.organisation).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose a caseworker or supervisor of your organisation.")})
    previous = case.owner_id
    if previous == owner.pk:
        return case
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    Task.objects.pending().filter(case=case, assignee_id=previous).update(assignee=owner)
    case_event(
        case=case,
        kind=CaseEventKind.UPDATED,
        actor=actor,
        detail={"fields": ["owner"], "from_owner_id": previous, "owner_id": owner.pk},
    )
    return case


@transaction.atomic
def case_set_team(*, actor: Actor, case: Case, team: Team) -> Case:
    """Put an open case in a team of its organisation, whose members then see it."""
    require_case_in_reach(actor, case, "case.edit")
    require_open(case)
    if team.organisation_id != case.organisation_id:
        raise ValidationError({"team": _("Choose a team of your organisation.")})
    previous = case.team_id
    if previous == team.pk:
        return case
    case.team = team
    case.save(update_fields=["team", "updated_at"])
    case_event(
        case=case,
        kind=CaseEventKind.UPDATED,
        actor=actor,
        detail={"fields": ["team"], "from_team_id": previous, "team_id": team.pk},
    )
    return case
