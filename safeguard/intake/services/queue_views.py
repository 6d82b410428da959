"""Saved views of the triage queue: a named search, filter and sort, private to its owner."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.core.audit import audit_record
from safeguard.intake.forms import QueueFilterForm
from safeguard.intake.models import SavedQueueView
from safeguard.intake.selectors import queue_filter_users


def clean_queue_query(actor: Actor, query: QueryDict | dict[str, str]) -> dict[str, str]:
    """The queue parameters worth keeping (known, non-empty, valid for the actor's
    organisation), or ValidationError saying which one is wrong."""
    form = QueueFilterForm(query, users=queue_filter_users(actor.organisation))
    if not form.is_valid():
        raise ValidationError(
            _("This list cannot be saved: %(errors)s")
            % {"errors": "; ".join(str(m) for messages in form.errors.values() for m in messages)}
        )
    return {name: str(query[name]) for name in form.fields if query.get(name)}


@transaction.atomic
def queue_view_create(*, actor: Actor, name: str, query: QueryDict | dict[str, str]) -> SavedQueueView:
    """Save the queue's ``query`` as ``name`` for the actor alone, in their organisation."""
    actor.require("report.view")
    assert actor.organisation is not None
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the view a name.")})
    view = SavedQueueView(
        organisation=actor.organisation, owner=actor.user, name=name, query=clean_queue_query(actor, query)
    )
    view.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise ValidationError({"name": _("You already have a view with this name.")}) from None
    audit_record(action="report.queue_view_saved", actor=actor, target=view)
    return view


@transaction.atomic
def queue_view_delete(*, actor: Actor, view: SavedQueueView) -> None:
    """Delete a saved view of the queue; only its owner may, in the view's organisation."""
    if (
        actor.organisation is None
        or view.organisation_id != actor.organisation.pk
        or view.owner_id != actor.user.pk
    ):
        raise PermissionDenied("not the view's owner")
    audit_record(action="report.queue_view_deleted", actor=actor, target=view)
    view.delete()
