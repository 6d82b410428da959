"""The organisation's closure checklist: what must be confirmed before a case is put forward for
closure (for example "safety plan shared with the family")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.cases.models import ClosureChecklistItem
from safeguard.core.audit import audit_record


@transaction.atomic
def checklist_item_add(*, actor: Actor, text: str) -> ClosureChecklistItem:
    actor.require("team.manage")
    assert actor.organisation is not None
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write what must be confirmed.")})
    items = ClosureChecklistItem.objects.filter(organisation=actor.organisation)
    if items.filter(active=True, text__iexact=text).exists():
        raise ValidationError({"text": _("The checklist already has this item.")})
    position = (items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = ClosureChecklistItem(organisation=actor.organisation, text=text, position=position)
    item.full_clean()
    item.save()
    audit_record(action="case.checklist_item_added", actor=actor, target=item)
    return item


@transaction.atomic
def checklist_item_retire(*, actor: Actor, item: ClosureChecklistItem) -> ClosureChecklistItem:
    """Take an item off the checklist; closures that confirmed it keep their copy of its text."""
    actor.require("team.manage")
    if item.organisation_id != (actor.organisation.pk if actor.organisation else None):
        raise ValidationError(_("This item belongs to another organisation."))
    item.active = False
    item.save(update_fields=["active"])
    audit_record(action="case.checklist_item_retired", actor=actor, target=item)
    return item
