"""Saved views of the case list: a named filter and sort, personal or shared with a team."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.forms import CaseListFilterForm
from safeguard.cases.models import SavedView, Team
from safeguard.core.audit import audit_record


def clean_view_query(actor: Actor, query: QueryDict | dict[str, str]) -> dict[str, str]:
    """The case-list parameters worth keeping (known, non-empty, valid for the actor's
    organisation), or ValidationError saying which one is wrong."""
    form = CaseListFilterForm(query, organisation=actor.organisation)
    if not form.is_valid():
        raise ValidationError(
            _("This list cannot be saved: %(errors)s")
            % {"errors": "; ".join(str(m) for messages in form.errors.values() for m in messages)}
        )
    return {name: str(query[name]) for name in form.fields if query.get(name)}


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    return name


def _require_owner(actor: Actor, view: SavedView) -> None:
    if (
        actor.organisation is None
        or view.organisation_id != actor.organisation.pk
        or view.owner_id != actor.user.pk
    ):
        raise PermissionDenied("not the view's owner")


def _save(view: SavedView, fields: list[str] | None = None) -> None:
    view.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            view.save(update_fields=fields)
    except IntegrityError:
        raise ValidationError({"name": _("You already have a view with this name.")}) from None


@transaction.atomic
def saved_view_create(
    *, actor: Actor, name: str, query: QueryDict | dict[str, str], team: Team | None = None
) -> SavedView:
    """Save the case list's ``query`` as ``name``; ``team`` must be one of the actor's teams."""
    actor.require("case.view")
    assert actor.organisation is not None
    if (
        team is not None
        and not Team.objects.filter(pk=team.pk, organisation=actor.organisation, members=actor.user).exists()
    ):
        raise ValidationError({"team": _("Share a view only with a team you belong to.")})
    view = SavedView(
        organisation=actor.organisation,
        owner=actor.user,
        name=_clean_name(name),
        query=clean_view_query(actor, query),
        team=team,
    )
    _save(view)
    audit_record(
        action="case.view_saved", actor=actor, target=view, detail={"team": team.pk if team else None}
    )
    return view


@transaction.atomic
def saved_view_rename(*, actor: Actor, view: SavedView, name: str) -> SavedView:
    """Rename a view; only its owner may."""
    _require_owner(actor, view)
    view.name = _clean_name(name)
    _save(view, ["name"])
    audit_record(action="case.view_renamed", actor=actor, target=view)
    return view


@transaction.atomic
def saved_view_delete(*, actor: Actor, view: SavedView) -> None:
    """Delete a view; only its owner may."""
    _require_owner(actor, view)
    audit_record(action="case.view_deleted", actor=actor, target=view)
    view.delete()
