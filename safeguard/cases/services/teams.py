"""Teams of caseworkers within an organisation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.accounts.models import Organisation, User
from safeguard.cases.models import Team
from safeguard.core.audit import audit_record


def _members_of_organisation(organisation: Organisation, users: list[User]) -> list[User]:
    ids = {user.pk for user in users}
    found = set(
        User.objects.filter(pk__in=ids, memberships__organisation=organisation, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    if found != ids:
        raise ValidationError({"members": _("Only users of your organisation can be team members.")})
    return users


@transaction.atomic
def team_create(*, actor: Actor, name: str, members: list[User] | None = None) -> Team:
    """A new team of the actor's organisation, with members of that organisation only."""
    actor.require("team.manage")
    assert actor.organisation is not None
    name = name.strip()
    if Team.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("Your organisation already has a team with this name.")})
    chosen = _members_of_organisation(actor.organisation, list(members or []))
    team = Team(organisation=actor.organisation, name=name)
    team.full_clean()
    team.save()
    team.members.set(chosen)
    audit_record(
        action="team.created",
        actor=actor.user,
        organisation=actor.organisation,
        target=team,
        detail={"member_ids": sorted(user.pk for user in chosen)},
    )
    return team


@transaction.atomic
def team_set_members(*, actor: Actor, team: Team, members: list[User]) -> Team:
    """Replace the members of a team of the actor's organisation; the audit lists who joined and left."""
    actor.require("team.manage")
    if actor.organisation is None or team.organisation_id != actor.organisation.pk:
        raise PermissionDenied("team of another organisation")
    chosen = _members_of_organisation(actor.organisation, list(members))
    before = set(team.members.values_list("pk", flat=True))
    after = {user.pk for user in chosen}
    if before == after:
        return team
    team.members.set(chosen)
    audit_record(
        action="team.members_changed",
        actor=actor.user,
        organisation=actor.organisation,
        target=team,
        detail={"added_ids": sorted(after - before), "removed_ids": sorted(before - after)},
    )
    return team
